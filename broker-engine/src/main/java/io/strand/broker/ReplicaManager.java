package io.strand.broker;

import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.strand.cluster.ClusterException;
import io.strand.cluster.controller.AlterIsrRequest;
import io.strand.cluster.metadata.BrokerRegistration;
import io.strand.cluster.metadata.MetadataImage;
import io.strand.cluster.metadata.PartitionState;
import io.strand.cluster.metadata.TopicMetadata;
import io.strand.log.CommitPolicy;
import io.strand.log.LogConfig;
import io.strand.log.LogManager;
import io.strand.log.PartitionLog;
import io.strand.log.TopicPartition;
import io.strand.protocol.ErrorCode;
import io.strand.protocol.Replication;
import io.strand.protocol.ResponseStatus;
import io.strand.replication.FetchOutcome;
import io.strand.replication.FollowerPartition;
import io.strand.replication.IsrChange;
import io.strand.replication.LeaderPartition;
import io.strand.replication.ReplicaFetch;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This broker's replicas in a cluster: for every partition the metadata places here it leads (serving
 * followers' fetches and moving the high watermark) or follows (fetching from the leader), as the
 * applied metadata says; and, as the log manager's {@link CommitPolicy}, it completes a write once the
 * in-sync replicas hold it. The replication rules themselves are {@link LeaderPartition} and
 * {@link FollowerPartition}; this class gives them a network, a clock and the controller.
 *
 * <p>Threading: {@link #reconcile} and {@link #proposeIsrChanges} run on the cluster broker's single
 * replication thread; fetches are served on connection event loops; each partition's replication state
 * is guarded by its own monitor.
 */
final class ReplicaManager implements CommitPolicy, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaManager.class);
    private static final String CLIENT_LISTENER = "client";
    private static final long ISR_RETRY_AFTER_REFUSAL_MS = 2_000;
    /** ISR changes one request to the controller carries at most, which it commits as one Raft entry. */
    static final int MAX_ISR_CHANGES_PER_REQUEST = 2_000;
    private static final int PARTITIONS_NAMED_IN_A_LOG_LINE = 20;
    /** Leader-epoch checkpoints written at once when many partitions change leader together. */
    private static final int EPOCH_WRITERS = 16;
    /** Fewer new leaderships than this are started on the reconciling thread alone. */
    private static final int PARALLEL_LEADERSHIP_FROM = 8;

    /** A partition this broker leads, the writes waiting for its high watermark, and how many replicas they need. */
    private record Led(LeaderPartition partition, CommitWaiters waiters, int minIsr) {
        int isrSize() {
            synchronized (partition) {
                return partition.isr().size();
            }
        }

        void highWatermarkMayHaveMoved() {
            waiters.advanced(partition.highWatermark(), isrSize(), minIsr, partition.log().topicPartition().toString());
        }
    }

    private final int brokerId;
    private final long brokerEpoch;
    private final LogManager logs;
    private final ClusterSettings settings;
    private final LogConfig defaults;
    private final Function<List<AlterIsrRequest>, CompletableFuture<Map<Integer, ClusterException>>> alterIsr;
    /** Whether a request for ISR changes waits for the controller's answer. */
    private final AtomicBoolean isrRequestInFlight = new AtomicBoolean();
    private final Map<TopicPartition, Led> led = new ConcurrentHashMap<>();
    private final Map<TopicPartition, FollowerPartition> followed = new ConcurrentHashMap<>();
    /** Touched by the replication thread only. */
    private final Map<Integer, ReplicaFetcher> fetchers = new HashMap<>();
    private final ParkedFetches parked = new ParkedFetches();
    /** Partitions whose last ISR change was refused, and until when not to ask again. */
    private final Map<TopicPartition, Long> isrQuietUntil = new ConcurrentHashMap<>();
    /** The metadata last reconciled: which brokers the controller has fenced. */
    private volatile MetadataImage image = MetadataImage.EMPTY;

    /**
     * @param brokerEpoch this run's registration in the cluster, new with every start
     * @param defaults    the broker's default log settings, whose retention a partition gets back when led here
     * @param alterIsr    asks the controller for ISR changes in one request; completes once the accepted ones are
     *                    committed, with the refused ones by index
     */
    ReplicaManager(int brokerId, long brokerEpoch, LogManager logs, ClusterSettings settings, LogConfig defaults,
                   Function<List<AlterIsrRequest>, CompletableFuture<Map<Integer, ClusterException>>> alterIsr) {
        this.defaults = defaults;
        this.brokerId = brokerId;
        this.brokerEpoch = brokerEpoch;
        this.logs = logs;
        this.settings = settings;
        this.alterIsr = alterIsr;
    }

    /** Whether this broker leads the partition now. */
    boolean leads(TopicPartition tp) {
        return led.containsKey(tp);
    }

    /** Makes this broker lead, follow or drop each partition as the metadata says. */
    void reconcile(MetadataImage image) {
        this.image = image;
        Map<TopicPartition, List<Integer>> newIsrs = new LinkedHashMap<>();
        List<NewLeadership> newlyLed = new ArrayList<>();
        Set<TopicPartition> placedHere = new HashSet<>();
        for (TopicMetadata topic : image.topics().values()) {
            for (PartitionState state : topic.partitions().values()) {
                TopicPartition tp = new TopicPartition(topic.name(), state.partition());
                if (!state.replicas().contains(brokerId)) {
                    continue;
                }
                placedHere.add(tp);
                PartitionLog log = logs.getOrCreateLog(tp);
                if (state.leader() == brokerId) {
                    lead(tp, log, topic, state, newIsrs, newlyLed);
                } else if (state.hasLeader()) {
                    follow(tp, log, state, image);
                } else {
                    stopLeading(tp, "it has no leader");
                    stopFollowing(tp);
                }
            }
        }
        startLeading(newlyLed);
        if (!newIsrs.isEmpty()) {
            // One line for all: the controller shrinks every ISR a dead broker was in at once.
            LOG.info("Broker {} leads {} partition(s) with a new ISR: {}", brokerId, newIsrs.size(),
                    describe(newIsrs.entrySet(), Map.Entry::getKey, e -> e.getValue().toString()));
        }
        Set<TopicPartition> local = new HashSet<>(led.keySet());
        local.addAll(followed.keySet());
        for (TopicPartition tp : local) {
            if (!placedHere.contains(tp)) {
                stopLeading(tp, "it is no longer placed on this broker");
                stopFollowing(tp);
                logs.deleteLog(tp);
                LOG.info("Deleted the replica of {}: {}", tp, image.topic(tp.topic()).isEmpty()
                        ? "its destination was deleted" : "it moved to other brokers");
            }
        }
        fetchers.values().removeIf(fetcher -> {
            if (fetcher.isEmpty()) {
                fetcher.close();
                return true;
            }
            return false;
        });
    }

    /** The metadata last reconciled: what this broker's replicas follow, led partitions' min ISR included. */
    MetadataImage reconciledImage() {
        return image;
    }

    /**
     * The in-sync replicas a write to a partition of {@code topic} with {@code replicas} replicas needs: the topic's
     * own min.insync.replicas, else the cluster's, and never more than the partition's replicas, so that a partition
     * moved to fewer brokers stays writable.
     */
    static int minInsyncReplicas(TopicMetadata topic, ClusterSettings settings, int replicas) {
        return Math.max(1, Math.min(topic.minInsyncReplicas().orElse(settings.minInsyncReplicas()), replicas));
    }

    /**
     * @param newIsrs    receives the partitions led already whose committed ISR changed, with the new one
     * @param newlyLed   receives the partition if this broker leads it in a new epoch: stopped following and ready
     *                   for {@link #startLeading}
     */
    private void lead(TopicPartition tp, PartitionLog log, TopicMetadata topic, PartitionState state,
                      Map<TopicPartition, List<Integer>> newIsrs, List<NewLeadership> newlyLed) {
        int minIsr = minInsyncReplicas(topic, settings, state.replicas().size());
        Led current = led.get(tp);
        if (current != null && current.partition().leaderEpoch() == state.leaderEpoch()) {
            synchronized (current.partition()) {
                if (!current.partition().isr().equals(Set.copyOf(state.isr()))) {
                    newIsrs.put(tp, new ArrayList<>(new TreeSet<>(state.isr())));
                }
                current.partition().replicasChanged(state.replicas());
                current.partition().isrCommitted(Set.copyOf(state.isr()), state.partitionEpoch());
            }
            if (current.minIsr() != minIsr) { // the destination's min.insync.replicas changed, or its replicas did
                current = new Led(current.partition(), current.waiters(), minIsr);
                led.put(tp, current);
            }
            current.highWatermarkMayHaveMoved();
            return;
        }
        stopLeading(tp, "it leads in a new epoch");
        stopFollowing(tp);
        // Back to the broker's retention (a follower has none); the engine applies a destination's own on top.
        log.updateConfig(log.config().with(LogConfig.RETENTION_MS, Long.toString(defaults.retentionMs()))
                .with(LogConfig.RETENTION_BYTES, Long.toString(defaults.retentionBytes())));
        newlyLed.add(new NewLeadership(tp, log, state, minIsr));
    }

    /** A partition this broker is to lead in a new epoch, no longer fetched from its previous leader. */
    private record NewLeadership(TopicPartition tp, PartitionLog log, PartitionState state, int minIsr) {
    }

    /**
     * Leads the partitions: each one's new epoch starts at its log end, which its leader-epoch checkpoint records
     * on disk (a write and two forces) before the partition takes a send. After a failover the new leader takes
     * thousands of partitions at once, so the checkpoints are written side by side ({@value #EPOCH_WRITERS} at a
     * time): a disk completes concurrent forces together, one after another it takes each one's full latency
     * (10,000 partitions: about 6 s one at a time on this kind of machine). A partition whose checkpoint cannot
     * be written is not led; the others are, and the first failure is thrown after them.
     */
    private void startLeading(List<NewLeadership> newlyLed) {
        if (newlyLed.isEmpty()) {
            return;
        }
        long nowMs = System.currentTimeMillis();
        List<CompletableFuture<LeaderPartition>> started = new ArrayList<>(newlyLed.size());
        ExecutorService writers = newlyLed.size() < PARALLEL_LEADERSHIP_FROM ? null
                : Executors.newFixedThreadPool(EPOCH_WRITERS, r -> {
                    Thread t = new Thread(r, "strand-epoch-writer-" + brokerId);
                    t.setDaemon(true);
                    return t;
                });
        try {
            for (NewLeadership p : newlyLed) {
                Supplier<LeaderPartition> start = () -> new LeaderPartition(p.log(), brokerId, p.state().leaderEpoch(),
                        p.state().replicas(), Set.copyOf(p.state().isr()), p.state().partitionEpoch(), nowMs);
                started.add(writers == null ? startInline(start) : CompletableFuture.supplyAsync(start, writers));
            }
            RuntimeException firstFailure = null;
            for (int i = 0; i < newlyLed.size(); i++) {
                NewLeadership p = newlyLed.get(i);
                try {
                    led.put(p.tp(), new Led(started.get(i).join(), new CommitWaiters(), p.minIsr()));
                    LOG.info("Broker {} leads {} in epoch {} (ISR {}, min ISR {}, log end {})", brokerId, p.tp(),
                            p.state().leaderEpoch(), p.state().isr(), p.minIsr(), p.log().logEndOffset());
                } catch (CompletionException e) {
                    if (firstFailure == null) {
                        firstFailure = e.getCause() instanceof RuntimeException cause ? cause : e;
                    }
                }
            }
            if (firstFailure != null) {
                throw firstFailure;
            }
        } finally {
            if (writers != null) {
                writers.shutdown();
            }
        }
    }

    private static CompletableFuture<LeaderPartition> startInline(Supplier<LeaderPartition> start) {
        try {
            return CompletableFuture.completedFuture(start.get());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void follow(TopicPartition tp, PartitionLog log, PartitionState state, MetadataImage image) {
        FollowerPartition current = followed.get(tp);
        if (current != null && current.leaderId() == state.leader() && current.leaderEpoch() == state.leaderEpoch()) {
            return;
        }
        stopLeading(tp, "broker " + state.leader() + " leads it in epoch " + state.leaderEpoch());
        stopFollowing(tp);
        Optional<InetSocketAddress> leader = clientEndpoint(image, state.leader());
        if (leader.isEmpty()) {
            LOG.warn("Cannot follow {}: its leader {} registered no client endpoint", tp, state.leader());
            return;
        }
        // A follower keeps what its leader keeps: it drops segments only below the leader's log start, never
        // by its own retention, which knows nothing of the destination's settings. The engine sets them
        // again when this broker takes the lead.
        LogConfig following = log.config().with(LogConfig.RETENTION_MS, "-1").with(LogConfig.RETENTION_BYTES, "-1");
        // An internal log rolls as its leader's does, so that it keeps as little as the leader's snapshots leave:
        // all of it is replayed when this broker becomes the active one.
        log.updateConfig(ClusterMember.INTERNAL_TOPICS.contains(tp.topic())
                ? InternalStateLog.withInternalSegments(following) : following);
        FollowerPartition follower = new FollowerPartition(log, brokerId, brokerEpoch, state.leader(),
                state.leaderEpoch());
        followed.put(tp, follower);
        ReplicaFetcher fetcher = fetchers.get(state.leader());
        if (fetcher != null && !fetcher.leaderAddress().equals(leader.get())) {
            fetcher.close();
            fetchers.remove(state.leader());
            fetcher = null;
        }
        if (fetcher == null) {
            fetcher = new ReplicaFetcher(brokerId, brokerEpoch, state.leader(), leader.get(),
                    settings.replicationLogin());
            fetchers.put(state.leader(), fetcher);
        }
        fetcher.add(tp, follower);
        LOG.info("Broker {} follows {} from broker {} in epoch {} (log end {})", brokerId, tp, state.leader(),
                state.leaderEpoch(), log.logEndOffset());
    }

    private static Optional<InetSocketAddress> clientEndpoint(MetadataImage image, int broker) {
        return image.broker(broker).map(BrokerRegistration::endpoints).flatMap(endpoints -> endpoints.stream()
                .filter(e -> e.listener().equals(CLIENT_LISTENER)).findFirst())
                .map(e -> new InetSocketAddress(e.host(), e.port()));
    }

    private void stopLeading(TopicPartition tp, String why) {
        Led previous = led.remove(tp);
        if (previous != null) {
            previous.waiters().failAll(new BrokerException(ErrorCode.NOT_LEADER, "broker " + brokerId
                    + " no longer leads " + tp + ": " + why));
        }
    }

    private void stopFollowing(TopicPartition tp) {
        FollowerPartition previous = followed.remove(tp);
        if (previous != null) {
            ReplicaFetcher fetcher = fetchers.get(previous.leaderId());
            if (fetcher != null) {
                fetcher.remove(tp);
            }
        }
    }

    /**
     * As leader, asks the controller to drop followers that fell behind and to take back those that caught up:
     * the changes of every partition that needs one go in one request, and the next request waits for the
     * answer to this one. After a broker dies or comes back, every partition needs a change at about the same
     * moment; one request each would queue thousands of Raft commits at the controller, ahead of the brokers
     * that register or confirm their role.
     */
    void proposeIsrChanges() {
        if (isrRequestInFlight.get()) {
            return;
        }
        long now = System.currentTimeMillis();
        MetadataImage known = image;
        List<ProposedIsr> proposed = new ArrayList<>();
        for (Map.Entry<TopicPartition, Led> entry : led.entrySet()) {
            if (proposed.size() == MAX_ISR_CHANGES_PER_REQUEST) {
                break; // the others go in the next request
            }
            TopicPartition tp = entry.getKey();
            LeaderPartition partition = entry.getValue().partition();
            if (isrQuietUntil.getOrDefault(tp, 0L) > now) {
                continue;
            }
            Optional<IsrChange> change;
            synchronized (partition) {
                change = partition.proposeIsrChange(now, settings.replicaLagMaxMs(), id -> !known.isLive(id));
            }
            change.ifPresent(c -> proposed.add(new ProposedIsr(tp, partition, new AlterIsrRequest(brokerId,
                    tp.topic(), tp.partition(), partition.leaderEpoch(), c.partitionEpoch(),
                    new ArrayList<>(new TreeSet<>(c.proposedIsr())), c.followerEpochs()))));
        }
        if (proposed.isEmpty()) {
            return;
        }
        isrRequestInFlight.set(true);
        LOG.info("Broker {} asks to change the ISR of {} partition(s): {}", brokerId, proposed.size(),
                describe(proposed, ProposedIsr::tp, p -> p.request().newIsr().toString()));
        CompletableFuture<Map<Integer, ClusterException>> answer;
        try {
            answer = alterIsr.apply(proposed.stream().map(ProposedIsr::request).toList());
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((refusals, failure) -> {
            try {
                isrAnswered(proposed, refusals, failure);
            } finally {
                isrRequestInFlight.set(false);
            }
        });
    }

    /** An ISR change this broker asked for, as leader of the partition. */
    private record ProposedIsr(TopicPartition tp, LeaderPartition partition, AlterIsrRequest request) {
    }

    /**
     * The controller committed the ISR changes it accepted (the metadata brings them); a refused one, or all
     * when no controller answered, stands until something changes: a fetch, or new metadata.
     */
    private void isrAnswered(List<ProposedIsr> proposed, Map<Integer, ClusterException> refusals, Throwable failure) {
        Map<ProposedIsr, String> refused = new LinkedHashMap<>();
        for (int i = 0; i < proposed.size(); i++) {
            Throwable why = failure != null ? failure : refusals.get(i);
            if (why instanceof CompletionException && why.getCause() != null) {
                why = why.getCause();
            }
            if (why != null) {
                refused.put(proposed.get(i), why.getMessage());
            }
        }
        long quietUntil = System.currentTimeMillis() + ISR_RETRY_AFTER_REFUSAL_MS;
        refused.keySet().forEach(p -> {
            synchronized (p.partition()) {
                p.partition().isrRefused();
            }
            isrQuietUntil.put(p.tp(), quietUntil);
        });
        if (!refused.isEmpty()) {
            LOG.info("Broker {}: the controller refused the ISR change of {} partition(s): {}", brokerId,
                    refused.size(), describe(refused.keySet(), ProposedIsr::tp, refused::get));
        }
    }

    /**
     * Partitions for a log line, each with what is said of it: every internal log, which an operator (and a tool
     * reading the log) looks for after a failover, then the first others, and how many more there are.
     */
    private static <T> String describe(Collection<T> items, Function<T, TopicPartition> partition,
                                       Function<T, String> what) {
        StringBuilder text = new StringBuilder();
        int others = 0;
        int omitted = 0;
        for (boolean internal : new boolean[] {true, false}) {
            for (T item : items) {
                TopicPartition tp = partition.apply(item);
                if (ClusterMember.INTERNAL_TOPICS.contains(tp.topic()) != internal) {
                    continue;
                }
                if (!internal && others++ >= PARTITIONS_NAMED_IN_A_LOG_LINE) {
                    omitted++;
                    continue;
                }
                text.append(text.isEmpty() ? "" : ", ").append(tp).append(' ').append(what.apply(item));
            }
        }
        if (omitted > 0) {
            text.append(" and ").append(omitted).append(" more");
        }
        return text.toString();
    }

    @Override
    public CompletableFuture<Void> awaitCommitted(PartitionLog log, long offsetExclusive) {
        TopicPartition tp = log.topicPartition();
        Led l = led.get(tp);
        if (l == null) {
            return CompletableFuture.failedFuture(new BrokerException(ErrorCode.NOT_LEADER, "broker " + brokerId
                    + " does not lead " + tp));
        }
        int isr = l.isrSize();
        if (isr < l.minIsr()) {
            return CompletableFuture.failedFuture(new BrokerException(ErrorCode.NOT_ENOUGH_REPLICAS, tp + " has "
                    + isr + " in-sync replica(s), " + l.minIsr() + " are required (min.insync.replicas)"));
        }
        CompletableFuture<Void> committed = l.waiters().add(offsetExclusive, log.highWatermark());
        parked.wake(tp);
        log.awaitDurable(offsetExclusive).whenComplete((ok, error) -> {
            if (error != null) {
                committed.completeExceptionally(error);
                return;
            }
            synchronized (l.partition()) {
                l.partition().localDurable();
            }
            l.highWatermarkMayHaveMoved();
        });
        return committed;
    }

    /** Serves a follower's fetch, holding the answer for up to its wait when nothing is new. */
    void serve(Replication.FetchRequest request, EventLoop loop, Consumer<Replication.FetchResponse> reply) {
        List<Replication.PartitionResult> results = fetchNow(request);
        boolean empty = results.stream().allMatch(r -> r instanceof Replication.Records records
                && !records.records().isReadable());
        if (!empty || request.maxWaitMs() == 0) {
            reply.accept(new Replication.FetchResponse(ResponseStatus.OK, results));
            return;
        }
        List<TopicPartition> partitions = request.partitions().stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        parked.park(partitions, loop, request.maxWaitMs(),
                () -> reply.accept(new Replication.FetchResponse(ResponseStatus.OK,
                        fetchNow(request))),
                () -> request.partitions().stream().allMatch(p -> {
                    Led l = led.get(new TopicPartition(p.topic(), p.partition()));
                    return l == null || l.partition().log().logEndOffset() <= p.fetchOffset();
                }));
    }

    private List<Replication.PartitionResult> fetchNow(Replication.FetchRequest request) {
        List<Replication.PartitionResult> results = new ArrayList<>(request.partitions().size());
        long now = System.currentTimeMillis();
        for (Replication.PartitionFetch p : request.partitions()) {
            results.add(fetchOne(request, p, now));
        }
        return results;
    }

    private Replication.PartitionResult fetchOne(Replication.FetchRequest request, Replication.PartitionFetch p,
                                                 long now) {
        TopicPartition tp = new TopicPartition(p.topic(), p.partition());
        Led l = led.get(tp);
        if (l == null) {
            return new Replication.Refused(p.topic(), p.partition(), ErrorCode.NOT_LEADER, "broker " + brokerId
                    + " does not lead " + tp);
        }
        ReplicaFetch fetch;
        try {
            fetch = new ReplicaFetch(request.replicaId(), request.brokerEpoch(), p.leaderEpoch(), p.fetchOffset(),
                    p.lastFetchedEpoch(), p.durableOffset(), Math.max(1, p.maxBytes()));
        } catch (IllegalArgumentException e) {
            return new Replication.Refused(p.topic(), p.partition(), ErrorCode.INVALID_REQUEST, e.getMessage());
        }
        FetchOutcome outcome;
        synchronized (l.partition()) {
            outcome = l.partition().fetch(fetch, now);
        }
        l.highWatermarkMayHaveMoved();
        if (outcome instanceof FetchOutcome.Records records) {
            return new Replication.Records(p.topic(), p.partition(), records.highWatermark(), records.logEndOffset(),
                    records.logStartOffset(), Unpooled.wrappedBuffer(records.records()));
        }
        if (outcome instanceof FetchOutcome.LogStartMoved moved) {
            return new Replication.LogStartMoved(p.topic(), p.partition(), moved.logStartOffset());
        }
        if (outcome instanceof FetchOutcome.Diverging diverging) {
            return new Replication.Diverging(p.topic(), p.partition(), diverging.epoch(), diverging.endOffset());
        }
        FetchOutcome.Refused refused = (FetchOutcome.Refused) outcome;
        ErrorCode code = switch (refused.error()) {
            case FENCED_LEADER_EPOCH, UNKNOWN_LEADER_EPOCH -> ErrorCode.NOT_LEADER;
            case NOT_A_REPLICA -> ErrorCode.INVALID_REQUEST;
        };
        return new Replication.Refused(p.topic(), p.partition(), code, refused.message());
    }

    @Override
    public void close() {
        fetchers.values().forEach(ReplicaFetcher::close);
        fetchers.clear();
        BrokerException stopped = new BrokerException(ErrorCode.NOT_LEADER, "broker " + brokerId + " is stopping");
        led.values().forEach(l -> l.waiters().failAll(stopped));
        led.clear();
        followed.clear();
    }
}
