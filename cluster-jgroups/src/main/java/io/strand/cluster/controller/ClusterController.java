package io.strand.cluster.controller;

import io.strand.cluster.metadata.AlterTopicConfig;
import io.strand.cluster.metadata.BrokerRegistration;
import io.strand.cluster.metadata.CreatePartitions;
import io.strand.cluster.metadata.CreateTopic;
import io.strand.cluster.metadata.DeleteTopic;
import io.strand.cluster.metadata.FenceBroker;
import io.strand.cluster.metadata.MetadataImage;
import io.strand.cluster.metadata.MetadataRecord;
import io.strand.cluster.metadata.MetadataStateMachine;
import io.strand.cluster.metadata.PartitionChange;
import io.strand.cluster.metadata.PartitionState;
import io.strand.cluster.metadata.RegisterBroker;
import io.strand.cluster.metadata.TopicMetadata;
import io.strand.cluster.metadata.UnfenceBroker;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntPredicate;
import java.util.function.Predicate;

/**
 * The controller's decisions: each method takes the current image and one event and returns the records
 * to commit as one batch (empty when nothing changes), or throws a {@link ControllerException}.
 *
 * <p>The controller keeps no state of its own, so a new Raft leader takes over with nothing but the
 * replicated image, and the caller must run one decision at a time against the image that includes the
 * previous one's records. The state machine's own epoch checks refuse a batch decided on an older image.
 *
 * <p>The rules it keeps: a partition leader is always a live member of the ISR; a leader that leaves is
 * replaced from the live ISR with a new leader epoch; an out-of-sync replica is never elected unless the
 * topic allows unclean election; ISR changes come only from the current leader in the current epochs.
 */
public final class ClusterController {
    private final String clusterId;
    private final LeaderPlacement placement;
    /** The broker this controller runs on, which is not made the active broker while another one can be. */
    private final int controllerBroker;

    /** A controller for the cluster with this id that spreads leadership; brokers of another cluster are refused. */
    public ClusterController(String clusterId) {
        this(clusterId, LeaderPlacement.SPREAD);
    }

    /** A controller for the cluster with this id that places leaders as {@code placement} says. */
    public ClusterController(String clusterId, LeaderPlacement placement) {
        this(clusterId, placement, PartitionChange.NO_LEADER);
    }

    /**
     * A controller for the cluster with this id that places leaders as {@code placement} says, running on broker
     * {@code controllerBroker}: under {@link LeaderPlacement#COLOCATED} it chooses a new active broker other than
     * that one when another is as much in sync, so that the death of one broker never costs both a Raft election
     * and a JMS failover.
     */
    public ClusterController(String clusterId, LeaderPlacement placement, int controllerBroker) {
        this.clusterId = Objects.requireNonNull(clusterId, "clusterId");
        this.placement = Objects.requireNonNull(placement, "placement");
        this.controllerBroker = controllerBroker;
    }

    /**
     * The broker a partition should be led by when it can: its first replica when leadership spreads, the
     * active broker when it is colocated.
     */
    private int preferredLeader(PartitionChangeBuilder partition, int activeBroker) {
        return placement == LeaderPlacement.SPREAD ? partition.replicas().get(0) : activeBroker;
    }

    /** The active broker under {@link LeaderPlacement#COLOCATED}; no broker when leadership spreads. */
    private int activeBroker(MetadataImage image, IntPredicate live) {
        return placement == LeaderPlacement.COLOCATED ? ActiveBroker.of(image, live, controllerBroker)
                : PartitionChange.NO_LEADER;
    }

    /**
     * The broker that holds the active role under {@link LeaderPlacement#COLOCATED} in {@code image}: the live broker
     * that leads the most partitions, or {@link PartitionChange#NO_LEADER} when none leads any.
     */
    public static int activeBrokerOf(MetadataImage image) {
        return ActiveBroker.holder(image);
    }

