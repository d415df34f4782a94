package io.strand.cluster;

import io.strand.cluster.controller.AlterIsrRequest;
import io.strand.cluster.controller.BrokerRegistrationRequest;
import io.strand.cluster.controller.ClusterController;
import io.strand.cluster.controller.ControllerError;
import io.strand.cluster.controller.CreateTopicRequest;
import io.strand.cluster.controller.LeaderPlacement;
import io.strand.cluster.metadata.BrokerRegistration;
import io.strand.cluster.metadata.MetadataImage;
import io.strand.cluster.metadata.MetadataStateMachine;
import io.strand.cluster.metadata.PartitionChange;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jgroups.Address;
import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.Receiver;
import org.jgroups.View;
import org.jgroups.protocols.raft.RAFT;
import org.jgroups.protocols.raft.Role;
import org.jgroups.raft.RaftHandle;
import org.jgroups.util.ExtendedUUID;
import org.jgroups.util.Util;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One broker's membership in a Strand cluster: it joins the JGroups group of its cluster, replicates the
 * cluster metadata with jgroups-raft, registers itself with the controller and, while it is the Raft
 * leader, is the controller.
 *
 * <p>{@link #start} returns only once the node is admitted: a peer answered, and the controller
 * registered this process. A node whose cluster id differs from its peers' finds none of them (each
 * cluster is its own JGroups group); one whose id is already live is refused by JGroups (NO_DUPES) or by
 * the controller; either way it is closed and {@code start} throws a {@link ClusterException} that says
 * why. After start, {@link #metadata()} holds the replicated image and tells listeners of each change,
 * from which the broker reconciles its partitions.
 *
 * <p>Threading: the public methods may be called from any thread; requests to the controller complete
 * their futures on JGroups or node threads, so callers must not block those.
 */
public final class ClusterNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);

    private final ClusterNodeConfig config;
    private final long incarnation;
    private final MetadataStateMachine metadata = new MetadataStateMachine();
    private final JChannel channel;
    private final RaftHandle raft;
    private final ControllerService controller;
    private final ControllerClient client;
    private final AtomicBoolean registering = new AtomicBoolean();
    private volatile boolean closed;

    private ClusterNode(ClusterNodeConfig config) throws Exception {
        this.config = config;
        this.incarnation = new SecureRandom().nextLong();
        this.channel = new JChannel(JGroupsStack.protocols(config, this::activeBroker))
                .name("strand-" + config.nodeId());
        this.raft = new RaftHandle(channel, new RaftMetadataStateMachine(metadata));
        ElectionAvoidingActiveBroker election = channel.getProtocolStack()
                .findProtocol(ElectionAvoidingActiveBroker.class);
        this.controller = new ControllerService(config.clusterId(), config.leaderPlacement(), config.nodeId(), metadata,
                raft, this::members, config.requestTimeoutMs(), election::announceLeadership);
        this.client = new ControllerClient(config.nodeId(), channel, raft::leader, config.requestTimeoutMs());
        raft.addRoleListener(role -> controller.leadershipChanged(role == Role.Leader));
        metadata.addListener((previous, current, records) -> {
            if (!closed && !isLiveIncarnation(current)) {
                ensureRegistered();
            }
        });
        channel.setReceiver(new NodeReceiver());
    }

    /**
     * Joins the cluster and waits until this node is admitted.
     *
     * @throws ClusterException if no peer answered within the join timeout, JGroups or the controller
     *                          refused the node, or no controller admitted it in time
     */
    public static ClusterNode start(ClusterNodeConfig config) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.joinTimeoutMs());
        while (true) {
            ClusterNode node;
            try {
                node = new ClusterNode(config);
            } catch (Exception e) {
                throw new ClusterException("node " + config.nodeId() + " could not build its JGroups stack: " + e, e);
            }
            try {
                node.join();
                return node;
            } catch (RuntimeException e) {
                node.close();
                // A restarted broker may knock before failure detection removed its previous run from the
                // view; JGroups refuses the duplicate until then (or this node refuses itself, when it got in).
                boolean previousRunStillInView = String.valueOf(e.getMessage()).contains("duplicate members")
                        || e instanceof ClusterException c
                        && c.error().filter(ControllerError.DUPLICATE_BROKER_ID::equals).isPresent();
                if (!previousRunStillInView || System.nanoTime() > deadline) {
                    throw e;
                }
                pause(500);
            }
        }
    }

    private void join() {
        try {
            channel.connect("strand-" + config.clusterId());
        } catch (Exception e) {
            throw new ClusterException("node " + config.nodeId() + " was not admitted to cluster '"
                    + config.clusterId() + "': " + e.getMessage(), e);
        }
        awaitPeer();
        refuseIfAnotherProcessHasThisId();
        BrokerRegistrationRequest registration = registrationRequest();
        long registrationDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.joinTimeoutMs());
        try {
            while (true) {
                try {
                    client.send(new ControlRequest.Register(registration))
                            .get(config.joinTimeoutMs(), TimeUnit.MILLISECONDS);
                    break;
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    ControllerError error = cause instanceof ClusterException c ? c.error().orElse(null) : null;
                    // A restarted broker may register before failure detection saw its previous run die.
                    if (error != ControllerError.DUPLICATE_BROKER_ID || System.nanoTime() > registrationDeadline) {
                        throw new ClusterException(error, "node " + config.nodeId() + " was not admitted to cluster '"
                                + config.clusterId() + "': " + cause.getMessage(), cause);
                    }
                    pause(200);
                    refuseIfAnotherProcessHasThisId();
                }
            }
        } catch (TimeoutException e) {
            throw new ClusterException(ControllerError.NOT_CONTROLLER, "node " + config.nodeId()
                    + " was not admitted: no controller registered it within " + config.joinTimeoutMs() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted while joining", e);
        }
        awaitOwnRegistrationApplied();
        refuseIfAnotherProcessHasThisId();
        LOG.info("Node {} joined cluster '{}' (members {}, controller {})", config.nodeId(), config.clusterId(),
                members(), controllerId().map(String::valueOf).orElse("none"));
    }

    /** A node that sees no peer would only ever form a cluster of one, so it stops with the reason. */
    private void awaitPeer() {
        if (config.voters().size() == 1) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.joinTimeoutMs());
        while (channel.view().size() < 2) {
            if (System.nanoTime() > deadline) {
                throw new ClusterException("node " + config.nodeId() + " found no member of cluster '"
                        + config.clusterId() + "' through " + describe(config.discovery()) + " within "
                        + config.joinTimeoutMs() + " ms: check the peers, that they run, and the cluster id"
                        + (config.membershipKey().isPresent() ? ", and that this node has the cluster's secret"
                        + " (a member logs 'rejected decryption' for a node without it)" : ""));
            }
            pause(50);
        }
    }

    /**
     * Refuses this joining node when another process with its id is in the view. NO_DUPES refuses such a join, but
     * a node whose joins go unanswered (a loaded machine) forms a group of its own after a while, and MERGE3 then
     * merges that group into the cluster without asking NO_DUPES. Two processes under one Raft id must not stay:
     * each would vote as that voter. The joining one is the intruder; it leaves with the reason.
     */
    private void refuseIfAnotherProcessHasThisId() {
        View view = channel.view();
        if (view == null) {
            return;
        }
        for (Address member : view.getMembers()) {
            if (!member.equals(channel.getAddress()) && brokerIdOf(member) == config.nodeId()) {
                throw new ClusterException(ControllerError.DUPLICATE_BROKER_ID, "node " + config.nodeId()
                        + " was not admitted to cluster '" + config.clusterId() + "': another process with id "
                        + config.nodeId() + " is a member (" + member + ")", null);
            }
        }
    }

    /** Registration is committed once the controller answers; wait until this replica applied it too. */
    private void awaitOwnRegistrationApplied() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.joinTimeoutMs());
        while (!isLiveIncarnation(metadata.image())) {
            if (System.nanoTime() > deadline) {
                throw new ClusterException("node " + config.nodeId() + " was registered but did not apply its "
                        + "registration within " + config.joinTimeoutMs() + " ms");
            }
            pause(20);
        }
    }

    private boolean isLiveIncarnation(MetadataImage image) {
        Optional<BrokerRegistration> own = image.broker(config.nodeId());
        return own.isPresent() && own.get().incarnation() == incarnation && !own.get().fenced();
    }

    /**
     * Registers again when the metadata shows this process fenced or replaced while it runs: after a
     * network partition healed, the controller fenced it, and only the process itself can say it is the
     * same incarnation. One attempt at a time; a failure waits for the next view or image change.
     */
    private void ensureRegistered() {
        if (closed || !registering.compareAndSet(false, true)) {
            return;
        }
        client.send(new ControlRequest.Register(registrationRequest())).whenComplete((done, failure) -> {
            registering.set(false);
            if (failure != null && !closed) {
                LOG.warn("Node {} could not register again: {}", config.nodeId(), failure.getMessage());
            }
        });
    }

    private BrokerRegistrationRequest registrationRequest() {
        return new BrokerRegistrationRequest(config.clusterId(), config.nodeId(), incarnation, config.endpoints(),
                config.rack());
    }

    /** This node's broker id. */
    public int nodeId() {
        return config.nodeId();
    }

    /** The number this process registered with; a restart registers another. */
    public long incarnation() {
        return incarnation;
    }

    /** The replicated metadata: its image, and listeners told of every applied change. */
    public MetadataStateMachine metadata() {
        return metadata;
    }

    /** The current metadata image. */
    public MetadataImage image() {
        return metadata.image();
    }

    /**
     * The active broker as this node's metadata tells under {@link LeaderPlacement#COLOCATED}, or
     * {@link PartitionChange#NO_LEADER} for none or when leadership spreads.
     */
    private int activeBroker() {
        return config.leaderPlacement() == LeaderPlacement.COLOCATED
                ? ClusterController.activeBrokerOf(metadata.image()) : PartitionChange.NO_LEADER;
    }

    /** Whether this node runs the controller now. */
    public boolean isController() {
        return controller.isActive();
    }

    /** The id of the node that is the Raft leader and so the controller, if one is known. */
    public Optional<Integer> controllerId() {
        return Optional.ofNullable(raft.leader()).map(ClusterNode::brokerIdOf).filter(id -> id >= 0);
    }

    /** The ids of the nodes in this node's current JGroups view, itself included. */
    public Set<Integer> members() {
        View view = channel.view();
        Set<Integer> ids = new TreeSet<>();
        if (view != null) {
            for (Address member : view.getMembers()) {
                int id = brokerIdOf(member);
                if (id >= 0) {
                    ids.add(id);
                }
            }
        }
        return ids;
    }

    /** Asks the controller to create a topic; completes once it is committed. */
    public CompletableFuture<Void> createTopic(CreateTopicRequest request) {
        return client.send(new ControlRequest.CreateTopic(request));
    }

    /** Asks the controller to grow a topic to {@code partitions} partitions; completes once it is committed. */
    public CompletableFuture<Void> createPartitions(String name, int partitions) {
        return client.send(new ControlRequest.CreatePartitions(name, partitions));
    }

    /** Asks the controller to set settings of a topic, keeping its others; completes once it is committed. */
    public CompletableFuture<Void> alterTopicConfig(String name, Map<String, String> entries) {
        return client.send(new ControlRequest.AlterTopicConfig(name, entries));
    }

    /** Asks the controller to delete a topic; completes once it is committed. */
    public CompletableFuture<Void> deleteTopic(String name) {
        return client.send(new ControlRequest.DeleteTopic(name));
    }

    /** As a partition leader, asks the controller to change the ISR; completes once it is committed. */
    public CompletableFuture<Void> alterIsr(AlterIsrRequest request) {
        return alterIsr(List.of(request)).thenCompose(refused -> refused.isEmpty()
                ? CompletableFuture.completedFuture(null) : CompletableFuture.failedFuture(refused.get(0)));
    }

    /**
     * As the leader of these partitions, asks the controller to change their ISRs in one request, which it
     * commits as one batch. Completes once the accepted changes are committed, with the refused ones by their
     * index in {@code requests}; fails as a whole when no controller decided in time.
     *
     * @throws IllegalArgumentException for more than {@value ControlMessages#MAX_ITEMS} changes
     */
    public CompletableFuture<Map<Integer, ClusterException>> alterIsr(List<AlterIsrRequest> requests) {
        if (requests.size() > ControlMessages.MAX_ITEMS) {
            throw new IllegalArgumentException(requests.size() + " ISR changes in one request are more than the "
                    + ControlMessages.MAX_ITEMS + " allowed");
        }
        return client.call(new ControlRequest.AlterIsr(requests)).thenApply(response -> {
            Map<Integer, ClusterException> refused = new TreeMap<>();
            for (ControlMessages.ItemRefusal item : response.refusedItems()) {
                refused.put(item.index(), new ClusterException(item.error(), item.message(), null));
            }
            return refused;
        });
    }

    /** Asks the controller to move a partition's replicas; completes once the first step is committed. */
    public CompletableFuture<Void> reassignPartition(String topic, int partition, List<Integer> targetReplicas) {
        return client.send(new ControlRequest.Reassign(topic, partition, targetReplicas));
    }

    /**
     * Asks the controller whether this node is the active broker (see
     * {@link io.strand.cluster.controller.ClusterController#confirmActive}); completes once it confirmed.
     */
    public CompletableFuture<Void> confirmActive() {
        return client.send(new ControlRequest.ConfirmActive(config.nodeId()));
    }

    /**
     * Asks the controller to move the active role to {@code brokerId}, which must be live and in sync for every
     * partition; completes once the move is committed, or with the controller's refusal naming why.
     */
    public CompletableFuture<Void> moveActive(int brokerId) {
        return client.send(new ControlRequest.MoveActive(brokerId));
    }

    /** Asks the controller to hand partitions back to their preferred leaders where it can. */
    public CompletableFuture<Void> rebalanceLeaders() {
        return client.send(new ControlRequest.RebalanceLeaders());
    }

    /** The JGroups channel, for tests that inject faults as protocols (DISCARD) into the stack. */
    JChannel channel() {
        return channel;
    }

    /** How many snapshots replaced this node's Raft log since it started. */
    int snapshotCount() {
        return raft.raft().numSnapshots();
    }

    /** Leaves the cluster: the others see a view without this node at once. */
    @Override
    public void close() {
        closed = true;
        controller.close();
        client.close();
        channel.close();
    }

    /** A member's broker id, which RAFT carries in its address; -1 for a member without one. */
    static int brokerIdOf(Address address) {
        if (address instanceof ExtendedUUID extended) {
            byte[] raftId = extended.get(RAFT.raft_id_key);
            if (raftId != null) {
                try {
                    return Integer.parseInt(Util.bytesToString(raftId));
                } catch (NumberFormatException notABroker) {
                    return -1;
                }
            }
        }
        return -1;
    }

    private static String describe(ClusterNodeConfig.Discovery discovery) {
        if (discovery instanceof ClusterNodeConfig.StaticPeers peers) {
            return "peers " + peers.peers();
        }
        return "discovery directory " + ((ClusterNodeConfig.SharedDirectory) discovery).directory();
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted while joining", e);
        }
    }

    /** Routes control messages: requests to the controller, answers to the client. */
    private final class NodeReceiver implements Receiver {
        @Override
        public void receive(Message message) {
            ControlMessages.Decoded decoded;
            try {
                decoded = ControlMessages.decode(message.getArray(), message.getOffset(), message.getLength());
            } catch (IllegalArgumentException malformed) {
                LOG.warn("Node {} dropped a control message from {}: {}", config.nodeId(), message.src(),
                        malformed.getMessage());
                return;
            }
            if (decoded instanceof ControlMessages.Request request) {
                Address from = message.src();
                controller.handle(request.request(), brokerIdOf(from), (code, text, refusedItems) ->
                        client.reply(from, request.requestId(), code, text, refusedItems));
            } else if (decoded instanceof ControlMessages.Response response) {
                client.complete(response);
            }
        }

        @Override
        public void viewAccepted(View view) {
            controller.membershipChanged();
            if (!closed && channel.isConnected() && !isLiveIncarnation(metadata.image())
                    && !metadata.image().brokers().isEmpty()) {
                ensureRegistered();
            }
        }
    }
}
