package io.strand.replication;

import io.strand.log.FileSlice;
import io.strand.log.InstrumentedFileChannel;
import io.strand.log.LogConfig;
import io.strand.log.LogManager;
import io.strand.log.LogManagerConfig;
import io.strand.log.PartitionLog;
import io.strand.log.TopicPartition;
import io.strand.record.CompressionType;
import io.strand.record.Record;
import io.strand.record.RecordBatch;
import io.strand.record.RecordBatchBuilder;
import io.strand.record.RecordIterator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * One partition replicated over three brokers with real logs on disk, driven step by step by a seeded
 * random scheduler (DESIGN.md §8.2). The brokers run {@link LeaderPartition} and {@link FollowerPartition}
 * as the broker does; the network delivers their fetches late, out of order, twice or never, and can cut
 * a broker off; brokers crash losing what was not forced to disk, lose their disk, and restart.
 *
 * <p>The controller here follows the election rules of DESIGN.md §5 in a few lines — fence a broker that
 * left, elect the first live ISR member with the next leader epoch, never an out-of-sync replica, drop a
 * broker whose disk was lost from the ISR, commit ISR changes only against the current partition epoch —
 * and reaches the brokers through the same unreliable-timing network (its messages are retried, so they
 * arrive late or reordered but arrive). Everything observed is checked after every step by
 * {@link #checkInvariants}.
 */
final class SimulatedCluster implements AutoCloseable {
    static final int BROKERS = 3;
    static final int MIN_IN_SYNC_REPLICAS = 2;
    static final long REPLICA_LAG_MAX_MS = 400;
    private static final TopicPartition TP = new TopicPartition("orders", 0);
    private static final List<Integer> REPLICAS = List.of(0, 1, 2);
    private static final int FETCH_BYTES = 4096;

    /** What a broker learns from the controller: the partition's state in one decision. */
    record Metadata(int leader, int leaderEpoch, Set<Integer> isr, int partitionEpoch) {
    }

    private sealed interface Message {
        int to();
    }

    private record Fetch(int from, int to, ReplicaFetch fetch) implements Message {
    }

    private record FetchAnswer(int to, ReplicaFetch sent, FetchOutcome outcome) implements Message {
    }

    private record MetadataUpdate(int to, Metadata metadata) implements Message {
    }

    private record AlterIsr(int to, int from, int leaderEpoch, IsrChange change) implements Message {
    }

    private record AlterIsrRefused(int to, int leaderEpoch) implements Message {
    }

    private static final int CONTROLLER = -1;

    /** One broker: its log and its role in the partition, as long as its process lives. */
    private final class Broker {
        final int id;
        final Path dir;
        LogManager logs;
        PartitionLog log;
        LeaderPartition leader;
        FollowerPartition follower;
        Metadata known;
        ReplicaFetch outstanding;
        long highestHighWatermarkThisRun;
        int incarnation;
        boolean diskLost;
        final Map<Long, String> unacknowledged = new TreeMap<>();

        Broker(int id, Path dir) {
            this.id = id;
            this.dir = dir;
        }

        boolean isUp() {
            return logs != null;
        }

        void start() {
            logs = LogManager.open(LogManagerConfig.defaults(dir).withDefaultLogConfig(LOG_CONFIG)
                    .withChannelOpener(UNFORCED.opener()));
            log = logs.getOrCreateLog(TP);
            incarnation++;
            highestHighWatermarkThisRun = log.highWatermark();
            leader = null;
            follower = null;
            known = null;
            outstanding = null;
        }

        /** The process dies: what was not forced is lost with the page cache. */
        void crash(boolean loseDisk) {
            log.truncateTo(log.recoveryPoint());
            logs.close();
            logs = null;
            log = null;
            leader = null;
            follower = null;
            unacknowledged.clear();
            if (loseDisk) {
                deleteRecursively(dir);
                diskLost = true;
            }
        }

        void apply(Metadata metadata) {
            if (known != null && (metadata.leaderEpoch() < known.leaderEpoch()
                    || (metadata.leaderEpoch() == known.leaderEpoch()
                    && metadata.partitionEpoch() <= known.partitionEpoch()))) {
                return; // older than what it knows: metadata arrives out of order
            }
            known = metadata;
            if (metadata.leader() == id) {
                if (leader == null || leader.leaderEpoch() != metadata.leaderEpoch()) {
                    follower = null;
                    leader = new LeaderPartition(log, id, metadata.leaderEpoch(), REPLICAS, metadata.isr(),
                            metadata.partitionEpoch(), now);
                    unacknowledged.clear();
                    String previous = leadersByEpoch.putIfAbsent(metadata.leaderEpoch(), "broker " + id);
                    if (previous != null && !previous.equals("broker " + id)) {
                        throw new AssertionError("epoch " + metadata.leaderEpoch() + " has two leaders: " + previous
                                + " and broker " + id);
                    }
                } else {
                    leader.isrCommitted(metadata.isr(), metadata.partitionEpoch());
                }
            } else {
                leader = null;
                unacknowledged.clear();
                if (metadata.leader() >= 0 && (follower == null || follower.leaderEpoch() != metadata.leaderEpoch())) {
                    follower = new FollowerPartition(log, id, incarnation, metadata.leader(), metadata.leaderEpoch());
                    outstanding = null;
                } else if (metadata.leader() < 0) {
                    follower = null;
                }
            }
        }
    }

    /** What survives a crash is decided by {@link Broker#crash}, from the recovery point: no need to wait for the disk. */
    private static final InstrumentedFileChannel.Switches UNFORCED = new InstrumentedFileChannel.Switches();

    static {
        UNFORCED.skipForces = true;
    }

    private static final LogConfig LOG_CONFIG = LogConfig.DEFAULT
            .with(LogConfig.FLUSH_MODE, "none")
            .with(LogConfig.FLUSH_MS, Long.toString(Long.MAX_VALUE))
            .with(LogConfig.SEGMENT_BYTES, "16384");

    private final Random random;
    private final List<Broker> brokers = new ArrayList<>();
    private final List<Message> inFlight = new ArrayList<>();
    private final Set<Integer> isolated = new HashSet<>();
    private final Map<Integer, String> leadersByEpoch = new HashMap<>();
    /** Every record a producer was told is stored: offset -> value. */
    private final TreeMap<Long, String> acknowledged = new TreeMap<>();
    private final List<String> trace = new ArrayList<>();
    private final RecordBatchBuilder builder = new RecordBatchBuilder();
    private long now;
    private int nextValue;
    // The controller's state: the committed partition metadata and who is live.
    private Metadata committed;
    private final Set<Integer> live = new HashSet<>();
    private final Map<Integer, Integer> registeredIncarnations = new HashMap<>();

    SimulatedCluster(Path root, long seed) {
        this.random = new Random(seed);
        for (int id = 0; id < BROKERS; id++) {
            Broker broker = new Broker(id, root.resolve("broker-" + id));
            broker.start();
            brokers.add(broker);
            live.add(id);
            registeredIncarnations.put(id, broker.incarnation);
        }
        committed = new Metadata(0, 0, Set.copyOf(REPLICAS), 0);
        broadcast();
    }

    List<String> trace() {
        return trace;
    }

    int acknowledgedCount() {
        return acknowledged.size();
    }

    /** One random step of the scheduler. */
    void step() {
        now += random.nextInt(40);
        int dice = random.nextInt(1000);
        if (dice < 250) {
            produce();
        } else if (dice < 650) {
            deliverOne();
        } else if (dice < 800) {
            fetchFromEveryFollower();
        } else if (dice < 900) {
            flush(brokers.get(random.nextInt(BROKERS)));
        } else if (dice < 950) {
            proposeIsrChanges();
        } else if (dice < 962) {
            crashOne();
        } else if (dice < 980) {
            restartOne();
        } else if (dice < 986) {
            isolateOne();
        } else {
            healNetwork();
        }
        settleProduces();
    }

    private void log(String event) {
        trace.add("t=" + now + " " + event);
    }

    private void produce() {
        List<Broker> leaders = brokers.stream().filter(b -> b.isUp() && b.leader != null).toList();
        if (leaders.isEmpty()) {
            return;
        }
        Broker broker = leaders.get(random.nextInt(leaders.size()));
        if (!broker.leader.hasEnoughReplicas(MIN_IN_SYNC_REPLICAS)) {
            log("produce to broker " + broker.id + " refused: NOT_ENOUGH_REPLICAS, ISR " + broker.leader.isr());
            return;
        }
        int count = 1 + random.nextInt(3);
        builder.reset(CompressionType.NONE, 0);
        List<String> values = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String value = "v" + nextValue++;
            values.add(value);
            builder.append(now, null, ByteBuffer.wrap(value.getBytes(StandardCharsets.UTF_8)), null);
        }
        long first = broker.log.appendAsLeader(builder.build(), broker.leader.leaderEpoch()).firstOffset();
        for (int i = 0; i < count; i++) {
            broker.unacknowledged.put(first + i, values.get(i));
        }
        log("broker " + broker.id + " (epoch " + broker.leader.leaderEpoch() + ") appended " + values + " at " + first);
    }

    /** A leader answers a producer once its high watermark passed the records. */
    private void settleProduces() {
        for (Broker broker : brokers) {
            if (!broker.isUp() || broker.leader == null) {
                continue;
            }
            long highWatermark = broker.log.highWatermark();
            var it = broker.unacknowledged.entrySet().iterator();
            while (it.hasNext()) {
                var entry = it.next();
                if (entry.getKey() >= highWatermark) {
                    break;
                }
                String previous = acknowledged.put(entry.getKey(), entry.getValue());
                if (previous != null && !previous.equals(entry.getValue())) {
                    throw new AssertionError("offset " + entry.getKey() + " acknowledged as " + previous + " and then as "
                            + entry.getValue() + " by broker " + broker.id);
                }
                it.remove();
            }
        }
    }

    private void send(Message message) {
        inFlight.add(message);
    }

    private boolean reachable(int from, int to) {
        return !(isolated.contains(from) || isolated.contains(to)) || from == to;
    }

    private void deliverOne() {
        if (inFlight.isEmpty()) {
            return;
        }
        Message message = inFlight.remove(random.nextInt(inFlight.size()));
        boolean control = message instanceof MetadataUpdate || message instanceof AlterIsr
                || message instanceof AlterIsrRefused;
        if (!control && random.nextInt(100) < 5) {
            log("dropped " + message);
            return;
        }
        if (!control && random.nextInt(100) < 3) {
            inFlight.add(message); // delivered twice
        }
        int from = message instanceof Fetch f ? f.from() : message instanceof AlterIsr a ? a.from() : CONTROLLER;
        if (!control && !reachable(from, message.to())) {
            log("lost across the network cut: " + message);
            return;
        }
        if (control && (isolated.contains(message.to()) || isolated.contains(from))) {
            inFlight.add(message); // retried until the cut heals
            return;
        }
        if (message.to() == CONTROLLER) {
            alterIsr((AlterIsr) message);
            return;
        }
        Broker broker = brokers.get(message.to());
        if (!broker.isUp()) {
            return;
        }
        if (message instanceof MetadataUpdate update) {
            broker.apply(update.metadata());
        } else if (message instanceof Fetch fetch) {
            if (broker.leader != null) {
                send(new FetchAnswer(fetch.from(), fetch.fetch(), broker.leader.fetch(fetch.fetch(), now)));
            }
        } else if (message instanceof FetchAnswer answer) {
            if (broker.follower != null && answer.sent().equals(broker.outstanding)) {
                broker.follower.onFetched(answer.sent(), answer.outcome());
                broker.outstanding = null;
                log("broker " + broker.id + " fetched: " + describe(answer.outcome()) + ", LEO "
                        + broker.log.logEndOffset() + ", HW " + broker.log.highWatermark());
            }
        } else if (message instanceof AlterIsrRefused refused) {
            if (broker.leader != null && broker.leader.leaderEpoch() == refused.leaderEpoch()) {
                broker.leader.isrRefused();
            }
        }
    }

    private static String describe(FetchOutcome outcome) {
        if (outcome instanceof FetchOutcome.Records r) {
            return r.records().remaining() + " bytes, leader HW " + r.highWatermark();
        }
        return outcome.toString();
    }

    private void fetchFromEveryFollower() {
        for (Broker broker : brokers) {
            if (broker.isUp() && broker.follower != null && broker.follower.refusal() == null
                    && (broker.outstanding == null || random.nextInt(10) == 0)) {
                broker.outstanding = broker.follower.nextFetch(FETCH_BYTES); // a lost fetch is retried
                send(new Fetch(broker.id, broker.follower.leaderId(), broker.outstanding));
            }
        }
    }

    private void flush(Broker broker) {
        if (!broker.isUp()) {
            return;
        }
        broker.log.flushTo(broker.log.logEndOffset());
        if (broker.leader != null) {
            broker.leader.localDurable();
        }
    }

    private void proposeIsrChanges() {
        for (Broker broker : brokers) {
            if (broker.isUp() && broker.leader != null) {
                Optional<IsrChange> change = broker.leader.proposeIsrChange(now, REPLICA_LAG_MAX_MS,
                        follower -> false); // fencing is this controller's to check: it refuses a dead follower
                change.ifPresent(c -> {
                    log("broker " + broker.id + " proposes ISR " + c.proposedIsr() + " at partition epoch "
                            + c.partitionEpoch());
                    send(new AlterIsr(CONTROLLER, broker.id, broker.leader.leaderEpoch(), c));
                });
            }
        }
    }

    // ---- the controller ----------------------------------------------------------------------

    private void alterIsr(AlterIsr request) {
        if (request.leaderEpoch() != committed.leaderEpoch() || request.from() != committed.leader()
                || request.change().partitionEpoch() != committed.partitionEpoch()) {
            send(new AlterIsrRefused(request.from(), request.leaderEpoch()));
            return;
        }
        for (Map.Entry<Integer, Long> member : request.change().followerEpochs().entrySet()) {
            if (!live.contains(member.getKey())
                    || registeredIncarnations.get(member.getKey()) != member.getValue().intValue()) {
                log("controller refuses ISR " + request.change().proposedIsr() + ": broker " + member.getKey()
                        + " is fenced or registered again since it reported");
                send(new AlterIsrRefused(request.from(), request.leaderEpoch()));
                return;
            }
        }
        Set<Integer> proposed = new HashSet<>(request.change().proposedIsr());
        commit(new Metadata(committed.leader(), committed.leaderEpoch(), proposed, committed.partitionEpoch() + 1));
    }

    private void commit(Metadata next) {
        committed = next;
        log("controller commits " + next);
        broadcast();
    }

    private void broadcast() {
        for (Broker broker : brokers) {
            send(new MetadataUpdate(broker.id, committed));
        }
    }

    /** A broker left the cluster view: fence it, and elect a new leader from the live ISR if it led. */
    private void fence(int id) {
        live.remove(id);
        Set<Integer> isr = new LinkedHashSet<>(committed.isr());
        if (committed.leader() == id || committed.leader() < 0) {
            Optional<Integer> next = isr.stream().filter(live::contains).sorted().findFirst();
            if (next.isEmpty()) {
                // No live in-sync replica: the partition waits for one (no unclean election).
                commit(new Metadata(-1, committed.leaderEpoch() + 1, committed.isr(), committed.partitionEpoch() + 1));
                return;
            }
            isr.remove(id);
            commit(new Metadata(next.get(), committed.leaderEpoch() + 1, isr, committed.partitionEpoch() + 1));
        } else if (isr.remove(id)) {
            commit(new Metadata(committed.leader(), committed.leaderEpoch(), isr, committed.partitionEpoch() + 1));
        }
    }

    /** A broker registered again; one that lost its disk cannot stay in the ISR. */
    private void register(Broker broker) {
        live.add(broker.id);
        Set<Integer> isr = new LinkedHashSet<>(committed.isr());
        if (broker.diskLost && isr.remove(broker.id)) {
            commit(new Metadata(committed.leader(), committed.leaderEpoch(), isr, committed.partitionEpoch() + 1));
        }
        broker.diskLost = false;
        registeredIncarnations.put(broker.id, broker.incarnation);
        if (committed.leader() < 0) {
            Optional<Integer> next = committed.isr().stream().filter(live::contains).sorted().findFirst();
            if (next.isPresent()) {
                commit(new Metadata(next.get(), committed.leaderEpoch() + 1, committed.isr(),
                        committed.partitionEpoch() + 1));
                return;
            }
        }
        send(new MetadataUpdate(broker.id, committed));
    }

    private void crashOne() {
        List<Broker> up = brokers.stream().filter(Broker::isUp).toList();
        if (up.size() <= 1) {
            return;
        }
        Broker broker = up.get(random.nextInt(up.size()));
        boolean loseDisk = random.nextInt(4) == 0;
        log("broker " + broker.id + " crashes" + (loseDisk ? " and loses its disk" : "") + " (LEO "
                + broker.log.logEndOffset() + ", durable " + broker.log.recoveryPoint() + ")");
        broker.crash(loseDisk);
        fence(broker.id);
    }

    private void restartOne() {
        List<Broker> down = brokers.stream().filter(b -> !b.isUp()).toList();
        if (down.isEmpty()) {
            return;
        }
        Broker broker = down.get(random.nextInt(down.size()));
        broker.start();
        log("broker " + broker.id + " restarts with LEO " + broker.log.logEndOffset() + ", HW "
                + broker.log.highWatermark());
        register(broker);
    }

    private void isolateOne() {
        if (!isolated.isEmpty()) {
            return;
        }
        int id = random.nextInt(BROKERS);
        isolated.add(id);
        log("network cut isolates broker " + id);
        if (brokers.get(id).isUp()) {
            fence(id); // the controller's failure detector sees it leave the view
        }
    }

    private void healNetwork() {
        for (int id : List.copyOf(isolated)) {
            isolated.remove(id);
            log("network cut around broker " + id + " heals");
            Broker broker = brokers.get(id);
            if (broker.isUp() && !live.contains(id)) {
                register(broker);
            }
        }
    }

    // ---- invariants ---------------------------------------------------------------------------

    /** Throws naming the broken invariant: checked after every step. */
    void checkInvariants() {
        for (Broker broker : brokers) {
            if (!broker.isUp()) {
                continue;
            }
            long highWatermark = broker.log.highWatermark();
            if (highWatermark < broker.highestHighWatermarkThisRun) {
                throw new AssertionError("broker " + broker.id + ": the high watermark went back from "
                        + broker.highestHighWatermarkThisRun + " to " + highWatermark);
            }
            broker.highestHighWatermarkThisRun = highWatermark;
        }
        Broker leader = committed.leader() >= 0 ? brokers.get(committed.leader()) : null;
        if (leader != null && leader.isUp() && leader.leader != null
                && leader.leader.leaderEpoch() == committed.leaderEpoch()) {
            Map<Long, String> records = recordsOf(leader.log, leader.log.logEndOffset());
            for (Map.Entry<Long, String> acked : acknowledged.entrySet()) {
                String held = records.get(acked.getKey());
                if (!acked.getValue().equals(held)) {
                    throw new AssertionError("acknowledged record " + acked.getValue() + " at offset " + acked.getKey()
                            + " is " + (held == null ? "missing" : "replaced by " + held) + " on leader broker "
                            + leader.id + " (epoch " + committed.leaderEpoch() + ")");
                }
            }
        }
        List<Broker> up = brokers.stream().filter(Broker::isUp).toList();
        for (int i = 0; i < up.size(); i++) {
            for (int j = i + 1; j < up.size(); j++) {
                Broker a = up.get(i);
                Broker b = up.get(j);
                long below = Math.min(a.log.highWatermark(), b.log.highWatermark());
                Map<Long, String> ofA = recordsOf(a.log, below);
                Map<Long, String> ofB = recordsOf(b.log, below);
                if (!ofA.equals(ofB)) {
                    throw new AssertionError("brokers " + a.id + " and " + b.id + " differ below the high watermark "
                            + below + ": " + ofA + " vs " + ofB);
                }
            }
        }
    }

    /** The values of a log's records below {@code end}, by offset. */
    private static Map<Long, String> recordsOf(PartitionLog log, long end) {
        Map<Long, String> records = new TreeMap<>();
        long from = log.logStartOffset();
        RecordBatch batch = new RecordBatch();
        RecordIterator iterator = new RecordIterator();
        while (from < end) {
            ByteBuffer bytes;
            long next;
            try (FileSlice slice = log.read(from, 1 << 20, end)) {
                if (slice.isEmpty()) {
                    break;
                }
                bytes = slice.readIntoHeap();
                next = slice.nextOffset();
            }
            for (int pos = 0; pos < bytes.limit(); pos += batch.sizeInBytes()) {
                iterator.reset(batch.wrap(bytes, pos));
                while (iterator.hasNext()) {
                    Record record = iterator.next();
                    if (record.offset() < end) {
                        records.put(record.offset(), StandardCharsets.UTF_8.decode(record.value()).toString());
                    }
                }
            }
            from = next;
        }
        return records;
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        for (Broker broker : brokers) {
            if (broker.isUp()) {
                broker.logs.close();
            }
        }
    }
}