    /**
     * A broker registers at start or asks to be unfenced after its membership healed. A new process
     * (new incarnation) replaces a fenced registration; the same process is unfenced; another process
     * under the id of a live broker is refused. A broker that becomes live takes the lead of leaderless
     * partitions it is in sync for, and of partitions it is the preferred and in-sync leader of.
     */
    public List<MetadataRecord> registerBroker(MetadataImage image, BrokerRegistrationRequest request) {
        if (!clusterId.equals(request.clusterId())) {
            throw new ControllerException(ControllerError.INVALID_CLUSTER_ID, "broker " + request.brokerId()
                    + " belongs to cluster '" + request.clusterId() + "', this is cluster '" + clusterId + "'");
        }
        Optional<BrokerRegistration> existing = image.broker(request.brokerId());
        List<MetadataRecord> records = new ArrayList<>();
        if (existing.isPresent() && existing.get().incarnation() == request.incarnation()) {
            if (!existing.get().fenced()) {
                return List.of();
            }
            records.add(new UnfenceBroker(request.brokerId()));
        } else {
            if (existing.isPresent() && !existing.get().fenced()) {
                throw new ControllerException(ControllerError.DUPLICATE_BROKER_ID, "broker id "
                        + request.brokerId() + " is held by a live process (incarnation "
                        + existing.get().incarnation() + "), refusing incarnation " + request.incarnation());
            }
            try {
                records.add(new RegisterBroker(request.brokerId(), request.incarnation(), request.endpoints(),
                        request.rack()));
            } catch (IllegalArgumentException e) {
                throw new ControllerException(ControllerError.INVALID_REQUEST, e.getMessage());
            }
        }
        MetadataImage registered = MetadataStateMachine.applyTo(image, records);
        int brokerId = request.brokerId();
        int active = activeBroker(registered, registered::isLive);
        forEachPartition(registered, p -> p.replicas().contains(brokerId), records,
                (partition, topic) -> {
                    int preferred = preferredLeader(partition, active);
                    PartitionDecisions.electLeaderIfNeeded(partition, registered::isLive,
                            topic.uncleanLeaderElection(), preferred);
                    PartitionDecisions.restorePreferredLeader(partition, registered::isLive, preferred);
                });
        return records;
    }

    /**
     * The membership changed: every live broker that is not a member any more is fenced, the partitions
     * it led get a new leader from the live ISR, and it leaves the ISR of the partitions it followed.
     * Returning members are not unfenced here but when they register, since only the broker knows
     * whether it is the same process.
     */
    public List<MetadataRecord> handleMembership(MetadataImage image, Set<Integer> memberIds) {
        Set<Integer> leaving = new TreeSet<>(image.liveBrokerIds());
        leaving.removeAll(memberIds);
        if (leaving.isEmpty()) {
            return List.of();
        }
        List<MetadataRecord> records = new ArrayList<>();
        leaving.forEach(id -> records.add(new FenceBroker(id)));
        IntPredicate live = id -> image.isLive(id) && !leaving.contains(id);
        int active = activeBroker(image, live);
        forEachPartition(image, p -> p.replicas().stream().anyMatch(leaving::contains), records,
                (partition, topic) -> {
                    PartitionDecisions.electLeaderIfNeeded(partition, live, topic.uncleanLeaderElection(),
                            preferredLeader(partition, active));
                    PartitionDecisions.shrinkIsrToLive(partition, live);
                });
        return records;
    }

    /**
     * A leader asks to change its ISR. Refused unless it leads in the epochs it names and the new ISR
     * holds the leader, only replicas, and no fenced broker it adds. An expansion may complete a
     * reassignment or bring the preferred leader back, in the same change.
     */
    public List<MetadataRecord> alterIsr(MetadataImage image, AlterIsrRequest request) {
        return alterIsr(image, request, activeBroker(image, image::isLive));
    }

    /**
     * Decides the ISR changes a leader asks for together, each as {@link #alterIsr(MetadataImage,
     * AlterIsrRequest)} would, against the same image: they commit as one batch, so a partition named twice
     * gets its first change and the second is refused as stale. A leader whose followers all come back at once
     * asks for thousands of partitions; deciding them together costs the cluster one Raft entry, not thousands.
     */
    public AlterIsrDecision alterIsr(MetadataImage image, List<AlterIsrRequest> requests) {
        // Accepting a change only hands leadership to the active broker, never away from it, so the active broker
        // that the image names holds for every request of the batch.
        int active = activeBroker(image, image::isLive);
        List<MetadataRecord> records = new ArrayList<>();
        Map<Integer, ControllerException> refusals = new HashMap<>();
        Set<String> decided = new HashSet<>();
        for (int i = 0; i < requests.size(); i++) {
            AlterIsrRequest request = requests.get(i);
            String where = request.topic() + "-" + request.partition();
            try {
                if (!decided.add(where)) {
                    throw new ControllerException(ControllerError.STALE_PARTITION_EPOCH, "request for " + where
                            + " comes after another one for it in the same batch");
                }
                records.addAll(alterIsr(image, request, active));
            } catch (ControllerException refused) {
                refusals.put(i, refused);
            }
        }
        return new AlterIsrDecision(records, refusals);
    }

