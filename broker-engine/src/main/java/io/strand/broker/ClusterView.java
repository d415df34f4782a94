package io.strand.broker;

import io.strand.admin.DescribeCluster;
import io.strand.log.TopicPartition;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What the admin API sees of the cluster a broker belongs to — its brokers, its controller, and for each
 * partition who leads it, who holds it and who is in sync — and the one change it may ask of it: moving a
 * partition's replicas. A broker alone has no cluster view; the admin views then describe it as a cluster
 * of one.
 */
interface ClusterView {
    /** The broker that runs the controller, or -1 while none does. */
    int controllerId();

    /** The live brokers, by id, with the address clients reach them at. */
    List<DescribeCluster.Broker> brokers();

    /** Who leads, holds and is in sync for a partition; null when the metadata does not know it (yet). */
    Placement placement(TopicPartition partition);

    /**
     * Starts moving a partition to {@code targetReplicas}; completes once the controller committed the first
     * step, or fails with a {@link BrokerException} that says why not.
     */
    CompletableFuture<Void> reassign(TopicPartition partition, List<Integer> targetReplicas);

    /**
     * Moves the active role to broker {@code brokerId}; completes once the controller committed it, or fails with a
     * {@link BrokerException} that says why not.
     */
    CompletableFuture<Void> moveActive(int brokerId);

    /** A partition's leader ({@code -1} for none), replicas and in-sync replicas. */
    record Placement(int leader, List<Integer> replicas, List<Integer> isr) {
        public Placement {
            replicas = List.copyOf(replicas);
            isr = List.copyOf(isr);
        }
    }
}
