package io.strand.broker;

import io.strand.admin.DescribeCluster;
import io.strand.cluster.ClusterException;
import io.strand.cluster.ClusterNode;
import io.strand.cluster.ClusterNodeConfig;
import io.strand.cluster.controller.ControllerError;
import io.strand.cluster.controller.CreateTopicRequest;
import io.strand.cluster.controller.LeaderPlacement;
import io.strand.cluster.metadata.BrokerRegistration;
import io.strand.cluster.metadata.Endpoint;
import io.strand.cluster.metadata.MetadataImage;
import io.strand.cluster.metadata.PartitionState;
import io.strand.cluster.metadata.TopicMetadata;
import io.strand.log.LogManager;
import io.strand.log.PartitionLog;
import io.strand.log.TopicPartition;
import io.strand.protocol.Destinations;
import io.strand.protocol.ErrorCode;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A broker's part in a cluster: it joins through the control plane ({@link ClusterNode}), keeps its
 * replicas as the applied metadata says ({@link ReplicaManager}), and runs the messaging engine while it
 * is the active broker — the one that leads the internal logs and every partition that has a leader
 * (the controller keeps leadership together, {@link LeaderPlacement#COLOCATED}). On taking over, the
 * engine is loaded from the replicated logs, as a restart would load it; on losing the lead, it stops and
 * its clients are disconnected so that they find the new active broker.
 *
 * <p>Every metadata change is handled on one replication thread, which also proposes ISR changes.
 */
final class ClusterMember implements LogPlacement, ClusterView, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterMember.class);
    /** The logs every active broker keeps its JMS state in; created in the cluster before any broker is active. */
    static final List<String> INTERNAL_TOPICS = List.of(DestinationSettings.LOG_TOPIC, DurableSubscriptions.LOG_TOPIC,
            ShareGroups.LOG_TOPIC, SharedSubscriptions.LOG_TOPIC, TransactionLog.LOG_TOPIC, XaTransactionLog.LOG_TOPIC);
    private static final long ISR_CHECK_MS = 250;
    private static final long FULL_REPLICATION_WAIT_MS = 30_000;
    private static final long CONFIRM_TIMEOUT_MS = 2_000;
    /** How long an altered setting is waited for to be applied here once the controller committed it. */
    private static final long APPLY_WAIT_MS = 5_000;

    private final BrokerConfig config;
    private final ClusterSettings settings;
    private final LogManager logs;
    private final ReplicaManager replicas;
    private final ClusterNode node;
    private final ScheduledExecutorService thread;
    private final long startedMs = System.currentTimeMillis();
    private volatile MessagingEngine engine;
    /** Where each engine counts records in and out: the broker's meters, which outlive the engines. */
    private final Traffic traffic;
    private volatile ClusterRouter router;
    private volatile boolean closed;
    /** Whether applying the latest metadata is queued on the replication thread already. */
    private final AtomicBoolean applyQueued = new AtomicBoolean();
    /** Takes the active role back when this is the preferred broker, or null when it is not. */
    private final PreferredActiveRole preferredRole;

    private ClusterMember(BrokerConfig config, LogManager logs, ClusterNode node, ScheduledExecutorService thread,
                          Traffic traffic) {
        this.config = config;
        this.traffic = traffic;
        this.settings = config.cluster();
        this.logs = logs;
        this.node = node;
        this.thread = thread;
        this.replicas = new ReplicaManager(config.brokerId(), node.incarnation(), logs, settings,
                config.logConfig(), node::alterIsr);
        this.preferredRole = settings.preferredActive() == config.brokerId()
                ? new PreferredActiveRole(config.brokerId(), node::moveActive, System::currentTimeMillis) : null;
    }

    /**
     * Joins the cluster, registering {@code clientAddress} as where clients and followers reach this broker.
     *
     * @throws ClusterException when the cluster does not admit this broker
     */
    static ClusterMember join(BrokerConfig config, LogManager logs, InetSocketAddress clientAddress, Traffic traffic) {
        ClusterSettings settings = config.cluster();
        ClusterNodeConfig nodeConfig = ClusterNodeConfig.of(config.brokerId(), settings.clusterId(), settings.bind(),
                new ClusterNodeConfig.StaticPeers(settings.peers()), settings.voters(), settings.metadataDir(),
                List.of(new Endpoint("client", clientAddress.getHostString(), clientAddress.getPort())),
                Optional.empty()).withLeaderPlacement(LeaderPlacement.COLOCATED);
        if (settings.secret() != null) {
            nodeConfig = nodeConfig.withMembershipSecret(settings.secret());
        }
        ClusterNode node = ClusterNode.start(nodeConfig);
        ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "strand-replication-" + config.brokerId());
            t.setDaemon(true);
            return t;
        });
        return new ClusterMember(config, logs, node, thread, traffic);
    }

    /** Starts following the metadata; clients are served through {@code clusterRouter} once this broker is active. */
    void start(ClusterRouter clusterRouter) {
        this.router = clusterRouter;
        logs.commitPolicy(replicas);
        node.metadata().addListener((previous, current, records) -> applyLatestSoon());
        applyLatestSoon();
        thread.scheduleWithFixedDelay(this::tick, ISR_CHECK_MS, ISR_CHECK_MS, TimeUnit.MILLISECONDS);
    }

    ReplicaManager replicas() {
        return replicas;
    }

    MessagingEngine engine() {
        return engine;
    }

    @Override
    public int controllerId() {
        return node.controllerId().orElse(-1);
    }

    @Override
    public List<DescribeCluster.Broker> brokers() {
        MetadataImage image = node.image();
        List<DescribeCluster.Broker> brokers = new ArrayList<>();
        for (int id : image.liveBrokerIds()) {
            image.broker(id).flatMap(b -> b.endpoints().stream().filter(e -> e.listener().equals("client"))
                    .findFirst()).ifPresent(e -> brokers.add(new DescribeCluster.Broker(id, e.host(), e.port())));
        }
        return brokers;
    }

    @Override
    public Placement placement(TopicPartition partition) {
        return node.image().partition(partition.topic(), partition.partition())
                .map(p -> new Placement(p.leader(), p.replicas(), p.isr())).orElse(null);
    }

    /** The active broker leads every partition, so it must stay a replica of the one that moves. */
    @Override
    public CompletableFuture<Void> reassign(TopicPartition partition, List<Integer> targetReplicas) {
        if (!targetReplicas.contains(config.brokerId())) {
            return CompletableFuture.failedFuture(new BrokerException(ErrorCode.INVALID_REQUEST, "broker "
                    + config.brokerId() + " is the active broker, which leads every partition: the target replicas "
                    + targetReplicas + " of " + partition + " must include it"));
        }
        return refusalNamed(node.reassignPartition(partition.topic(), partition.partition(), targetReplicas),
                "move " + partition);
    }

    @Override
    public CompletableFuture<Void> moveActive(int brokerId) {
        return refusalNamed(node.moveActive(brokerId), "move the active role to broker " + brokerId);
    }

    /** {@code decision}, failing with INVALID_REQUEST that says what the controller refused to do and why. */
    private static CompletableFuture<Void> refusalNamed(CompletableFuture<Void> decision, String what) {
        return decision.exceptionallyCompose(error -> {
            Throwable cause = error instanceof CompletionException ? error.getCause() : error;
            return CompletableFuture.failedFuture(new BrokerException(ErrorCode.INVALID_REQUEST,
                    "the controller refused to " + what + ": " + cause.getMessage()));
        });
    }

    /** The client address of the active broker as host:port, or null when none is known. */
    String activeBrokerAddress() {
        MetadataImage image = node.image();
        return image.partition(ShareGroups.LOG_TOPIC, 0).filter(PartitionState::hasLeader)
                .map(p -> clientAddress(image, p.leader())).orElse(null);
    }

    /**
     * The client address of another broker that is the active one as far as this broker can tell, or null:
     * the metadata has it lead the internal logs, the controller has not fenced it, and it is in this broker's
     * view of the cluster. A broker that just died is named by the metadata until the controller moves its
     * partitions, but has left the view already.
     */
    String activeBrokerElsewhere() {
        MetadataImage image = node.image();
        Optional<PartitionState> internal = image.partition(ShareGroups.LOG_TOPIC, 0);
        if (internal.isEmpty() || !internal.get().hasLeader()) {
            return null;
        }
        int leader = internal.get().leader();
        if (leader == config.brokerId() || !image.isLive(leader) || !node.members().contains(leader)) {
            return null;
        }
        return clientAddress(image, leader);
    }

    private static String clientAddress(MetadataImage image, int broker) {
        return image.broker(broker).map(BrokerRegistration::endpoints)
                .flatMap(endpoints -> endpoints.stream().filter(e -> e.listener().equals("client")).findFirst())
                .map(e -> e.host() + ":" + e.port()).orElse(null);
    }

    /**
     * Queues one application of the latest metadata: the changes that arrive while it waits are all in the image
     * it then applies, so a burst of Raft entries costs one reconciliation of every partition, not one each.
     */
    private void applyLatestSoon() {
        if (!closed && applyQueued.compareAndSet(false, true)) {
            try {
                thread.execute(() -> {
                    applyQueued.set(false);
                    apply(node.image());
                });
            } catch (RejectedExecutionException stopping) {
                LOG.debug("Broker {} is stopping: the latest metadata is not applied", config.brokerId());
            }
        }
    }

    private void tick() {
        try {
            if (!closed) {
                MetadataImage image = node.image();
                if (isActive(image) != (engine != null)) {
                    apply(image); // the membership changed what the metadata alone says
                }
                replicas.proposeIsrChanges();
                ensureInternalTopics(image);
                if (preferredRole != null && engine == null) {
                    preferredRole.check(image);
                }
                router.activeBrokerMayHaveChanged(); // the view may have changed without new metadata
            }
        } catch (RuntimeException e) {
            LOG.warn("Broker {}: replication housekeeping failed: {}", config.brokerId(), e.toString(), e);
        }
    }

    private synchronized void apply(MetadataImage image) {
        if (closed) {
            return;
        }
        try {
            boolean active = isActive(image);
            if (!active && engine != null) {
                deactivate();
            }
            replicas.reconcile(image);
            if (active && engine == null) {
                activate();
            }
        } catch (RuntimeException e) {
            LOG.error("Broker {} could not apply the cluster metadata: {}", config.brokerId(), e.toString(), e);
        }
        router.activeBrokerMayHaveChanged();
    }

    /**
     * Active: the internal logs exist and this broker leads them, no partition it is in sync for is led by
     * another broker, and this broker sees a majority of the voters. A broker cut off from the majority stops serving at
     * once: the majority will elect another active broker, and its writes could not be acknowledged anyway.
     */
    private boolean isActive(MetadataImage image) {
        int self = config.brokerId();
        long votersSeen = node.members().stream().filter(settings.voters()::contains).count();
        if (votersSeen * 2 <= settings.voters().size()) {
            return false;
        }
        for (String internal : INTERNAL_TOPICS) {
            Optional<PartitionState> state = image.partition(internal, 0);
            if (state.isEmpty() || state.get().leader() != self) {
                return false;
            }
        }
        for (TopicMetadata topic : image.topics().values()) {
            for (PartitionState state : topic.partitions().values()) {
                // Led elsewhere while in sync here: the controller is moving it here, wait for that. A partition
                // this broker holds no in-sync copy of stays with its leader, and only its destination waits.
                if (state.hasLeader() && state.leader() != self && state.isr().contains(self)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Becomes the active broker once the controller confirms it: this broker's metadata may be stale (it was
     * cut off and has just come back), and serving from a stale view would hand out what others moved on from.
     */
    private void activate() {
        try {
            node.confirmActive().get(CONFIRM_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.info("Broker {} is not confirmed as the active broker yet: {}", config.brokerId(),
                    e instanceof ExecutionException ? e.getCause().getMessage() : "no answer from the controller");
            return; // the next metadata change or check tries again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        long start = System.nanoTime();
        engine = MessagingEngine.load(config, logs, this, this, traffic);
        LOG.info("Broker {} is the active broker of cluster '{}': serving clients (state loaded in {} ms)",
                config.brokerId(), settings.clusterId(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    private void deactivate() {
        engine = null;
        router.closeClients();
        LOG.info("Broker {} is no longer the active broker of cluster '{}': its clients move on", config.brokerId(),
                settings.clusterId());
    }

    /**
     * Creates the internal logs once enough brokers joined to replicate them fully (or, when the others
     * stay away, after a while with those present), so that the first active broker can start.
     */
    private void ensureInternalTopics(MetadataImage image) {
        List<String> missing = INTERNAL_TOPICS.stream().filter(t -> image.topic(t).isEmpty()).toList();
        if (missing.isEmpty() || !node.isController()) {
            return;
        }
        int live = image.liveBrokerIds().size();
        if (live < settings.replicationFactor() && System.currentTimeMillis() - startedMs < FULL_REPLICATION_WAIT_MS) {
            return;
        }
        for (String topic : missing) {
            createTopic(topic, 1, defaultReplicationFactor(), Map.of());
        }
    }

    /** The cluster's replication factor, at most the live brokers: a log is not kept waiting for absent ones. */
    private int defaultReplicationFactor() {
        return Math.max(1, Math.min(settings.replicationFactor(), node.image().liveBrokerIds().size()));
    }

    private void createTopic(String topic, int partitions, int replicationFactor, Map<String, String> topicConfig) {
        awaitDecision(node.createTopic(new CreateTopicRequest(topic, partitions, replicationFactor, topicConfig)),
                "create " + LogPlacement.describe(topic), ControllerError.INVALID_CONFIG,
                ControllerError.TOPIC_ALREADY_EXISTS);
    }

    /**
     * Waits for the controller's decision on a log topic ({@code what}: "create queue orders", say). A refusal of the
     * request itself ({@code badRequest}) is INVALID_REQUEST; {@code harmless} (the decision was made already) is no
     * failure (null: none is); any other failure, or no answer in time, is NOT_ENOUGH_REPLICAS. Each says what it
     * was about.
     */
    private void awaitDecision(CompletableFuture<Void> decision, String what, ControllerError badRequest,
                               ControllerError harmless) {
        try {
            decision.get(config.cluster().replicaLagMaxMs() + 10_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            ControllerError error = cause instanceof ClusterException c ? c.error().orElse(null) : null;
            if (error == badRequest) {
                throw new BrokerException(ErrorCode.INVALID_REQUEST, "the cluster refused to " + what + ": "
                        + cause.getMessage());
            }
            if (error == null || error != harmless) {
                throw new BrokerException(ErrorCode.NOT_ENOUGH_REPLICAS, "the cluster could not " + what + ": "
                        + cause.getMessage());
            }
        } catch (TimeoutException e) {
            throw new BrokerException(ErrorCode.NOT_ENOUGH_REPLICAS, "the cluster did not " + what + " in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerException(ErrorCode.NOT_ENOUGH_REPLICAS, "interrupted while waiting to " + what);
        }
    }

    /**
     * Destinations are created through the controller, with the replication factor and min.insync.replicas asked
     * for or else the cluster's; this returns once this broker leads every new partition. A destination's own
     * min.insync.replicas is kept in its topic's config in the replicated metadata, where every broker finds it.
     */
    @Override
    public List<PartitionLog> create(String logTopic, int from, int to, ReplicationRequest replication) {
        if (from > 0) {
            createPartitions(logTopic, to);
            return awaitLeadership(logTopic, from, to);
        }
        int replicationFactor = replicationFactor(logTopic, replication);
        Map<String, String> topicConfig = Map.of();
        if (replication.minInsyncReplicas().isPresent()) {
            int minInsync = replication.minInsyncReplicas().getAsInt();
            if (minInsync > replicationFactor) {
                throw new BrokerException(ErrorCode.INVALID_REQUEST, Destinations.MIN_INSYNC_REPLICAS + "=" + minInsync
                        + " of " + LogPlacement.describe(logTopic) + " is more than its " + Destinations.REPLICATION_FACTOR
                        + "=" + replicationFactor + (replication.replicationFactor().isPresent() ? ""
                        : " (the cluster's, at most the live brokers)") + ": a write cannot wait for more copies than"
                        + " there are");
            }
            topicConfig = Map.of(TopicMetadata.MIN_INSYNC_REPLICAS, Integer.toString(minInsync));
        }
        createTopic(logTopic, to, replicationFactor, topicConfig);
        return awaitLeadership(logTopic, from, to);
    }

    /**
     * Grows a log topic through the controller: the new partitions get as many replicas as the topic's have, with
     * this broker, the active one, as their leader.
     */
    private void createPartitions(String logTopic, int partitions) {
        awaitDecision(node.createPartitions(logTopic, partitions), "add partitions to " + LogPlacement.describe(logTopic),
                ControllerError.INVALID_PARTITIONS, null);
    }

    /** Waits until this broker leads the partitions {@code from} to {@code to} (exclusive) of a new or grown topic. */
    private List<PartitionLog> awaitLeadership(String logTopic, int from, int to) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        List<PartitionLog> created = new ArrayList<>(to);
        for (int p = from; p < to; p++) {
            TopicPartition tp = new TopicPartition(logTopic, p);
            while (!replicas.leads(tp)) {
                if (System.nanoTime() > deadline) {
                    throw new BrokerException(ErrorCode.NOT_LEADER, "broker " + config.brokerId() + " was not made "
                            + "leader of the new partition " + tp + " in time");
                }
                sleep(5);
            }
            created.add(logs.getLog(tp).orElseThrow());
        }
        return created;
    }

    /**
     * The replication factor a new log topic gets: the one asked for, which the brokers registered in the cluster
     * must be able to hold and the live ones hold now, or else the cluster's.
     */
    private int replicationFactor(String logTopic, ReplicationRequest replication) {
        if (replication.replicationFactor().isEmpty()) {
            return defaultReplicationFactor();
        }
        int asked = replication.replicationFactor().getAsInt();
        MetadataImage image = node.image();
        if (asked > image.brokers().size()) {
            throw new BrokerException(ErrorCode.INVALID_REQUEST, Destinations.REPLICATION_FACTOR + "=" + asked + " of "
                    + LogPlacement.describe(logTopic) + " is more than the " + image.brokers().size()
                    + " broker(s) registered in cluster '" + settings.clusterId() + "'");
        }
        if (asked > image.liveBrokerIds().size()) {
            throw new BrokerException(ErrorCode.NOT_ENOUGH_REPLICAS, Destinations.REPLICATION_FACTOR + "=" + asked
                    + " of " + LogPlacement.describe(logTopic) + " needs " + asked + " live brokers; only "
                    + image.liveBrokerIds() + " are live now");
        }
        return asked;
    }

    /**
     * A log topic's replication factor is the replicas its partitions have now (moving partitions changes it); its
     * min.insync.replicas is its own, from the metadata, or else the cluster's, at most the replication factor.
     */
    @Override
    public DestinationReplication replication(String logTopic) {
        Optional<TopicMetadata> topic = node.image().topic(logTopic);
        if (topic.isEmpty()) {
            int replicationFactor = defaultReplicationFactor();
            return new DestinationReplication(replicationFactor,
                    Math.min(settings.minInsyncReplicas(), replicationFactor));
        }
        int replicationFactor = topic.get().currentReplicationFactor();
        return new DestinationReplication(replicationFactor,
                ReplicaManager.minInsyncReplicas(topic.get(), settings, replicationFactor));
    }

    /**
     * The controller sets the topic's min.insync.replicas in the replicated metadata, so every broker, and the next
     * active broker after a failover, applies the same value. Completes once this broker applied it to the partitions
     * it leads (or after {@value #APPLY_WAIT_MS} ms, the change being committed in any case).
     */
    @Override
    public CompletableFuture<Void> alterMinInsyncReplicas(String logTopic, int minInsyncReplicas) {
        String what = LogPlacement.describe(logTopic);
        Optional<TopicMetadata> topic = node.image().topic(logTopic);
        if (topic.isEmpty()) {
            return CompletableFuture.failedFuture(new BrokerException(ErrorCode.UNKNOWN_DESTINATION, what
                    + " is not in the cluster's metadata"));
        }
        int replicationFactor = topic.get().currentReplicationFactor();
        if (minInsyncReplicas < 1 || minInsyncReplicas > replicationFactor) {
            return CompletableFuture.failedFuture(new BrokerException(ErrorCode.INVALID_REQUEST,
                    Destinations.MIN_INSYNC_REPLICAS + "=" + minInsyncReplicas + " of " + what + " must be 1 to its "
                            + Destinations.REPLICATION_FACTOR + "=" + replicationFactor));
        }
        String value = Integer.toString(minInsyncReplicas);
        return node.alterTopicConfig(logTopic, Map.of(TopicMetadata.MIN_INSYNC_REPLICAS, value))
                .exceptionallyCompose(error -> {
                    Throwable cause = error instanceof CompletionException ? error.getCause() : error;
                    ControllerError code = cause instanceof ClusterException c ? c.error().orElse(null) : null;
                    return CompletableFuture.failedFuture(new BrokerException(code == ControllerError.INVALID_CONFIG
                            ? ErrorCode.INVALID_REQUEST : ErrorCode.NOT_LEADER, "the cluster did not set "
                            + Destinations.MIN_INSYNC_REPLICAS + "=" + value + " of " + what + ": " + cause.getMessage()));
                })
                .thenCompose(committed -> whenReconciled(image -> image.topic(logTopic)
                        .map(t -> value.equals(t.config().get(TopicMetadata.MIN_INSYNC_REPLICAS))).orElse(true)));
    }

    /**
     * Completes once the metadata this broker's replicas follow satisfies {@code applied}, checked on the replication
     * thread, which reconciles the replicas, or after {@value #APPLY_WAIT_MS} ms.
     */
    private CompletableFuture<Void> whenReconciled(Predicate<MetadataImage> applied) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(APPLY_WAIT_MS);
        Runnable check = new Runnable() {
            @Override
            public void run() {
                if (applied.test(replicas.reconciledImage()) || System.nanoTime() > deadline || closed) {
                    done.complete(null);
                    return;
                }
                try {
                    thread.schedule(this, 10, TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException stopping) {
                    done.complete(null);
                }
            }
        };
        try {
            thread.execute(check);
        } catch (RejectedExecutionException stopping) {
            done.complete(null);
        }
        return done;
    }

    /** The controller deletes the topic; every replica removes its log when it applies that. */
    @Override
    public void delete(String logTopic, List<PartitionLog> partitions) {
        node.deleteTopic(logTopic).whenComplete((ok, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException ? error.getCause() : error;
                LOG.warn("The cluster did not delete {}: {}", logTopic, cause.getMessage());
            }
        });
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerException(ErrorCode.NOT_LEADER, "interrupted");
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        engine = null;
        node.close();
        replicas.close();
    }
}