    private List<MetadataRecord> alterIsr(MetadataImage image, AlterIsrRequest request, int activeBroker) {
        PartitionState state = requirePartition(image, request.topic(), request.partition());
        String where = request.topic() + "-" + request.partition();
        if (state.leader() != request.brokerId() || state.leaderEpoch() != request.leaderEpoch()) {
            throw new ControllerException(ControllerError.NOT_LEADER_OR_FENCED, "broker " + request.brokerId()
                    + " does not lead " + where + " in leader epoch " + request.leaderEpoch() + " (leader is "
                    + state.leader() + " in epoch " + state.leaderEpoch() + ")");
        }
        if (state.partitionEpoch() != request.partitionEpoch()) {
            throw new ControllerException(ControllerError.STALE_PARTITION_EPOCH, "request for " + where
                    + " was made against partition epoch " + request.partitionEpoch() + ", the current one is "
                    + state.partitionEpoch());
        }
        validateNewIsr(image, state, request.newIsr(), request.incarnations(), where);
        PartitionChangeBuilder partition = new PartitionChangeBuilder(state).isr(request.newIsr());
        PartitionDecisions.completeReassignmentIfCaughtUp(partition, image::isLive);
        PartitionDecisions.restorePreferredLeader(partition, image::isLive, preferredLeader(partition, activeBroker));
        return partition.build().<List<MetadataRecord>>map(List::of).orElse(List.of());
    }

    /** Creates a topic with its replicas placed across the live brokers (see {@link ReplicaPlacement}). */
    public List<MetadataRecord> createTopic(MetadataImage image, CreateTopicRequest request) {
        if (image.topic(request.name()).isPresent()) {
            throw new ControllerException(ControllerError.TOPIC_ALREADY_EXISTS, "topic " + request.name()
                    + " already exists");
        }
        if (request.partitions() < 1) {
            throw new ControllerException(ControllerError.INVALID_PARTITIONS, "partitions=" + request.partitions()
                    + " for topic " + request.name() + " is below 1");
        }
        List<BrokerRegistration> live = image.brokers().values().stream().filter(b -> !b.fenced()).toList();
        if (request.replicationFactor() < 1 || request.replicationFactor() > live.size()) {
            throw new ControllerException(ControllerError.INVALID_REPLICATION_FACTOR, "replicationFactor="
                    + request.replicationFactor() + " for topic " + request.name() + " must be 1 to the "
                    + live.size() + " live brokers");
        }
        validateConfig(request.name(), request.config(), request.replicationFactor());
        List<MetadataRecord> records = new ArrayList<>();
        try {
            records.add(new CreateTopic(request.name(), request.partitions(), request.replicationFactor(),
                    request.config()));
        } catch (IllegalArgumentException e) {
            throw new ControllerException(ControllerError.INVALID_REQUEST, e.getMessage());
        }
        List<List<Integer>> assignment = placement == LeaderPlacement.SPREAD
                ? ReplicaPlacement.place(request.name(), request.partitions(), request.replicationFactor(), live)
                : ReplicaPlacement.placeColocated(request.partitions(), request.replicationFactor(), live,
                        activeBroker(image, image::isLive));
        for (int p = 0; p < assignment.size(); p++) {
            List<Integer> replicas = assignment.get(p);
            records.add(new PartitionChange(request.name(), p, replicas.get(0), 0, replicas, replicas, 0, List.of()));
        }
        return records;
    }

