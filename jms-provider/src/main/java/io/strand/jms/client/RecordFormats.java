package io.strand.jms.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.strand.jms.message.EncodedHeaderLookup;
import io.strand.jms.message.EncodedMessage;
import io.strand.jms.message.RecordHeaders;
import io.strand.record.BatchCursor;
import io.strand.record.CompressionType;
import io.strand.record.Header;
import io.strand.record.Record;
import io.strand.record.RecordBatch;
import io.strand.record.RecordBatchBuilder;
import io.strand.record.RecordIterator;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@link RecordFormat} over {@code io.strand.record}: batches in the v2 layout built with
 * {@link RecordBatchBuilder}, pushed batches walked with {@link BatchCursor} (header and CRC checked)
 * and {@link RecordIterator}, headers read in place by {@link RecordHeaders}. Thread-safe: builders,
 * iterators and header readers are per thread.
 */
public final class RecordFormats implements RecordFormat {
    private static final ThreadLocal<RecordBatchBuilder> BUILDERS =
            ThreadLocal.withInitial(() -> new RecordBatchBuilder().compressOnlyWhenWorthIt(true));
    private static final ThreadLocal<RecordIterator> ITERATORS = ThreadLocal.withInitial(RecordIterator::new);
    private static final ThreadLocal<RecordHeaders> HEADERS = ThreadLocal.withInitial(RecordHeaders::new);

    /** Batches built without trying compression after one that compression did not shrink. */
    static final int BATCHES_SKIPPING_COMPRESSION = 15;

    private final CompressionType compression;
    private final int maxBatchBytes;
    /**
     * How many more batches to build without trying compression: a payload that did not compress (random or
     * already compressed bytes) rarely does in the next batch, and trying costs the client a pass over every byte.
     * Every sixteenth batch tries again. Races between threads only move when compression is tried.
     */
    private final AtomicInteger skipCompression = new AtomicInteger();

    /**
     * @param compression   the codec of the batches this client builds
     * @param maxBatchBytes the largest pushed batch accepted
     */
    public RecordFormats(CompressionType compression, int maxBatchBytes) {
        this.compression = compression;
        this.maxBatchBytes = maxBatchBytes;
    }

    @Override
    public ByteBuf encode(ByteBufAllocator allocator, List<EncodedMessage> messages, long[] timestampsMs) {
        return encode(allocator, messages, timestampsMs, BUILDERS.get().reset(nextCompression(), 0));
    }

    @Override
    public ByteBuf encode(ByteBufAllocator allocator, List<EncodedMessage> messages, long[] timestampsMs,
                          ProducerSequences.Stamp stamp) {
        return encode(allocator, messages, timestampsMs, BUILDERS.get().reset(nextCompression(), 0,
                stamp.producerId(), stamp.epoch(), stamp.baseSequence(), false));
    }

    private CompressionType nextCompression() {
        if (compression == CompressionType.NONE || skipCompression.get() <= 0) {
            return compression;
        }
        skipCompression.decrementAndGet();
        return CompressionType.NONE;
    }

    private ByteBuf encode(ByteBufAllocator allocator, List<EncodedMessage> messages, long[] timestampsMs,
                           RecordBatchBuilder builder) {
        final boolean tried = builder.compression() != CompressionType.NONE;
        for (int i = 0; i < messages.size(); i++) {
            final EncodedMessage m = messages.get(i);
            final List<Map.Entry<String, byte[]>> headers = m.headers();
            final Header[] array = new Header[headers.size()];
            for (int h = 0; h < array.length; h++) {
                array[h] = Header.of(headers.get(h).getKey(), headers.get(h).getValue());
            }
            if (EncodedHeaderLookup.hasDeliveryRules(m.key(), headers, timestampsMs[i])) {
                builder.markDeliveryRules();
            }
            builder.append(timestampsMs[i], m.keyBuffer(), m.value(), array);
        }
        final ByteBuffer built = builder.build();
        if (tried && builder.compression() == CompressionType.NONE) {
            skipCompression.set(BATCHES_SKIPPING_COMPRESSION);
        }
        final ByteBuf out = allocator.buffer(built.remaining());
        out.writeBytes(built); // the builder reuses its memory for the next batch
        return out;
    }

    @Override
    public void decode(ByteBuf records, long fromOffset, long toOffset, RecordVisitor visitor) {
        final ByteBuffer buffer = records.nioBuffer();
        final BatchCursor cursor = new BatchCursor(maxBatchBytes).reset(buffer);
        final RecordIterator iterator = ITERATORS.get();
        final RecordHeaders headers = HEADERS.get();
        while (cursor.hasNext()) {
            final RecordBatch batch = cursor.next();
            if (batch.baseOffset() > toOffset) {
                return;
            }
            if (batch.isControlBatch() || batch.lastOffset() < fromOffset) {
                continue;
            }
            iterator.reset(batch);
            while (iterator.hasNext()) {
                final Record record = iterator.next();
                if (record.offset() < fromOffset) {
                    continue;
                }
                if (record.offset() > toOffset) {
                    return;
                }
                visitor.record(record.offset(), record.timestamp(), record.hasKey() ? record.key() : null,
                        record.hasValue() ? record.value() : null, headers.reset(record).views());
            }
        }
    }
}
