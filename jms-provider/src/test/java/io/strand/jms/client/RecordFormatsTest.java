package io.strand.jms.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.strand.jms.message.EncodedMessage;
import io.strand.jms.message.MessageCodec;
import io.strand.jms.message.StrandTextMessage;
import io.strand.record.CompressionType;
import io.strand.record.CorruptRecordException;
import io.strand.record.RecordBatch;
import jakarta.jms.TextMessage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RecordFormatsTest {
    private final MessageCodec codec = new MessageCodec();

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void shouldRoundTripMessagesAndSkipRecordsBeforeFromOffset(CompressionType compression) throws Exception {
        final RecordFormats format = new RecordFormats(compression, 1 << 20);
        final List<EncodedMessage> messages = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            final StrandTextMessage m = new StrandTextMessage("text " + i);
            m.setStringProperty("JMSXGroupID", "g" + i);
            messages.add(NoLocal.stamp(codec.encode(m), "conn-1"));
        }
        final ByteBuf batch = format.encode(ByteBufAllocator.DEFAULT, messages, new long[] {100, 101, 102});
        try {
            new RecordBatch().wrap(batch.nioBuffer(), 0).setBaseOffset(10); // as the broker stamps it
            final ByteBuf stamped = batch.copy();
            final RecordBatch check = new RecordBatch().wrap(stamped.nioBuffer(), 0);
            assertThat(check.recordCount()).isEqualTo(3);
            stamped.release();
            final List<String> seen = new ArrayList<>();
            format.decode(batch, 11, (offset, ts, key, value, headers) -> {
                try {
                    final TextMessage m = (TextMessage) codec.decode(key, value, headers);
                    seen.add(offset + "@" + ts + ":" + m.getText() + ":" + m.getStringProperty("JMSXGroupID") + ":"
                            + m.getStringProperty(NoLocal.CONNECTION_ID_PROPERTY));
                } catch (Exception e) {
                    seen.add(e.toString());
                }
            });
            assertThat(seen).containsExactly("11@101:text 1:g1:conn-1", "12@102:text 2:g2:conn-1");
        } finally {
            batch.release();
        }
    }

    /** A queue consumer walks a push only up to the last record it acquired. */
    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void shouldVisitNothingAfterToOffsetNorWalkTheBatchesAfterIt(CompressionType compression) throws Exception {
        final RecordFormats format = new RecordFormats(compression, 1 << 20);
        final ByteBuf first = batchOf(format, 10, "a", "b", "c");
        final ByteBuf second = batchOf(format, 13, "d", "e");
        final ByteBuf both = ByteBufAllocator.DEFAULT.buffer().writeBytes(first).writeBytes(second);
        try {
            assertThat(offsetsVisited(format, both, 11, 13)).containsExactly(11L, 12L, 13L);
            both.setByte(both.writerIndex() - 1, both.getByte(both.writerIndex() - 1) ^ 0x5a); // the second batch's CRC
            assertThat(offsetsVisited(format, both, 10, 11)).containsExactly(10L, 11L);
            assertThatThrownBy(() -> offsetsVisited(format, both, 10, 13)).isInstanceOf(CorruptRecordException.class);
        } finally {
            first.release();
            second.release();
            both.release();
        }
    }

    private ByteBuf batchOf(RecordFormats format, long baseOffset, String... texts) throws Exception {
        final List<EncodedMessage> messages = new ArrayList<>();
        final long[] timestamps = new long[texts.length];
        for (int i = 0; i < texts.length; i++) {
            messages.add(codec.encode(new StrandTextMessage(texts[i])));
            timestamps[i] = 100 + i;
        }
        final ByteBuf batch = format.encode(ByteBufAllocator.DEFAULT, messages, timestamps);
        new RecordBatch().wrap(batch.nioBuffer(), 0).setBaseOffset(baseOffset);
        return batch;
    }

    private static List<Long> offsetsVisited(RecordFormats format, ByteBuf records, long from, long to) {
        final List<Long> offsets = new ArrayList<>();
        format.decode(records, from, to, (offset, ts, key, value, headers) -> offsets.add(offset));
        return offsets;
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void shouldRejectCorruptBatches(CompressionType compression) throws Exception {
        final RecordFormats format = new RecordFormats(compression, 1 << 20);
        final ByteBuf batch = format.encode(ByteBufAllocator.DEFAULT,
                List.of(codec.encode(new StrandTextMessage("x"))), new long[] {1});
        try {
            batch.setByte(batch.writerIndex() - 1, batch.getByte(batch.writerIndex() - 1) ^ 0x5a);
            assertThatThrownBy(() -> format.decode(batch, 0, (o, t, k, v, h) -> { }))
                    .isInstanceOf(CorruptRecordException.class).hasMessageContaining("CRC");
        } finally {
            batch.release();
        }
    }

    @org.junit.jupiter.api.Test
    void afterABatchThatDidNotCompressTheNextFifteenAreNotCompressedAndTheSixteenthTriesAgain() throws Exception {
        final RecordFormats format = new RecordFormats(CompressionType.LZ4, 1 << 20);
        final byte[] random = new byte[4096];
        new java.util.Random(3).nextBytes(random);
        assertThat(codecOf(format, random)).isEqualTo(CompressionType.NONE);

        final byte[] text = "compressible ".repeat(400).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int i = 0; i < RecordFormats.BATCHES_SKIPPING_COMPRESSION; i++) {
            assertThat(codecOf(format, text)).as("batch %d after the random one", i + 1).isEqualTo(CompressionType.NONE);
        }
        assertThat(codecOf(format, text)).isEqualTo(CompressionType.LZ4);
        assertThat(codecOf(format, text)).isEqualTo(CompressionType.LZ4);
    }

    private CompressionType codecOf(RecordFormats format, byte[] body) throws Exception {
        final jakarta.jms.BytesMessage message = new io.strand.jms.message.StrandBytesMessage();
        message.writeBytes(body);
        final ByteBuf batch = format.encode(ByteBufAllocator.DEFAULT,
                List.of(codec.encode((io.strand.jms.message.StrandMessage) message)), new long[] {1});
        try {
            return new RecordBatch().wrap(batch.nioBuffer(), 0).compressionType();
        } finally {
            batch.release();
        }
    }
}
