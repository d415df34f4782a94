package io.strand.cluster.controller;

import io.strand.cluster.metadata.BrokerRegistration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Places the replicas of a new topic's partitions on live brokers.
 *
 * <p>The brokers are laid out in a ring that alternates racks (the first broker of each rack, then the
 * second of each, and so on); a broker without a rack is a rack of its own. Partition {@code p} is led by
 * the broker at ring position {@code start + p}, so leadership spreads round-robin, and its followers
 * are the next brokers along the ring on racks the partition does not use yet; only when every rack
 * holds a replica do racks repeat. The start comes from the topic name, so topics do not all put their
 * first leader on the same broker, yet the placement is the same on every run.
 */
final class ReplicaPlacement {
    private ReplicaPlacement() {
    }

    static List<List<Integer>> place(String topic, int partitions, int replicationFactor,
                                     List<BrokerRegistration> liveBrokers) {
        List<BrokerRegistration> ring = rackAlternatingRing(liveBrokers);
        int size = ring.size();
        if (replicationFactor > size) {
            throw new IllegalArgumentException("replicationFactor=" + replicationFactor + " exceeds " + size
                    + " live brokers");
        }
        int start = Math.floorMod(topic.hashCode(), size);
        List<List<Integer>> assignment = new ArrayList<>(partitions);
        for (int p = 0; p < partitions; p++) {
            assignment.add(replicasOf((start + p) % size, replicationFactor, ring));
        }
        return assignment;
    }

    /**
     * Places every partition on the same replicas, led by {@code activeBroker} (or, when there is none yet,
     * the first broker of the ring), followed by the next brokers along the rack-alternating ring.
     */
    static List<List<Integer>> placeColocated(int partitions, int replicationFactor,
                                              List<BrokerRegistration> liveBrokers, int activeBroker) {
        List<BrokerRegistration> ring = rackAlternatingRing(liveBrokers);
        if (replicationFactor > ring.size()) {
            throw new IllegalArgumentException("replicationFactor=" + replicationFactor + " exceeds " + ring.size()
                    + " live brokers");
        }
        int leaderPosition = 0;
        for (int i = 0; i < ring.size(); i++) {
            if (ring.get(i).brokerId() == activeBroker) {
                leaderPosition = i;
            }
        }
        List<Integer> replicas = replicasOf(leaderPosition, replicationFactor, ring);
        List<List<Integer>> assignment = new ArrayList<>(partitions);
        for (int p = 0; p < partitions; p++) {
            assignment.add(replicas);
        }
        return assignment;
    }

    private static List<Integer> replicasOf(int leaderPosition, int replicationFactor,
                                            List<BrokerRegistration> ring) {
        List<Integer> replicas = new ArrayList<>(replicationFactor);
        Set<String> racksUsed = new HashSet<>();
        List<BrokerRegistration> skipped = new ArrayList<>();
        for (int step = 0; step < ring.size() && replicas.size() < replicationFactor; step++) {
            BrokerRegistration broker = ring.get((leaderPosition + step) % ring.size());
            if (racksUsed.add(rackOf(broker))) {
                replicas.add(broker.brokerId());
            } else {
                skipped.add(broker);
            }
        }
        // Fewer racks than replicas: the rest go on the skipped brokers, still in ring order.
        for (int i = 0; replicas.size() < replicationFactor; i++) {
            replicas.add(skipped.get(i).brokerId());
        }
        return replicas;
    }

    private static List<BrokerRegistration> rackAlternatingRing(List<BrokerRegistration> brokers) {
        Map<String, List<BrokerRegistration>> byRack = new TreeMap<>();
        brokers.stream().sorted(Comparator.comparingInt(BrokerRegistration::brokerId))
                .forEach(b -> byRack.computeIfAbsent(rackOf(b), r -> new ArrayList<>()).add(b));
        List<BrokerRegistration> ring = new ArrayList<>(brokers.size());
        for (int round = 0; ring.size() < brokers.size(); round++) {
            for (List<BrokerRegistration> rack : byRack.values()) {
                if (round < rack.size()) {
                    ring.add(rack.get(round));
                }
            }
        }
        return ring;
    }

    private static String rackOf(BrokerRegistration broker) {
        // A broker without a rack stands alone; the prefix keeps it apart from any configured rack name.
        return broker.rack().map(rack -> "rack:" + rack).orElse("broker:" + broker.brokerId());
    }
}
