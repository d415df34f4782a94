package io.strand.broker;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.strand.log.TopicPartition;
import io.strand.protocol.ApiKey;
import io.strand.protocol.FrameHeader;
import io.strand.protocol.FrameReader;
import io.strand.protocol.Handshake;
import io.strand.protocol.Replication;
import io.strand.replication.FetchError;
import io.strand.replication.FetchOutcome;
import io.strand.replication.FollowerPartition;
import io.strand.replication.ReplicaFetch;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the partitions this broker follows from one leader: a thread with one connection to the
 * leader that asks for all of them in each {@link ApiKey#REPLICA_FETCH}, appends what comes back, and
 * waits until that is durable before the next fetch, which thereby tells the leader how far this
 * replica's disk holds the log. A lost connection is made again after a pause, until the fetcher closes.
 *
 * <p>The wait for durability is bounded ({@link #DURABLE_WAIT_MS}): should a flush never come (a flush that
 * failed in a way that completed none of its waiters, or a waiter left behind by a truncation), the fetcher
 * goes on fetching — the next fetch asks for a flush again, and reports only what is durable by then — rather
 * than stop replicating every partition of its leader.
 *
 * <p>A partition the leader refuses (it does not lead it, or not in this replica's epoch: one of the two has
 * not applied the latest metadata yet) leaves the fetch until the metadata gives it a new follower state or
 * a short pause passes, so that the other partitions' fetches do not bring it back at once, and its refusal
 * is logged once per follower state rather than once per fetch.
 */
final class ReplicaFetcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaFetcher.class);
    private static final int MAX_BYTES_PER_PARTITION = 1 << 20;
    private static final int MAX_WAIT_MS = 500;
    private static final int RETRY_PAUSE_MS = 200;
    /**
     * How long a refused partition stays out of the fetch unless new metadata replaces its follower state. After a
     * failover the follower usually applies the new leadership a few milliseconds before the new leader does, and
     * the leader's acknowledged writes wait for this follower's next fetch: so it is short.
     */
    static final long REFUSED_RETRY_MS = 50;
    /** How long a fetch's records may take to become durable before the next fetch goes out anyway. */
    static final long DURABLE_WAIT_MS = 2_000;
    private static final int MAX_RESPONSE_BYTES = 256 << 20;

    private final ClusterSettings.Login login;
    private final int brokerId;
    private final long brokerEpoch;
    private final int leaderId;
    private final InetSocketAddress leader;
    private final Map<TopicPartition, FollowerPartition> partitions = new ConcurrentHashMap<>();
    /** Held while fetched records are applied, so that a partition leaves only between two rounds. */
    private final Object round = new Object();
    /** Refused partitions, each with the follower state that was refused; touched by the fetcher thread only. */
    private final Map<TopicPartition, Refusal> refused = new HashMap<>();
    /**
     * Partitions whose appended records were not durable in time, each with its follower state: the next round asks
     * for their durability again, new records or not. Touched by the fetcher thread only.
     */
    private final Map<TopicPartition, FollowerPartition> notDurableYet = new HashMap<>();
    private final Thread thread;
    private volatile boolean closed;
    private volatile Socket socket;
    private int correlationId;

    /** @param login who to log in to the leader as, null to log in anonymously (the brokers have no users) */
    ReplicaFetcher(int brokerId, long brokerEpoch, int leaderId, InetSocketAddress leader, ClusterSettings.Login login) {
        this.login = login;
        this.brokerId = brokerId;
        this.brokerEpoch = brokerEpoch;
        this.leaderId = leaderId;
        this.leader = leader;
        this.thread = new Thread(this::run, "strand-replica-fetcher-" + brokerId + "-from-" + leaderId);
        thread.setDaemon(true);
        thread.start();
    }

    InetSocketAddress leaderAddress() {
        return leader;
    }

    void add(TopicPartition tp, FollowerPartition follower) {
        synchronized (round) {
            partitions.put(tp, follower);
        }
    }

    /** Stops fetching a partition; returns once no round applies records to it any more. */
    void remove(TopicPartition tp) {
        synchronized (round) {
            partitions.remove(tp);
        }
    }

    boolean isEmpty() {
        return partitions.isEmpty();
    }

    private void run() {
        while (!closed) {
            try (Socket connection = connect()) {
                DataInputStream in = new DataInputStream(connection.getInputStream());
                OutputStream out = connection.getOutputStream();
                handshake(in, out);
                while (!closed) {
                    fetchOnce(in, out);
                }
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    LOG.info("Broker {} lost its replica connection to broker {} at {}: {}", brokerId, leaderId, leader,
                            e.toString());
                    pause(RETRY_PAUSE_MS);
                }
            }
        }
    }

    private Socket connect() throws IOException {
        Socket connection = new Socket();
        socket = connection;
        connection.setTcpNoDelay(true);
        connection.connect(leader, 5_000);
        connection.setSoTimeout(MAX_WAIT_MS + 15_000);
        return connection;
    }

    private void handshake(DataInputStream in, OutputStream out) throws IOException {
        FrameReader answer = call(in, out, ApiKey.HANDSHAKE, buf -> new Handshake.Request(Handshake.MIN_VERSION,
                Handshake.MAX_VERSION, null, Replication.REPLICA_CLIENT_SOFTWARE,
                login == null ? null : login.userName(), login == null ? null : login.password()).writeTo(buf));
        Handshake.Response response = Handshake.Response.readFrom(answer);
        if (!response.status().isOk()) {
            throw new IOException("broker " + leaderId + " refused the replica handshake: "
                    + response.status().describe());
        }
    }

    /** A refused partition: which follower state the leader refused, and from when to ask again. */
    private record Refusal(FollowerPartition follower, long retryAtNanos) {
    }

    private void fetchOnce(DataInputStream in, OutputStream out) throws IOException {
        Map<TopicPartition, FollowerPartition> now = partitionsToFetch();
        if (now.isEmpty()) {
            pause(50);
            return;
        }
        Map<TopicPartition, ReplicaFetch> sent = new HashMap<>();
        List<Replication.PartitionFetch> asks = new ArrayList<>(now.size());
        now.forEach((tp, follower) -> {
            ReplicaFetch fetch;
            synchronized (follower) {
                fetch = follower.nextFetch(MAX_BYTES_PER_PARTITION);
            }
            sent.put(tp, fetch);
            asks.add(new Replication.PartitionFetch(tp.topic(), tp.partition(), fetch.leaderEpoch(), fetch.fetchOffset(),
                    fetch.lastFetchedEpoch(), fetch.durableOffset(), fetch.maxBytes()));
        });
        Replication.FetchRequest request = new Replication.FetchRequest(brokerId, brokerEpoch, MAX_WAIT_MS, asks);
        FrameReader answer = call(in, out, ApiKey.REPLICA_FETCH, request::writeTo);
        Replication.FetchResponse response = Replication.FetchResponse.readFrom(answer, MAX_RESPONSE_BYTES);
        if (!response.status().isOk()) {
            throw new IOException("broker " + leaderId + " refused the replica fetch: " + response.status().describe());
        }
        Map<FollowerPartition, CompletableFuture<Void>> durable = new HashMap<>();
        synchronized (round) {
            for (Replication.PartitionResult result : response.partitions()) {
                TopicPartition tp = new TopicPartition(result.topic(), result.partition());
                FollowerPartition follower = partitions.get(tp);
                if (follower == null || follower != now.get(tp)) {
                    continue; // left, or replaced by a follower of a newer epoch, while the fetch was out
                }
                synchronized (follower) {
                    follower.onFetched(sent.get(tp), outcomeOf(result));
                }
                if (result instanceof Replication.Refused refusal) {
                    noteRefusal(tp, follower, refusal);
                    continue;
                }
                refused.remove(tp);
                if (result instanceof Replication.Records records && records.records().isReadable()) {
                    durable.put(follower, follower.log().awaitDurable(follower.log().logEndOffset()));
                }
            }
            notDurableYet.forEach((tp, follower) -> {
                if (partitions.get(tp) == follower && !durable.containsKey(follower)) {
                    durable.put(follower, follower.log().awaitDurable(follower.log().logEndOffset()));
                }
            });
            notDurableYet.clear();
        }
        awaitDurable(durable);
    }

    /**
     * Waits until the records just appended are durable, so that the next fetch reports them and lets the leader
     * move the high watermark; for {@link #DURABLE_WAIT_MS} at most.
     */
    private void awaitDurable(Map<FollowerPartition, CompletableFuture<Void>> durable) throws IOException {
        if (durable.isEmpty()) {
            return;
        }
        try {
            CompletableFuture.allOf(durable.values().toArray(CompletableFuture[]::new))
                    .get(DURABLE_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            List<TopicPartition> late = new ArrayList<>();
            durable.forEach((follower, done) -> {
                if (!done.isDone()) {
                    TopicPartition tp = follower.log().topicPartition();
                    notDurableYet.put(tp, follower);
                    late.add(tp);
                }
            });
            LOG.warn("Broker {}: what it fetched from broker {} for {} is not durable after {} ms; fetching on, the"
                    + " leader learns of it once it is", brokerId, leaderId, late, DURABLE_WAIT_MS);
        } catch (ExecutionException e) {
            throw new IOException("the records fetched from broker " + leaderId + " could not be made durable: "
                    + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closing
        }
    }

    /**
     * The partitions to ask for now: every one but those refused lately, unless new metadata replaced the
     * follower state that was refused.
     */
    private Map<TopicPartition, FollowerPartition> partitionsToFetch() {
        long nowNanos = System.nanoTime();
        Map<TopicPartition, FollowerPartition> now = new HashMap<>(partitions);
        refused.entrySet().removeIf(entry -> {
            Refusal refusal = entry.getValue();
            if (now.get(entry.getKey()) != refusal.follower()) {
                return true; // the partition left this fetcher, or the metadata gave it a new follower state
            }
            if (nowNanos - refusal.retryAtNanos() < 0) {
                now.remove(entry.getKey());
            }
            return false;
        });
        return now;
    }

    /** Keeps a refused partition out of the fetch for a while; says why once per follower state. */
    private void noteRefusal(TopicPartition tp, FollowerPartition follower, Replication.Refused refusal) {
        Refusal previous = refused.put(tp, new Refusal(follower,
                System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REFUSED_RETRY_MS)));
        if (previous == null || previous.follower() != follower) {
            LOG.info("Broker {} could not fetch {} from broker {}: {}; asking again in {} ms or with new metadata",
                    brokerId, tp, leaderId, refusal.message(), REFUSED_RETRY_MS);
        } else {
            LOG.debug("Broker {} could not fetch {} from broker {} again: {}", brokerId, tp, leaderId,
                    refusal.message());
        }
    }

    private static FetchOutcome outcomeOf(Replication.PartitionResult result) {
        if (result instanceof Replication.Records r) {
            return new FetchOutcome.Records(r.records().nioBuffer(), r.highWatermark(), r.logEndOffset(),
                    r.logStartOffset());
        }
        if (result instanceof Replication.LogStartMoved m) {
            return new FetchOutcome.LogStartMoved(m.logStartOffset());
        }
        if (result instanceof Replication.Diverging d) {
            return new FetchOutcome.Diverging(d.epoch(), d.endOffset());
        }
        Replication.Refused refused = (Replication.Refused) result;
        return new FetchOutcome.Refused(FetchError.UNKNOWN_LEADER_EPOCH, refused.message());
    }

    private FrameReader call(DataInputStream in, OutputStream out, ApiKey api,
                             Consumer<ByteBuf> body) throws IOException {
        ByteBuf buf = Unpooled.buffer();
        int id = ++correlationId;
        int start = new FrameHeader(api.id, Handshake.MAX_VERSION, id).begin(buf);
        body.accept(buf);
        FrameHeader.finish(buf, start);
        out.write(ByteBufUtil.getBytes(buf));
        out.flush();
        int length = in.readInt();
        if (length < FrameHeader.SIZE || length > MAX_RESPONSE_BYTES) {
            throw new IOException("broker " + leaderId + " sent a frame of " + length + " bytes");
        }
        byte[] frame = new byte[length];
        in.readFully(frame);
        FrameReader reader = new FrameReader(Unpooled.wrappedBuffer(frame));
        FrameHeader header = FrameHeader.read(reader);
        if (header.correlationId() != id) {
            throw new IOException("broker " + leaderId + " answered request " + header.correlationId() + ", not " + id);
        }
        return reader;
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops the fetcher: once this returns no round applies records any more, so another fetcher may take its
     * partitions over. The thread is interrupted only then, never while it writes to a log, whose file channel
     * an interrupt would close.
     */
    @Override
    public void close() {
        closed = true;
        synchronized (round) {
            partitions.clear();
        }
        Socket current = socket;
        if (current != null) {
            try {
                current.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        thread.interrupt();
    }
}
