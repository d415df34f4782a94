package io.strand.cluster;

import io.strand.cluster.controller.AlterIsrDecision;
import io.strand.cluster.controller.AlterIsrRequest;
import io.strand.cluster.controller.ClusterController;
import io.strand.cluster.controller.LeaderPlacement;
import io.strand.cluster.controller.ControllerError;
import io.strand.cluster.controller.ControllerException;
import io.strand.cluster.metadata.MetadataCodec;
import io.strand.cluster.metadata.MetadataImage;
import io.strand.cluster.metadata.MetadataRecord;
import io.strand.cluster.metadata.MetadataStateMachine;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jgroups.raft.RaftHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link ClusterController} while this node is the Raft leader.
 *
 * <p>Every event (taking over, a membership change, a request) runs on one thread, and each waits until
 * its records are committed and applied here before the next is decided: the controller decides on the
 * image its previous decision produced, never on one that misses it. On taking over, the new leader first
 * commits an empty batch, which Raft only applies after every entry of the former leader, so its image is
 * complete before it decides anything; then it fences the brokers that left while no one was in charge.
 */
final class ControllerService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControllerService.class);
    private static final long RETRY_DELAY_MS = 200;
    /** How long a commit waits for a quorum before the leader tells the members again that it leads. */
    private static final long STALL_CHECK_MS = 1_000;

    private final ClusterController controller;
    private final MetadataStateMachine metadata;
    private final RaftHandle raft;
    private final Supplier<Set<Integer>> members;
    private final long commitTimeoutMs;
    private final Runnable announceLeadership;
    private final ExecutorService thread;
    private volatile boolean active;

    ControllerService(String clusterId, LeaderPlacement placement, int nodeId, MetadataStateMachine metadata,
                      RaftHandle raft, Supplier<Set<Integer>> members, long commitTimeoutMs,
                      Runnable announceLeadership) {
        this.controller = new ClusterController(clusterId, placement, nodeId);
        this.metadata = metadata;
        this.raft = raft;
        this.members = members;
        this.commitTimeoutMs = commitTimeoutMs;
        this.announceLeadership = announceLeadership;
        this.thread = Executors.newSingleThreadExecutor(runnable -> {
            Thread t = new Thread(runnable, "strand-controller-" + nodeId);
            t.setDaemon(true);
            return t;
        });
    }

    /** Whether this node runs the controller now. */
    boolean isActive() {
        return active && raft.isLeader();
    }

    /** Raft made this node leader (or took leadership away). */
    void leadershipChanged(boolean leader) {
        active = leader;
        if (leader) {
            run(this::takeOver);
        }
    }

    /** The JGroups view changed. */
    void membershipChanged() {
        if (active) {
            run(this::reconcileMembership);
        }
    }

    /** Decides and commits one request from the node {@code senderId}, then answers through {@code reply}. */
    void handle(ControlRequest request, int senderId, Reply reply) {
        run(() -> {
            try {
                if (!isActive()) {
                    throw new ControllerException(ControllerError.NOT_CONTROLLER, "this node is not the controller");
                }
                if (request instanceof ControlRequest.AlterIsr alter) {
                    alterIsr(alter.requests(), senderId, reply);
                    return;
                }
                requireSenderSpeaksForItself(request, senderId);
                fenceThePreviousRunOfARestartedBroker(request);
                commit(decide(metadata.image(), request));
                reply.send(ControlMessages.OK, "done", List.of());
            } catch (ControllerException e) {
                reply.send(e.error().code(), e.getMessage(), List.of());
            }
        });
    }

    /**
     * A leader's ISR changes, decided together and committed as one Raft entry; the answer names those refused.
     * Only a partition's leader asks to change its ISR, so a change asked for another broker is refused.
     */
    private void alterIsr(List<AlterIsrRequest> requests, int senderId, Reply reply) {
        List<AlterIsrRequest> fromLeader = new ArrayList<>(requests.size());
        List<Integer> positions = new ArrayList<>(requests.size());
        List<ControlMessages.ItemRefusal> refused = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            AlterIsrRequest request = requests.get(i);
            if (request.brokerId() != senderId) {
                refused.add(new ControlMessages.ItemRefusal(i, ControllerError.NOT_LEADER_OR_FENCED.code(), "node "
                        + senderId + " asked to change the ISR on behalf of broker " + request.brokerId()));
            } else {
                fromLeader.add(request);
                positions.add(i);
            }
        }
        AlterIsrDecision decision = controller.alterIsr(metadata.image(), fromLeader);
        commit(decision.records());
        decision.refusals().forEach((index, why) -> refused.add(new ControlMessages.ItemRefusal(positions.get(index),
                why.error().code(), why.getMessage())));
        refused.sort(Comparator.comparingInt(ControlMessages.ItemRefusal::index));
        reply.send(ControlMessages.OK, "done", refused);
    }

    /**
     * A broker that registers with a new incarnation while its previous run is still live in the metadata
     * was restarted before failure detection noticed: JGroups admits one member per id, so the previous run
     * has left the view. It is fenced first, with its partitions led elsewhere, as if it had just left.
     */
    private void fenceThePreviousRunOfARestartedBroker(ControlRequest request) {
        if (request instanceof ControlRequest.Register r) {
            int id = r.request().brokerId();
            metadata.image().broker(id).filter(previous -> !previous.fenced()
                    && previous.incarnation() != r.request().incarnation()).ifPresent(previous -> {
                        Set<Integer> others = new TreeSet<>(members.get());
                        others.remove(id);
                        LOG.info("Broker {} restarted (incarnation {} replaces {}): fencing its previous run", id,
                                r.request().incarnation(), previous.incarnation());
                        commit(controller.handleMembership(metadata.image(), others));
                    });
        }
    }

    /** A broker registers and confirms only itself. */
    private static void requireSenderSpeaksForItself(ControlRequest request, int senderId) {
        if (request instanceof ControlRequest.Register r && r.request().brokerId() != senderId) {
            throw new ControllerException(ControllerError.INVALID_REQUEST, "node " + senderId
                    + " tried to register broker " + r.request().brokerId());
        }
        if (request instanceof ControlRequest.ConfirmActive r && r.brokerId() != senderId) {
            throw new ControllerException(ControllerError.INVALID_REQUEST, "node " + senderId
                    + " asked to confirm broker " + r.brokerId() + " as active");
        }
    }

    private List<MetadataRecord> decide(MetadataImage image, ControlRequest request) {
        if (request instanceof ControlRequest.Register r) {
            return controller.registerBroker(image, r.request());
        } else if (request instanceof ControlRequest.CreateTopic r) {
            return controller.createTopic(image, r.request());
        } else if (request instanceof ControlRequest.CreatePartitions r) {
            return controller.createPartitions(image, r.name(), r.partitions());
        } else if (request instanceof ControlRequest.DeleteTopic r) {
            return controller.deleteTopic(image, r.name());
        } else if (request instanceof ControlRequest.AlterTopicConfig r) {
            return controller.alterTopicConfig(image, r.name(), r.entries());
        } else if (request instanceof ControlRequest.Reassign r) {
            return controller.reassignPartition(image, r.topic(), r.partition(), r.targetReplicas());
        } else if (request instanceof ControlRequest.MoveActive r) {
            return controller.moveActive(image, r.brokerId());
        } else if (request instanceof ControlRequest.RebalanceLeaders) {
            return controller.rebalancePreferredLeaders(image);
        } else if (request instanceof ControlRequest.ConfirmActive r) {
            controller.confirmActive(image, r.brokerId());
            return List.of();
        }
        throw new IllegalStateException("no decision for " + request);
    }

    private void takeOver() {
        retryWhileActive("taking over as controller", () -> {
            propose(List.of()); // the barrier: applied only after every entry of earlier terms
            commit(controller.handleMembership(metadata.image(), members.get()));
        });
        if (isActive()) {
            LOG.info("Controller active on Raft term {}", raft.currentTerm());
        }
    }

    private void reconcileMembership() {
        retryWhileActive("reacting to a membership change",
                () -> commit(controller.handleMembership(metadata.image(), members.get())));
    }

    /**
     * Runs a step until it commits or this node stops being the controller. A failed commit here means
     * Raft is between leaders; giving up would leave departed brokers unfenced until the next view change.
     */
    private void retryWhileActive(String what, Runnable step) {
        while (isActive()) {
            try {
                step.run();
                return;
            } catch (ControllerException e) {
                LOG.warn("{} failed, retrying: {}", what, e.getMessage());
                try {
                    Thread.sleep(RETRY_DELAY_MS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Commits one batch through Raft and waits until it is applied here; nothing to do for no records. */
    private void commit(List<MetadataRecord> records) {
        if (!records.isEmpty()) {
            propose(records);
            announceCommit();
        }
    }

    /**
     * Tells the followers at once that the batch just committed did: they learn it from the leader's next append,
     * else from its periodic resend up to {@link JGroupsStack#RAFT_RESEND_INTERVAL_MS} later, while a broker that
     * the batch made the active broker, or whose dead follower it took out of the ISRs, waits for it. An empty
     * batch appended now is that next append. Nobody waits for the empty batch itself.
     */
    private void announceCommit() {
        byte[] empty = MetadataCodec.encodeBatch(List.of());
        try {
            raft.setAsync(empty, 0, empty.length).exceptionally(notLeaderAnyMore -> null);
        } catch (Exception notLeaderAnyMore) {
            LOG.debug("Could not announce a commit: {}", notLeaderAnyMore.toString());
        }
    }

    private void propose(List<MetadataRecord> records) {
        byte[] batch = MetadataCodec.encodeBatch(records);
        byte[] response;
        try {
            response = awaitQuorum(raft.setAsync(batch, 0, batch.length));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ControllerException(ControllerError.NOT_COMMITTED, "interrupted while committing");
        } catch (TimeoutException e) {
            throw new ControllerException(ControllerError.NOT_COMMITTED, "no quorum committed the change within "
                    + commitTimeoutMs + " ms");
        } catch (ExecutionException e) {
            throw new ControllerException(ControllerError.NOT_COMMITTED, "commit failed: " + e.getCause());
        } catch (Exception e) {
            throw new ControllerException(ControllerError.NOT_COMMITTED, "commit failed: " + e);
        }
        String refusal = RaftMetadataStateMachine.refusal(response);
        if (!refusal.isEmpty()) {
            throw new ControllerException(ControllerError.NOT_COMMITTED, "the metadata refused the change: "
                    + refusal);
        }
    }

    /**
     * Waits for a commit; each second it waits, the leader tells the members again that it leads, since a member that
     * knows no leader (one that missed the announcement while it rejoined) refuses its appends.
     *
     * @throws TimeoutException once the commit timeout passed
     */
    private byte[] awaitQuorum(CompletableFuture<byte[]> committed) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(commitTimeoutMs);
        while (true) {
            long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (leftMs <= 0) {
                throw new TimeoutException();
            }
            try {
                return committed.get(Math.min(STALL_CHECK_MS, leftMs), TimeUnit.MILLISECONDS);
            } catch (TimeoutException stalled) {
                LOG.info("a commit waits for a quorum: announcing the leadership again (term {}, commit index {}, last"
                        + " appended {}, members {})", raft.currentTerm(), raft.commitIndex(), raft.raft().lastAppended(),
                        members.get());
                announceLeadership.run();
            }
        }
    }

    private void run(Runnable task) {
        try {
            thread.execute(task);
        } catch (RejectedExecutionException closed) {
            LOG.debug("Controller closed, dropping a task");
        }
    }

    @Override
    public void close() {
        active = false;
        thread.shutdownNow();
    }

    /** Sends the answer to a request. */
    @FunctionalInterface
    interface Reply {
        /** @param refusedItems the items of a request of several that were refused, by index */
        void send(int errorCode, String message, List<ControlMessages.ItemRefusal> refusedItems);
    }
}
