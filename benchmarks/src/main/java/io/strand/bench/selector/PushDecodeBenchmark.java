package io.strand.bench.selector;

import io.strand.jms.message.HeaderView;
import io.strand.jms.message.MessageCodec;
import io.strand.jms.message.RecordHeaders;
import io.strand.jms.message.StrandMessage;
import io.strand.record.CompressionType;
import io.strand.record.Record;
import io.strand.record.RecordBatch;
import io.strand.record.RecordIterator;
import jakarta.jms.MessageFormatException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A client decoding every record of a pushed batch into a message, as a queue receiver does before the
 * application sees it; returns the last message's priority so nothing is optimised away.
 *
 * <ul>
 *   <li>{@link #headerObjects}: the codec reads header objects built per record (a key string and a value
 *       view per header), as the client did before.</li>
 *   <li>{@link #views}: the codec reads {@link RecordHeaders#views()} over the record, key strings reused
 *       from record to record, as the client's RecordFormats does now.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class PushDecodeBenchmark {
    @Param({"NONE"})
    public CompressionType compression;

    @Param({"200"})
    public int records;

    private final MessageCodec codec = new MessageCodec();
    private final RecordBatch wrapped = new RecordBatch();
    private final RecordIterator iterator = new RecordIterator();
    private final RecordHeaders headers = new RecordHeaders();

    @Setup(Level.Trial)
    public void prepare() {
        wrapped.wrap(SelectorBatches.batch(records, compression), 0);
    }

    @Benchmark
    public int headerObjects() throws MessageFormatException {
        int priority = 0;
        iterator.reset(wrapped);
        while (iterator.hasNext()) {
            Record record = iterator.next();
            StrandMessage message = codec.decode(key(record), record.value(), HeaderView.of(record.headers()));
            priority = message.getJMSPriority();
        }
        return priority;
    }

    @Benchmark
    public int views() throws MessageFormatException {
        int priority = 0;
        iterator.reset(wrapped);
        while (iterator.hasNext()) {
            Record record = iterator.next();
            StrandMessage message = codec.decode(key(record), record.value(), headers.reset(record).views());
            priority = message.getJMSPriority();
        }
        return priority;
    }

    private static ByteBuffer key(Record record) {
        return record.hasKey() ? record.key() : null;
    }
}
