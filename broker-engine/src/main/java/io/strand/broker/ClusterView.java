package io.strand.broker;

import io.strand.admin.DescribeCluster;
import io.strand.log.TopicPartition;
import java.util.List;

/**
 * What the admin views show of the cluster a broker belongs to: its brokers, its controller, and for each
 * partition who leads it, who holds it and who is in sync. A broker alone has no cluster view; the admin
 * views then describe it as a cluster of one.
 */
interface ClusterView {
    /** The broker that runs the controller, or -1 while none does. */
    int controllerId();

    /** The live brokers, by id, with the address clients reach them at. */
    List<DescribeCluster.Broker> brokers();

    /** Who leads, holds and is in sync for a partition; null when the metadata does not know it (yet). */
    Placement placement(TopicPartition partition);

    /** A partition's leader ({@code -1} for none), replicas and in-sync replicas. */
    record Placement(int leader, List<Integer> replicas, List<Integer> isr) {
        public Placement {
            replicas = List.copyOf(replicas);
            isr = List.copyOf(isr);
        }
    }
}
