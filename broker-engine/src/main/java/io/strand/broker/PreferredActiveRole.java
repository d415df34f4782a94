package io.strand.broker;

import io.strand.cluster.controller.ClusterController;
import io.strand.cluster.metadata.MetadataImage;
import io.strand.cluster.metadata.PartitionChange;
import io.strand.cluster.metadata.PartitionState;
import io.strand.cluster.metadata.TopicMetadata;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the active role back for the broker {@code cluster.preferred.active.broker} names, when that is this one:
 * after a failover moved the role away and this broker returned, it asks the controller to move the role here
 * once it has been in sync for every partition it holds for {@link #IN_SYNC_MS}, so that a broker that has only
 * just caught up is not handed every client at once. The move is a failover for the clients, without the wait
 * for a death to be noticed; it is the cluster's preferred-leader rebalancing, with one active broker.
 *
 * <p>Checked on the replication thread only.
 */
final class PreferredActiveRole {
    private static final Logger LOG = LoggerFactory.getLogger(PreferredActiveRole.class);
    /** How long this broker must have stayed in sync for everything it holds before it takes the role back. */
    static final long IN_SYNC_MS = 5_000;

    private final int self;
    private final IntFunction<CompletableFuture<Void>> moveActive;
    private final LongSupplier clockMs;
    /** Since when this broker has been in sync for every partition it holds, or -1. */
    private long inSyncSinceMs = -1;
    private CompletableFuture<Void> asking = CompletableFuture.completedFuture(null);

    /**
     * @param self       this broker's id, which the setting names
     * @param moveActive asks the controller to move the active role to a broker
     */
    PreferredActiveRole(int self, IntFunction<CompletableFuture<Void>> moveActive, LongSupplier clockMs) {
        this.self = self;
        this.moveActive = moveActive;
        this.clockMs = clockMs;
    }

    /** One check: asks for the role when another broker has it and this one has been in sync long enough. */
    void check(MetadataImage image) {
        int active = ClusterController.activeBrokerOf(image);
        if (active == self || active == PartitionChange.NO_LEADER || !inSyncForAllItHolds(image)) {
            inSyncSinceMs = -1;
            return;
        }
        long now = clockMs.getAsLong();
        if (inSyncSinceMs < 0) {
            inSyncSinceMs = now;
        }
        if (now - inSyncSinceMs < IN_SYNC_MS || !asking.isDone()) {
            return;
        }
        LOG.info("Broker {}, the preferred active broker, has been in sync for every partition it holds for {} ms:"
                + " asking for the active role back from broker {}", self, now - inSyncSinceMs, active);
        inSyncSinceMs = -1; // another full wait before asking again, should the controller refuse
        asking = moveActive.apply(self).whenComplete((moved, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException ? error.getCause() : error;
                LOG.info("Broker {} did not get the active role back yet: {}", self, cause.getMessage());
            }
        });
    }

    private boolean inSyncForAllItHolds(MetadataImage image) {
        boolean holdsAny = false;
        for (TopicMetadata topic : image.topics().values()) {
            for (PartitionState partition : topic.partitions().values()) {
                if (partition.replicas().contains(self)) {
                    if (!partition.isr().contains(self)) {
                        return false;
                    }
                    holdsAny = true;
                }
            }
        }
        return holdsAny;
    }
}
