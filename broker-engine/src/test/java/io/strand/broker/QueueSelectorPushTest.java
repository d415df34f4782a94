package io.strand.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.strand.protocol.ApiKey;
import io.strand.protocol.Consumers;
import io.strand.protocol.DestinationType;
import io.strand.protocol.Produce;
import io.strand.protocol.Shares;
import io.strand.protocol.StatusResponse;
import io.strand.protocol.SubscriptionKind;
import io.strand.record.CompressionType;
import io.strand.record.Header;
import io.strand.record.Record;
import io.strand.record.RecordBatch;
import io.strand.record.RecordBatchBuilder;
import io.strand.record.RecordIterator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A queue receiver with a selector is pushed the records it acquired and nothing else, each with its
 * offset, headers, value and delivery count, also when the records around them were stored compressed.
 */
class QueueSelectorPushTest {
    private static final byte STRING_TAG = 9; // the header value type of a String property

    @TempDir
    Path dataDir;
    private StrandBroker broker;

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    /** One pushed record as the consumer sees it. */
    private record Pushed(long offset, String value, String color, int deliveryCount) {
    }

    @Test
    void onlyTheMatchedRecordsArePushedAndAReleasedOneComesBackWithItsCount() throws IOException {
        Properties properties = new Properties();
        properties.setProperty(BrokerConfig.PORT, "0");
        properties.setProperty(BrokerConfig.DATA_DIR, dataDir.toString());
        broker = StrandBroker.start(BrokerConfig.from(properties), null);
        try (RawClient producer = new RawClient(broker.address()); RawClient a = new RawClient(broker.address());
             RawClient b = new RawClient(broker.address())) {
            producer.handshake(null);
            a.handshake(null);
            b.handshake(null);
            send(producer, CompressionType.LZ4, 0, 100);
            send(producer, CompressionType.NONE, 100, 100);

            assertThat(open(a, 1).isOk()).isTrue();
            List<Pushed> first = receive(a, 20);
            assertThat(first).extracting(Pushed::offset).containsExactly(expectedRedOffsets());
            assertThat(first).allSatisfy(p -> {
                assertThat(p.value()).isEqualTo("m" + p.offset());
                assertThat(p.color()).isEqualTo("red");
                assertThat(p.deliveryCount()).isEqualTo(1);
            });

            Consumers.CloseRequest close = new Consumers.CloseRequest(1);
            a.call(ApiKey.CLOSE_CONSUMER, close::writeTo); // releases all 20

            assertThat(open(b, 1).isOk()).isTrue();
            List<Pushed> again = receive(b, 20);
            assertThat(again).extracting(Pushed::offset).containsExactly(expectedRedOffsets());
            assertThat(again).allSatisfy(p -> {
                assertThat(p.value()).isEqualTo("m" + p.offset());
                assertThat(p.color()).isEqualTo("red");
                assertThat(p.deliveryCount()).isEqualTo(2);
            });
        }
    }

    private static Long[] expectedRedOffsets() {
        Long[] offsets = new Long[20];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = i * 10L + 3;
        }
        return offsets;
    }

    /** Records {@code from..from+count-1} in one batch, valued "m" + offset; offsets ending in 3 are red. */
    private static void send(RawClient client, CompressionType compression, int from, int count) throws IOException {
        RecordBatchBuilder builder = new RecordBatchBuilder().reset(compression, 0);
        for (int n = from; n < from + count; n++) {
            byte[] color = ((n % 10 == 3) ? "red" : "blue").getBytes(StandardCharsets.UTF_8);
            byte[] value = new byte[1 + color.length];
            value[0] = STRING_TAG;
            System.arraycopy(color, 0, value, 1, color.length);
            builder.append(System.currentTimeMillis(), null, ByteBuffer.wrap(("m" + n).getBytes(StandardCharsets.UTF_8)),
                    new Header[] {Header.of("color", value)});
        }
        Produce.Request request = new Produce.Request(DestinationType.QUEUE, "paint", 0, true,
                Unpooled.wrappedBuffer(builder.build()));
        assertThat(Produce.Response.readFrom(client.call(ApiKey.PRODUCE, request::writeTo).body()).status().isOk())
                .isTrue();
    }

    private static io.strand.protocol.ResponseStatus open(RawClient client, int id) throws IOException {
        Consumers.OpenRequest open = new Consumers.OpenRequest(id, DestinationType.QUEUE, "paint", SubscriptionKind.QUEUE,
                null, "color = 'red'", false, 1000);
        return StatusResponse.readFrom(client.call(ApiKey.OPEN_CONSUMER, out -> open.writeTo(out, (short) 0)).body()).status();
    }

    /** Reads pushes until {@code count} records arrived; fails if a push carries a record it did not acquire. */
    private static List<Pushed> receive(RawClient client, int count) throws IOException {
        TreeMap<Long, Pushed> received = new TreeMap<>();
        while (received.size() < count) {
            RawClient.Frame frame = client.read();
            if (frame.header().apiKey() != ApiKey.SHARE_DELIVER.id) {
                continue;
            }
            Shares.Deliver deliver = Shares.Deliver.readFrom(frame.body());
            ByteBuffer bytes = deliver.records().nioBuffer();
            RecordBatch batch = new RecordBatch();
            RecordIterator records = new RecordIterator();
            for (int pos = 0; pos < bytes.limit(); pos += batch.sizeInBytes()) {
                batch.wrap(bytes, pos).ensureValid(bytes.limit(), Integer.MAX_VALUE);
                records.reset(batch);
                while (records.hasNext()) {
                    Record record = records.next();
                    Shares.AcquiredRange range = deliver.acquired().stream()
                            .filter(r -> r.contains(record.offset())).findFirst().orElse(null);
                    assertThat(range).as("record %d was pushed but not acquired", record.offset()).isNotNull();
                    Header color = record.headers()[0];
                    ByteBuffer colorValue = color.value();
                    colorValue.get(); // the type tag
                    received.put(record.offset(), new Pushed(record.offset(),
                            StandardCharsets.UTF_8.decode(record.value()).toString(),
                            StandardCharsets.UTF_8.decode(colorValue).toString(), range.deliveryCount()));
                }
            }
        }
        return new ArrayList<>(received.values());
    }
}
