package io.strand.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.strand.log.FileChannelOpener;
import io.strand.log.LogConfig;
import io.strand.log.LogManager;
import io.strand.log.LogManagerConfig;
import io.strand.log.TopicPartition;
import io.strand.protocol.ApiKey;
import io.strand.protocol.ErrorCode;
import io.strand.protocol.FrameHeader;
import io.strand.protocol.FrameReader;
import io.strand.protocol.Handshake;
import io.strand.protocol.Replication;
import io.strand.protocol.ResponseStatus;
import io.strand.record.CompressionType;
import io.strand.record.RecordBatchBuilder;
import io.strand.replication.FollowerPartition;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower's fetcher against a leader that leads one of the two partitions it asks for: the refused
 * partition leaves the fetches for a while instead of making every fetch come back at once.
 */
class ReplicaFetcherTest {
    private static final TopicPartition LED = new TopicPartition("orders", 0);
    private static final TopicPartition NOT_LED = new TopicPartition("$xa", 0);

    @TempDir
    Path dir;
    private LogManager logs;
    private FakeLeader leader;
    private ReplicaFetcher fetcher;

    @BeforeEach
    void start() throws IOException {
        logs = LogManager.open(LogManagerConfig.defaults(dir).withDefaultLogConfig(
                LogConfig.DEFAULT.with(LogConfig.FLUSH_MODE, "none")));
        leader = new FakeLeader();
    }

    @AfterEach
    void stop() throws IOException {
        if (fetcher != null) {
            fetcher.close();
        }
        leader.close();
        logs.close();
    }

    private FollowerPartition follower(TopicPartition tp, int leaderEpoch) {
        return new FollowerPartition(logs.getOrCreateLog(tp), 3, 7, 1, leaderEpoch);
    }

    @Test
    void aRefusedPartitionLeavesTheFetchForAWhileWhileTheOthersGoOn() throws Exception {
        fetcher = new ReplicaFetcher(3, 7, 1, leader.address(), null);
        fetcher.add(LED, follower(LED, 1));
        fetcher.add(NOT_LED, follower(NOT_LED, 1));

        await().atMost(Duration.ofSeconds(10)).until(() -> leader.asked(NOT_LED) >= 1);
        long start = System.nanoTime();
        int ledBefore = leader.asked(LED);
        int refusedBefore = leader.asked(NOT_LED);
        Thread.sleep(2_000);
        double seconds = (System.nanoTime() - start) / 1e9;
        int refusedAsks = leader.asked(NOT_LED) - refusedBefore;
        assertThat(refusedAsks).as("fetches of the refused partition in %.1f s", seconds)
                .isLessThanOrEqualTo((int) (seconds * 1000 / ReplicaFetcher.REFUSED_RETRY_MS) + 1);
        assertThat(leader.asked(LED) - ledBefore).as("the led partition is still fetched").isPositive();
    }

    @Test
    void newMetadataForARefusedPartitionBringsItBackAtOnce() throws Exception {
        fetcher = new ReplicaFetcher(3, 7, 1, leader.address(), null);
        fetcher.add(LED, follower(LED, 1));
        fetcher.add(NOT_LED, follower(NOT_LED, 1));
        await().atMost(Duration.ofSeconds(10)).until(() -> leader.asked(NOT_LED) >= 1);

        leader.leadAlsoInEpoch(NOT_LED, 2);
        fetcher.remove(NOT_LED);
        fetcher.add(NOT_LED, follower(NOT_LED, 2));
        await().atMost(Duration.ofSeconds(10)).until(() -> leader.askedInEpoch(NOT_LED, 2) >= 1);
        int served = leader.askedInEpoch(NOT_LED, 2);
        Thread.sleep(1_500);
        assertThat(leader.askedInEpoch(NOT_LED, 2)).as("served now, so in every fetch").isGreaterThan(served);
    }

