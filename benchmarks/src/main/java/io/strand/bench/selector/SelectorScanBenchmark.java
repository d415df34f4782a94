package io.strand.bench.selector;

import io.strand.jms.message.EncodedHeaderLookup;
import io.strand.jms.message.HeaderView;
import io.strand.jms.message.RecordHeaders;
import io.strand.record.CompressionType;
import io.strand.record.Record;
import io.strand.record.RecordBatch;
import io.strand.record.RecordIterator;
import io.strand.selector.MessageSelector;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.MessageFormatException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * The broker's look at each record of a batch for a consumer with the selector {@code color = 'red'}: iterate
 * the records (LZ4: decompress the batch first), read the delivery rules and evaluate the selector on the
 * headers; returns the matches (one in ten).
 *
 * <ul>
 *   <li>{@link #headerObjects}: headers decoded into header objects with key strings, looked up by string
 *       comparison, each identifier classified on every lookup (the scan before it read headers in place).</li>
 *   <li>{@link #inPlace}: {@link RecordHeaders} over the record's bytes and identifiers resolved once, as the
 *       broker's ShareScanner and SelectorMatcher do now.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class SelectorScanBenchmark {
    @Param({"NONE", "LZ4"})
    public CompressionType compression;

    @Param({"200"})
    public int records;

    private ByteBuffer batch;
    private final RecordBatch wrapped = new RecordBatch();
    private final RecordIterator iterator = new RecordIterator();
    private final RecordHeaders headers = new RecordHeaders();
    private MessageSelector selector;
    private final Map<String, EncodedHeaderLookup.Identifier> identifiers = new HashMap<>();

    @Setup(Level.Trial)
    public void prepare() throws InvalidSelectorException {
        batch = SelectorBatches.batch(records, compression);
        wrapped.wrap(batch, 0);
        selector = MessageSelector.parse(SelectorBatches.SELECTOR);
        for (String name : selector.identifiers()) {
            identifiers.put(name, EncodedHeaderLookup.identifier(name));
        }
    }

    @Benchmark
    public int headerObjects() throws MessageFormatException {
        int matched = 0;
        iterator.reset(wrapped);
        while (iterator.hasNext()) {
            Record record = iterator.next();
            List<HeaderView> views = HeaderView.of(record.headers());
            ByteBuffer key = record.hasKey() ? record.key() : null;
            matched += EncodedHeaderLookup.deliveryRules(views).priority() >= 0 && selector.matches(identifier -> {
                try {
                    return EncodedHeaderLookup.selectorValue(key, views, identifier);
                } catch (MessageFormatException e) {
                    return null;
                }
            }) ? 1 : 0;
        }
        return matched;
    }

    @Benchmark
    public int inPlace() throws MessageFormatException {
        int matched = 0;
        iterator.reset(wrapped);
        while (iterator.hasNext()) {
            Record record = iterator.next();
            headers.reset(record);
            ByteBuffer key = record.hasKey() ? record.key() : null;
            matched += EncodedHeaderLookup.deliveryRules(headers).priority() >= 0 && selector.matches(identifier -> {
                try {
                    return identifiers.get(identifier).valueIn(key, headers);
                } catch (MessageFormatException e) {
                    return null;
                }
            }) ? 1 : 0;
        }
        return matched;
    }
}
