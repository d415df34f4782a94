package io.strand.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.strand.protocol.ApiKey;
import io.strand.protocol.Consumers;
import io.strand.protocol.DestinationType;
import io.strand.protocol.FrameHeader;
import io.strand.protocol.Handshake;
import io.strand.protocol.Produce;
import io.strand.protocol.SubscriptionKind;
import io.strand.protocol.Transactions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random and mutated frames from many connections: the broker answers or closes each bad
 * connection, never crashes, keeps serving a well-behaved client throughout, and holds no
 * connection after its clients are gone. The seed is printed so a failure can be replayed.
 */
class ProtocolFuzzTest {
    private static final int CONNECTIONS = 100;
    private static final int FRAMES_PER_CONNECTION = 100;

    @TempDir
    Path dataDir;

    private static byte[] frame(ApiKey api, int correlationId, Consumer<ByteBuf> body) {
        ByteBuf out = Unpooled.buffer();
        int start = new FrameHeader(api.id, (short) 0, correlationId).begin(out);
        body.accept(out);
        FrameHeader.finish(out, start);
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        return bytes;
    }

    private static List<byte[]> validFrames() {
        List<byte[]> frames = new ArrayList<>();
        frames.add(frame(ApiKey.HANDSHAKE, 1, new Handshake.Request((short) 0, (short) 0, null, "fuzz")::writeTo));
        frames.add(frame(ApiKey.PRODUCE, 2, new Produce.Request(DestinationType.TOPIC, "fuzz", 0, true,
                BrokerProtocolTest.batchOf("one", "two"))::writeTo));
        Consumers.OpenRequest open = new Consumers.OpenRequest(1, DestinationType.TOPIC, "fuzz",
                SubscriptionKind.NON_DURABLE, null, null, false, 10);
        frames.add(frame(ApiKey.OPEN_CONSUMER, 3, out -> open.writeTo(out, (short) 0)));
        frames.add(frame(ApiKey.CONSUMER_CREDIT, 4, new Consumers.CreditRequest(1, 5)::writeTo));
        frames.add(frame(ApiKey.ACKNOWLEDGE, 5, new Consumers.AcknowledgeRequest(1, 0, 0)::writeTo));
        frames.add(frame(ApiKey.HEARTBEAT, 6, out -> { }));
        frames.add(frame(ApiKey.COMMIT, 7, new Transactions.CommitRequest(List.of(
                new Transactions.PartitionRecords(DestinationType.QUEUE, "fuzz-a", 0, BrokerProtocolTest.batchOf("x")),
                new Transactions.PartitionRecords(DestinationType.TOPIC, "fuzz", 0, BrokerProtocolTest.batchOf("y"))),
                List.of(), List.of(new Transactions.TopicAck(1, 0, 0)))::writeTo));
        return frames;
    }

    private static byte[] mutate(byte[] valid, Random random) {
        byte[] bytes = valid.clone();
        // Pure garbage ends a connection at once (its length cannot frame), so it comes rarely.
        switch (random.nextInt(10)) {
            case 0 -> { // flip bits anywhere after the length
                for (int i = 0; i < 1 + random.nextInt(4); i++) {
                    int at = 4 + random.nextInt(bytes.length - 4);
                    bytes[at] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1, 2, 3 -> { // truncate the body but keep the length field consistent
                int keep = 12 + random.nextInt(Math.max(1, bytes.length - 12));
                bytes = java.util.Arrays.copyOf(bytes, keep);
                Unpooled.wrappedBuffer(bytes).setInt(0, keep - 4);
            }
            case 4, 5, 6, 7, 8 -> { // random body of the right length
                for (int i = 12; i < bytes.length; i++) {
                    bytes[i] = (byte) random.nextInt(256);
                }
            }
            default -> { // pure garbage, length included
                random.nextBytes(bytes);
            }
        }
        return bytes;
    }

    @Test
    void randomAndMutatedFramesNeverStopTheBrokerOrLeakConnections() throws IOException {
        long seed = System.nanoTime();
        System.out.println("ProtocolFuzzTest seed " + seed);
        Random random = new Random(seed);
        Properties properties = new Properties();
        properties.setProperty(BrokerConfig.PORT, "0");
        properties.setProperty(BrokerConfig.DATA_DIR, dataDir.toString());
        try (StrandBroker broker = StrandBroker.start(BrokerConfig.from(properties), null);
             RawClient good = new RawClient(broker.address())) {
            good.handshake("good");
            List<byte[]> valid = validFrames();
            for (int c = 0; c < CONNECTIONS; c++) {
                try (RawClient fuzz = new RawClient(broker.address())) {
                    // Most connections shake hands first, so the mutations reach every api, not just the gate.
                    if (random.nextInt(10) < 9) {
                        fuzz.sendRaw(valid.get(0));
                    }
                    for (int f = 0; f < FRAMES_PER_CONNECTION; f++) {
                        byte[] base = valid.get(random.nextInt(valid.size()));
                        fuzz.sendRaw(random.nextInt(4) == 0 ? base : mutate(base, random));
                    }
                } catch (java.io.UncheckedIOException closedByBroker) {
                    // The broker closed this connection for an unframeable stream: what it should do.
                }
                Produce.Request request = new Produce.Request(DestinationType.TOPIC, "healthy", 0, true,
                        BrokerProtocolTest.batchOf("c" + c));
                RawClient.Frame answer = good.call(ApiKey.PRODUCE, request::writeTo);
                assertThat(Produce.Response.readFrom(answer.body()).status().isOk()).as("seed %d, connection %d", seed, c)
                        .isTrue();
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(broker.openConnections()).as("only the good client remains").isEqualTo(1));
        }
    }
}