    /**
     * Grows a topic to {@code partitions} partitions, placing each new one as a new topic's are placed (with the
     * active broker as leader under {@link LeaderPlacement#COLOCATED}), on as many replicas as the topic's partitions
     * have now.
     */
    public List<MetadataRecord> createPartitions(MetadataImage image, String name, int partitions) {
        TopicMetadata topic = image.topic(name).orElseThrow(() -> new ControllerException(
                ControllerError.UNKNOWN_TOPIC_OR_PARTITION, "topic " + name + " does not exist"));
        int from = topic.partitionCount();
        if (partitions <= from) {
            throw new ControllerException(ControllerError.INVALID_PARTITIONS, "topic " + name + " has " + from
                    + " partitions; partitions are only added, so " + partitions + " is not a new count");
        }
        List<BrokerRegistration> live = image.brokers().values().stream().filter(b -> !b.fenced()).toList();
        int replicationFactor = topic.currentReplicationFactor();
        if (replicationFactor > live.size()) {
            throw new ControllerException(ControllerError.INVALID_REPLICATION_FACTOR, "the partitions of topic " + name
                    + " have " + replicationFactor + " replicas but only " + live.size() + " brokers are live");
        }
        List<List<Integer>> assignment = placement == LeaderPlacement.SPREAD
                ? ReplicaPlacement.place(name, partitions, replicationFactor, live).subList(from, partitions)
                : ReplicaPlacement.placeColocated(partitions - from, replicationFactor, live,
                        activeBroker(image, image::isLive));
        List<MetadataRecord> records = new ArrayList<>();
        records.add(new CreatePartitions(name, partitions));
        for (int i = 0; i < assignment.size(); i++) {
            List<Integer> replicas = assignment.get(i);
            records.add(new PartitionChange(name, from + i, replicas.get(0), 0, replicas, replicas, 0, List.of()));
        }
        return records;
    }

    /**
     * Confirms that a broker is the active broker under {@link LeaderPlacement#COLOCATED}: live, the leader of
     * at least one partition and of every partition it is in sync for (a partition it holds no in-sync copy of
     * may be led elsewhere). Changes nothing.
     *
     * @throws ControllerException {@link ControllerError#NOT_ACTIVE} when it is not
     */
    public void confirmActive(MetadataImage image, int brokerId) {
        boolean leadsAny = false;
        for (TopicMetadata topic : image.topics().values()) {
            for (PartitionState partition : topic.partitions().values()) {
                if (partition.hasLeader() && partition.leader() != brokerId && partition.isr().contains(brokerId)) {
                    throw new ControllerException(ControllerError.NOT_ACTIVE, "broker " + partition.leader()
                            + ", not " + brokerId + ", leads " + topic.name() + "-" + partition.partition());
                }
                leadsAny |= partition.leader() == brokerId;
            }
        }
        if (!leadsAny || !image.isLive(brokerId)) {
            throw new ControllerException(ControllerError.NOT_ACTIVE, "broker " + brokerId
                    + (image.isLive(brokerId) ? " leads no partition" : " is not live"));
        }
    }

    /**
     * Sets settings of a topic, keeping the others; every broker applies them from the metadata. A
     * {@value TopicMetadata#MIN_INSYNC_REPLICAS} must be 1 to the topic's current replication factor.
     */
    public List<MetadataRecord> alterTopicConfig(MetadataImage image, String name, Map<String, String> entries) {
        TopicMetadata topic = image.topic(name).orElseThrow(() -> new ControllerException(
                ControllerError.UNKNOWN_TOPIC_OR_PARTITION, "topic " + name + " does not exist"));
        validateConfig(name, entries, topic.currentReplicationFactor());
        if (topic.config().entrySet().containsAll(entries.entrySet())) {
            return List.of();
        }
        try {
            return List.of(new AlterTopicConfig(name, entries));
        } catch (IllegalArgumentException e) {
            throw new ControllerException(ControllerError.INVALID_REQUEST, e.getMessage());
        }
    }

    /**
     * The settings the controller itself relies on must make sense for the topic: a write can never wait for more
     * in-sync replicas than the topic has.
     */
    private static void validateConfig(String topic, Map<String, String> config, int replicationFactor) {
        String minInsync = config.get(TopicMetadata.MIN_INSYNC_REPLICAS);
        if (minInsync == null) {
            return;
        }
        int value;
        try {
            value = Integer.parseInt(minInsync);
        } catch (NumberFormatException e) {
            throw new ControllerException(ControllerError.INVALID_CONFIG, TopicMetadata.MIN_INSYNC_REPLICAS + "='"
                    + minInsync + "' of topic " + topic + " is not a whole number");
        }
        if (value < 1 || value > replicationFactor) {
            throw new ControllerException(ControllerError.INVALID_CONFIG, TopicMetadata.MIN_INSYNC_REPLICAS + "="
                    + value + " of topic " + topic + " must be 1 to its replication factor " + replicationFactor);
        }
    }