    @Test
    void aFetchWhoseRecordsDoNotBecomeDurableDoesNotStopTheFetcherForGood() throws Exception {
        // One flusher thread, which stops after its first flush: no later append to a log in flush mode fsync
        // becomes durable until the test lets it go on.
        CountDownLatch flusherStopped = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        LogManager stuck = LogManager.open(new LogManagerConfig(dir.resolve("stuck"),
                LogConfig.DEFAULT.with(LogConfig.FLUSH_MODE, "fsync"), 1000, 1, 1, 1000, 60_000, 60_000,
                Clock.systemUTC(), FileChannelOpener.READ_WRITE));
        stuck.listenToFlushes(nanos -> {
            flusherStopped.countDown();
            awaitQuietly(release);
        });
        try {
            leader.appendOnEveryFetch(LED);
            fetcher = new ReplicaFetcher(3, 7, 1, leader.address(), null);
            fetcher.add(LED, new FollowerPartition(stuck.getOrCreateLog(LED), 3, 7, 1, 1));
            assertThat(flusherStopped.await(10, TimeUnit.SECONDS)).isTrue();

            await().atMost(Duration.ofMillis(ReplicaFetcher.DURABLE_WAIT_MS * 3 + 5_000))
                    .until(() -> leader.asked(LED) >= 4);
            assertThat(stuck.getLog(LED).orElseThrow().logEndOffset())
                    .as("it goes on appending what it fetches").isGreaterThanOrEqualTo(3);
        } finally {
            release.countDown();
            fetcher.close();
            fetcher = null;
            stuck.close();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Answers a replica's handshake and fetches: records (none) for the partitions it leads in the epoch
     * asked, a refusal for the others. Like a broker, it holds an answer with nothing in it for the fetch's
     * wait, and sends one with a refusal at once.
     */
    private static final class FakeLeader implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final Map<String, AtomicInteger> asks = new ConcurrentHashMap<>();
        private final Map<TopicPartition, Integer> ledEpochs = new ConcurrentHashMap<>(Map.of(LED, 1));
        /** Partitions that get a new record in every answer, as under a steady load. */
        private final Set<TopicPartition> busy = ConcurrentHashMap.newKeySet();
        private final Thread thread = new Thread(this::serve, "fake-leader");
        private volatile boolean closed;

        FakeLeader() throws IOException {
            thread.setDaemon(true);
            thread.start();
        }

        InetSocketAddress address() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
        }

        void appendOnEveryFetch(TopicPartition tp) {
            busy.add(tp);
        }

        void leadAlsoInEpoch(TopicPartition tp, int epoch) {
            ledEpochs.put(tp, epoch);
        }

        int asked(TopicPartition tp) {
            return asks.entrySet().stream().filter(e -> e.getKey().startsWith(tp + "@"))
                    .mapToInt(e -> e.getValue().get()).sum();
        }

        int askedInEpoch(TopicPartition tp, int epoch) {
            AtomicInteger count = asks.get(tp + "@" + epoch);
            return count == null ? 0 : count.get();
        }

        private void serve() {
            while (!closed) {
                try (Socket socket = server.accept()) {
                    DataInputStream in = new DataInputStream(socket.getInputStream());
                    OutputStream out = socket.getOutputStream();
                    while (!closed) {
                        answer(in, out);
                    }
                } catch (IOException e) {
                    // the fetcher closed its connection, or the test ended
                }
            }
        }

        private void answer(DataInputStream in, OutputStream out) throws IOException {
            byte[] frame = new byte[in.readInt()];
            in.readFully(frame);
            FrameReader reader = new FrameReader(Unpooled.wrappedBuffer(frame));
            FrameHeader header = FrameHeader.read(reader);
            if (header.apiKey() == ApiKey.HANDSHAKE.id) {
                Handshake.Request.readFrom(reader);
                send(out, header, new Handshake.Response(ResponseStatus.OK, header.version(), 1, "fake")::writeTo);
                return;
            }
            Replication.FetchRequest request = Replication.FetchRequest.readFrom(reader);
            List<Replication.PartitionResult> results = new ArrayList<>();
            boolean answerAtOnce = false; // as a broker does when it has records, or a refusal, to send
            for (Replication.PartitionFetch fetch : request.partitions()) {
                TopicPartition tp = new TopicPartition(fetch.topic(), fetch.partition());
                asks.computeIfAbsent(tp + "@" + fetch.leaderEpoch(), k -> new AtomicInteger()).incrementAndGet();
                Integer led = ledEpochs.get(tp);
                if (led != null && led == fetch.leaderEpoch() && busy.contains(tp)) {
                    long offset = fetch.fetchOffset();
                    results.add(new Replication.Records(fetch.topic(), fetch.partition(), offset, offset + 1, 0,
                            Unpooled.wrappedBuffer(oneRecordAt(offset))));
                    answerAtOnce = true;
                } else if (led != null && led == fetch.leaderEpoch()) {
                    results.add(new Replication.Records(fetch.topic(), fetch.partition(), 0, 0, 0,
                            Unpooled.EMPTY_BUFFER));
                } else {
                    answerAtOnce = true;
                    results.add(new Replication.Refused(fetch.topic(), fetch.partition(), ErrorCode.NOT_LEADER,
                            "broker 1 does not lead " + tp));
                }
            }
            if (!answerAtOnce) {
                sleep(request.maxWaitMs());
            }
            send(out, header, new Replication.FetchResponse(ResponseStatus.OK, results)::writeTo);
        }

        private static ByteBuffer oneRecordAt(long offset) {
            RecordBatchBuilder builder = new RecordBatchBuilder().reset(CompressionType.NONE, offset);
            builder.append(0, null, ByteBuffer.wrap(("record-" + offset).getBytes(StandardCharsets.UTF_8)), null);
            return builder.build();
        }

        private static void send(OutputStream out, FrameHeader request, Consumer<ByteBuf> body)
                throws IOException {
            ByteBuf buf = Unpooled.buffer();
            int start = new FrameHeader(request.apiKey(), request.version(), request.correlationId()).begin(buf);
            body.accept(buf);
            FrameHeader.finish(buf, start);
            out.write(ByteBufUtil.getBytes(buf));
            out.flush();
        }

        private static void sleep(long ms) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() throws IOException {
            closed = true;
            server.close();
        }
    }
}
