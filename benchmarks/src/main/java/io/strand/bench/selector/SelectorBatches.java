package io.strand.bench.selector;

import io.strand.jms.message.EncodedMessage;
import io.strand.jms.message.MessageCodec;
import io.strand.jms.message.StrandBytesMessage;
import io.strand.record.CompressionType;
import io.strand.record.Header;
import io.strand.record.RecordBatchBuilder;
import jakarta.jms.JMSException;
import java.nio.ByteBuffer;
import java.util.Random;

/** The records of the JMS system benchmark's selector workload, as one stored batch. */
final class SelectorBatches {
    static final String SELECTOR = "color = 'red'";

    private SelectorBatches() {
    }

    /**
     * {@code count} persistent BytesMessages with a 1 KiB random body, an int property {@code seq} and a string
     * property {@code color}, 'red' on every tenth and 'blue' on the others, in one batch.
     */
    static ByteBuffer batch(int count, CompressionType compression) {
        MessageCodec codec = new MessageCodec();
        RecordBatchBuilder builder = new RecordBatchBuilder().reset(compression, 0);
        Random random = new Random(7);
        try {
            for (int i = 0; i < count; i++) {
                StrandBytesMessage message = new StrandBytesMessage();
                byte[] body = new byte[1024];
                random.nextBytes(body);
                message.writeBytes(body);
                message.setJMSMessageID("ID:bench-" + i);
                message.setJMSTimestamp(1_700_000_000_000L + i);
                message.setIntProperty("seq", i);
                message.setStringProperty("color", i % 10 == 0 ? "red" : "blue");
                EncodedMessage encoded = codec.encode(message);
                Header[] headers = encoded.headers().stream().map(h -> Header.of(h.getKey(), h.getValue()))
                        .toArray(Header[]::new);
                builder.append(1_700_000_000_000L + i, encoded.keyBuffer(), encoded.value(), headers);
            }
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
        ByteBuffer built = builder.build();
        return ByteBuffer.allocate(built.remaining()).put(built).flip();
    }
}