    /** Deletes a topic; brokers delete their replicas when they apply it. */
    public List<MetadataRecord> deleteTopic(MetadataImage image, String name) {
        if (image.topic(name).isEmpty()) {
            throw new ControllerException(ControllerError.UNKNOWN_TOPIC_OR_PARTITION, "topic " + name
                    + " does not exist");
        }
        return List.of(new DeleteTopic(name));
    }

    /**
     * Starts moving a partition to other replicas. The target replicas are added first and the leader
     * brings them into the ISR as they catch up; once all of them are in sync, the ISR expansion that
     * completes it drops the old replicas (see {@link PartitionDecisions#completeReassignmentIfCaughtUp}).
     */
    public List<MetadataRecord> reassignPartition(MetadataImage image, String topic, int partition,
                                                  List<Integer> targetReplicas) {
        PartitionState state = requirePartition(image, topic, partition);
        String where = topic + "-" + partition;
        if (state.isReassigning()) {
            throw new ControllerException(ControllerError.REASSIGNMENT_IN_PROGRESS, where + " is already moving to "
                    + state.targetReplicas());
        }
        if (targetReplicas.isEmpty() || new HashSet<>(targetReplicas).size() != targetReplicas.size()) {
            throw new ControllerException(ControllerError.INVALID_REPLICA_ASSIGNMENT, "target replicas "
                    + targetReplicas + " of " + where + " are empty or repeat a broker");
        }
        for (int broker : targetReplicas) {
            if (image.broker(broker).isEmpty()) {
                throw new ControllerException(ControllerError.INVALID_REPLICA_ASSIGNMENT, "target replica " + broker
                        + " of " + where + " is not a registered broker");
            }
        }
        if (targetReplicas.equals(state.replicas())) {
            return List.of();
        }
        List<Integer> replicas = new ArrayList<>(targetReplicas);
        state.replicas().stream().filter(r -> !targetReplicas.contains(r)).forEach(replicas::add);
        PartitionChangeBuilder builder = new PartitionChangeBuilder(state).replicas(replicas)
                .targetReplicas(targetReplicas);
        PartitionDecisions.completeReassignmentIfCaughtUp(builder, image::isLive);
        return builder.build().<List<MetadataRecord>>map(List::of).orElse(List.of());
    }

    /**
     * Hands every partition back to its preferred leader where that one is live and in sync: its first
     * replica, or under {@link LeaderPlacement#COLOCATED} the active broker.
     */
    public List<MetadataRecord> rebalancePreferredLeaders(MetadataImage image) {
        List<MetadataRecord> records = new ArrayList<>();
        int active = activeBroker(image, image::isLive);
        forEachPartition(image, p -> true, records, (partition, topic) -> PartitionDecisions
                .restorePreferredLeader(partition, image::isLive, preferredLeader(partition, active)));
        return records;
    }

    /**
     * Moves the active role to {@code brokerId} under {@link LeaderPlacement#COLOCATED}: it leads every partition it
     * has a replica of from a new leader epoch, and the broker that had the role follows (an operator's handover
     * before maintenance, or a return to the broker the role belongs on once it is back in sync). A partition it has
     * no replica of keeps its leader, as after a failover. All or nothing: the broker must be live and in sync for
     * every partition it has a replica of, since the active broker serves every destination.
     *
     * @throws ControllerException {@link ControllerError#INVALID_REQUEST} when leaders are spread, the broker is not
     *                             live or has no replica, or it is out of sync for some partition (the first few are
     *                             named)
     */
    public List<MetadataRecord> moveActive(MetadataImage image, int brokerId) {
        if (placement != LeaderPlacement.COLOCATED) {
            throw new ControllerException(ControllerError.INVALID_REQUEST, "this cluster spreads its partition"
                    + " leaders over the brokers; there is no active broker to move");
        }
        if (!image.isLive(brokerId)) {
            throw new ControllerException(ControllerError.INVALID_REQUEST, "broker " + brokerId + " is "
                    + (image.broker(brokerId).isPresent() ? "not live" : "not a registered broker"));
        }
        List<String> outOfSync = new ArrayList<>();
        image.topics().values().stream().sorted(Comparator.comparing(TopicMetadata::name)).forEach(topic ->
                topic.partitions().values().stream().sorted(Comparator.comparingInt(PartitionState::partition))
                        .filter(p -> p.replicas().contains(brokerId) && !p.isr().contains(brokerId))
                        .forEach(p -> outOfSync.add(topic.name() + "-" + p.partition())));
        if (!outOfSync.isEmpty()) {
            throw new ControllerException(ControllerError.INVALID_REQUEST, "broker " + brokerId + " is not in sync for "
                    + outOfSync.size() + " partition(s), e.g. " + String.join(", ",
                    outOfSync.subList(0, Math.min(5, outOfSync.size()))) + "; the active role stays where it is");
        }
        boolean holdsAny = image.topics().values().stream().flatMap(t -> t.partitions().values().stream())
                .anyMatch(p -> p.replicas().contains(brokerId));
        if (!holdsAny) {
            throw new ControllerException(ControllerError.INVALID_REQUEST, "broker " + brokerId + " has no replica of"
                    + " any partition");
        }
        List<MetadataRecord> records = new ArrayList<>();
        forEachPartition(image, p -> p.replicas().contains(brokerId) && p.leader() != brokerId, records,
                (partition, topic) -> partition.leader(brokerId));
        return records;
    }

    private static void validateNewIsr(MetadataImage image, PartitionState state, List<Integer> newIsr,
                                       Map<Integer, Long> incarnations, String where) {
        if (new HashSet<>(newIsr).size() != newIsr.size()) {
            throw new ControllerException(ControllerError.INVALID_ISR, "isr " + newIsr + " of " + where
                    + " repeats a broker");
        }
        if (!newIsr.contains(state.leader())) {
            throw new ControllerException(ControllerError.INVALID_ISR, "isr " + newIsr + " of " + where
                    + " leaves out its leader " + state.leader());
        }
        for (int member : newIsr) {
            if (!state.replicas().contains(member)) {
                throw new ControllerException(ControllerError.INVALID_ISR, "isr " + newIsr + " of " + where
                        + " names broker " + member + ", which is not one of its replicas " + state.replicas());
            }
            if (!state.isr().contains(member) && !image.isLive(member)) {
                throw new ControllerException(ControllerError.INVALID_ISR, "isr " + newIsr + " of " + where
                        + " adds broker " + member + ", which is fenced");
            }
            Long reported = incarnations.get(member);
            if (!state.isr().contains(member) && reported != null
                    && image.broker(member).map(b -> b.incarnation() != reported).orElse(true)) {
                throw new ControllerException(ControllerError.INVALID_ISR, "isr " + newIsr + " of " + where
                        + " adds broker " + member + " for its run " + reported + ", which has been replaced by a"
                        + " restart");
            }
        }
    }

    private static PartitionState requirePartition(MetadataImage image, String topic, int partition) {
        return image.partition(topic, partition).orElseThrow(() -> new ControllerException(
                ControllerError.UNKNOWN_TOPIC_OR_PARTITION, "partition " + topic + "-" + partition
                + " does not exist"));
    }

    /** Runs a decision on every matching partition, in a fixed order, and collects the changes. */
    private static void forEachPartition(MetadataImage image, Predicate<PartitionState> matches,
                                         List<MetadataRecord> records,
                                         PartitionDecision decision) {
        image.topics().values().stream().sorted(Comparator.comparing(TopicMetadata::name)).forEach(topic ->
                topic.partitions().values().stream().filter(matches)
                        .sorted(Comparator.comparingInt(PartitionState::partition))
                        .forEach(state -> {
                            PartitionChangeBuilder builder = new PartitionChangeBuilder(state);
                            decision.decide(builder, topic);
                            builder.build().ifPresent(records::add);
                        }));
    }

    /** One rule applied to one partition of a topic. */
    @FunctionalInterface
    private interface PartitionDecision {
        void decide(PartitionChangeBuilder partition, TopicMetadata topic);
    }
}
