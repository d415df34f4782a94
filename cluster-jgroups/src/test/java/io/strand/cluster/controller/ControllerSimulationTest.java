package io.strand.cluster.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.strand.cluster.metadata.MetadataImage;
import io.strand.cluster.metadata.MetadataRecord;
import io.strand.cluster.metadata.PartitionChange;
import io.strand.cluster.metadata.PartitionState;
import io.strand.cluster.metadata.TopicMetadata;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Drives the controller from one seed through brokers leaving and returning (as new processes or
 * healed ones), leaders shrinking and expanding their ISRs, stale requests, new topics, reassignments
 * and rebalancing, and checks the invariants after every step:
 * <ul>
 *   <li>at most one leader per partition and leader epoch, over the whole run;</li>
 *   <li>a leader is live and in the ISR, the ISR within the replicas, and while a partition has a
 *       leader every ISR member is live;</li>
 *   <li>epochs never go back;</li>
 *   <li>a new leader was in the ISR before it was elected (or in the ISR its leader asked for in the same
 *       step), unless the topic allows unclean election;</li>
 *   <li>stale or deposed ISR requests and duplicate processes are refused.</li>
 * </ul>
 * A failure names its seed and step; {@code runSeed(seed)} in a test replays it exactly.
 */
class ControllerSimulationTest {
    private static final int SEEDS = Integer.getInteger("strand.controller.seeds", 300);
    private static final int STEPS = 250;
    private static final int BROKERS = 5;

    @Test
    void invariantsHoldForEverySeed() {
        for (long seed = 0; seed < SEEDS; seed++) {
            runSeed(seed);
        }
    }

    @Test
    void aSeedReplaysExactly() {
        assertThat(new Simulation(42).run()).isEqualTo(new Simulation(42).run());
    }

    private static void runSeed(long seed) {
        new Simulation(seed).run();
    }

    /** One run: the cluster's state, the history the invariants need, and the steps. */
    private static final class Simulation {
        private final long seed;
        private final Random random;
        private final ControllerHarness cluster = new ControllerHarness();
        private final Set<Integer> members = new TreeSet<>();
        private final Map<Integer, Long> incarnations = new HashMap<>();
        private final Map<String, Integer> leaderOfEpoch = new HashMap<>();
        private final List<PartitionState> seenStates = new ArrayList<>();
        /** The ISR an accepted leader request of this step asked for: in sync by the leader's word. */
        private final Map<String, List<Integer>> requestedIsr = new HashMap<>();
        private int step;
        private int topics;

        Simulation(long seed) {
            this.seed = seed;
            this.random = new Random(seed);
        }

        /** Runs every step and returns the final image, so that two runs of a seed can be compared. */
        MetadataImage run() {
            for (int id = 1; id <= BROKERS; id++) {
                members.add(id);
                incarnations.put(id, random.nextLong());
                apply(cluster.controller.registerBroker(cluster.image(),
                        ControllerHarness.registration(id, incarnations.get(id), "r" + id % 2)));
            }
            for (step = 0; step < STEPS; step++) {
                MetadataImage before = cluster.image();
                requestedIsr.clear();
                try {
                    apply(decide());
                } catch (ControllerException refused) {
                    check(before == cluster.image(), "a refused request changed the image");
                }
                checkInvariants(before, cluster.image());
            }
            return cluster.image();
        }

        private List<MetadataRecord> decide() {
            MetadataImage image = cluster.image();
            int kind = random.nextInt(10);
            if (kind == 0 && members.size() > 1) {
                members.remove(pick(new ArrayList<>(members)));
                return cluster.controller.handleMembership(image, members);
            }
            if (kind == 1 && members.size() < BROKERS) {
                return rejoin(image);
            }
            if (kind == 2 && image.liveBrokerIds().size() >= 2) {
                return createTopic(image);
            }
            PartitionState partition = randomPartition(image);
            if (partition == null) {
                return List.of();
            }
            return switch (kind) {
                case 3, 4 -> shrinkIsr(image, partition);
                case 5, 6 -> expandIsr(image, partition);
                case 7 -> staleRequest(image);
                case 8 -> cluster.controller.reassignPartition(image, partition.topic(), partition.partition(),
                        randomTarget(image));
                default -> duplicateOrRebalance(image);
            };
        }

        private List<MetadataRecord> rejoin(MetadataImage image) {
            List<Integer> away = new ArrayList<>();
            for (int id = 1; id <= BROKERS; id++) {
                if (!members.contains(id)) {
                    away.add(id);
                }
            }
            int id = pick(away);
            members.add(id);
            if (random.nextInt(3) > 0) {
                incarnations.put(id, random.nextLong()); // a restarted process; otherwise the partition healed
            }
            return cluster.controller.registerBroker(image,
                    ControllerHarness.registration(id, incarnations.get(id), "r" + id % 2));
        }

        private List<MetadataRecord> createTopic(MetadataImage image) {
            int replicationFactor = 1 + random.nextInt(Math.min(3, image.liveBrokerIds().size()));
            Map<String, String> config = random.nextInt(4) == 0
                    ? Map.of(TopicMetadata.UNCLEAN_LEADER_ELECTION, "true") : Map.of();
            return cluster.controller.createTopic(image, new CreateTopicRequest("t" + topics++,
                    1 + random.nextInt(3), replicationFactor, config));
        }

        private List<MetadataRecord> shrinkIsr(MetadataImage image, PartitionState partition) {
            if (!partition.hasLeader() || partition.isr().size() < 2) {
                return List.of();
            }
            List<Integer> isr = new ArrayList<>(partition.isr());
            isr.remove(Integer.valueOf(pick(isr.stream().filter(id -> id != partition.leader()).toList())));
            return cluster.controller.alterIsr(image, request(partition, isr));
        }

        private List<MetadataRecord> expandIsr(MetadataImage image, PartitionState partition) {
            if (!partition.hasLeader()) {
                return List.of();
            }
            List<Integer> candidates = partition.replicas().stream()
                    .filter(id -> !partition.isr().contains(id) && image.isLive(id)).toList();
            if (candidates.isEmpty()) {
                return List.of();
            }
            List<Integer> isr = new ArrayList<>(partition.isr());
            isr.add(pick(candidates));
            return cluster.controller.alterIsr(image, request(partition, isr));
        }

        /** Replays a request made against a state seen earlier; it must be refused unless still current. */
        private List<MetadataRecord> staleRequest(MetadataImage image) {
            if (seenStates.isEmpty()) {
                return List.of();
            }
            PartitionState old = pick(seenStates);
            if (!old.hasLeader()) {
                return List.of();
            }
            PartitionState current = image.partition(old.topic(), old.partition()).orElseThrow();
            List<MetadataRecord> records;
            try {
                records = cluster.controller.alterIsr(image, request(old, old.isr()));
            } catch (ControllerException refused) {
                check(refused.error() == ControllerError.STALE_PARTITION_EPOCH
                        || refused.error() == ControllerError.NOT_LEADER_OR_FENCED
                        || refused.error() == ControllerError.INVALID_ISR, "unexpected refusal " + refused);
                throw refused;
            }
            check(current.partitionEpoch() == old.partitionEpoch() && current.leaderEpoch() == old.leaderEpoch(),
                    "a request against partition epoch " + old.partitionEpoch() + " was accepted at "
                            + current.partitionEpoch());
            return records;
        }

        private List<MetadataRecord> duplicateOrRebalance(MetadataImage image) {
            if (random.nextBoolean()) {
                return cluster.controller.rebalancePreferredLeaders(image);
            }
            int id = pick(new ArrayList<>(image.liveBrokerIds()));
            try {
                cluster.controller.registerBroker(image,
                        ControllerHarness.registration(id, incarnations.get(id) + 1, null));
            } catch (ControllerException refused) {
                check(refused.error() == ControllerError.DUPLICATE_BROKER_ID, "unexpected refusal " + refused);
                return List.of();
            }
            throw new AssertionError("seed " + seed + " step " + step + ": a second process of live broker "
                    + id + " was registered");
        }

        private List<Integer> randomTarget(MetadataImage image) {
            List<Integer> brokers = new ArrayList<>(new TreeSet<>(image.brokers().keySet()));
            java.util.Collections.shuffle(brokers, random);
            return brokers.subList(0, 1 + random.nextInt(Math.min(3, brokers.size())));
        }

        private AlterIsrRequest request(PartitionState partition, List<Integer> isr) {
            requestedIsr.put(partition.topic() + "-" + partition.partition(), isr);
            return new AlterIsrRequest(partition.leader(), partition.topic(), partition.partition(),
                    partition.leaderEpoch(), partition.partitionEpoch(), isr);
        }

        private PartitionState randomPartition(MetadataImage image) {
            List<PartitionState> all = partitionsInOrder(image);
            return all.isEmpty() ? null : pick(all);
        }

        /** Partitions in name and index order: the image's maps iterate in no fixed order across JVMs. */
        private static List<PartitionState> partitionsInOrder(MetadataImage image) {
            List<PartitionState> all = new ArrayList<>();
            image.topics().values().stream().sorted(java.util.Comparator.comparing(TopicMetadata::name))
                    .forEach(t -> t.partitions().values().stream()
                            .sorted(java.util.Comparator.comparingInt(PartitionState::partition)).forEach(all::add));
            return all;
        }

        private void apply(List<MetadataRecord> records) {
            if (!records.isEmpty()) {
                cluster.commit(records);
            }
        }

        private void checkInvariants(MetadataImage before, MetadataImage after) {
            for (PartitionState now : partitionsInOrder(after)) {
                TopicMetadata topic = after.topic(now.topic()).orElseThrow();
                {
                    String where = now.topic() + "-" + now.partition();
                    seenStates.add(now);
                    if (now.hasLeader()) {
                        check(now.isr().contains(now.leader()), where + " leader " + now.leader() + " not in isr");
                        check(after.isLive(now.leader()), where + " leader " + now.leader() + " is fenced");
                        check(now.isr().stream().allMatch(after::isLive), where + " isr " + now.isr()
                                + " holds a fenced broker while it has a leader");
                    }
                    check(now.replicas().containsAll(now.isr()), where + " isr outside replicas");
                    Integer previousLeader = leaderOfEpoch.putIfAbsent(where + "@" + now.leaderEpoch(), now.leader());
                    check(previousLeader == null || previousLeader == now.leader(), where + " has leaders "
                            + previousLeader + " and " + now.leader() + " in leader epoch " + now.leaderEpoch());
                    before.partition(now.topic(), now.partition()).ifPresent(old -> {
                        check(now.leaderEpoch() >= old.leaderEpoch(), where + " leader epoch went back");
                        check(now.partitionEpoch() >= old.partitionEpoch(), where + " partition epoch went back");
                        if (now.hasLeader() && now.leader() != old.leader() && !topic.uncleanLeaderElection()) {
                            boolean inSync = old.isr().contains(now.leader())
                                    || requestedIsr.getOrDefault(where, List.of()).contains(now.leader());
                            check(inSync, where + " elected " + now.leader() + ", which was not in the isr "
                                    + old.isr());
                        }
                    });
                }
            }
            if (seenStates.size() > 2000) {
                seenStates.subList(0, 1000).clear();
            }
        }

        private void check(boolean condition, String problem) {
            if (!condition) {
                throw new AssertionError("seed " + seed + " step " + step + ": " + problem
                        + " (replay with runSeed(" + seed + "L))");
            }
        }

        private <T> T pick(List<T> values) {
            return values.get(random.nextInt(values.size()));
        }
    }

    /** Guards against a simulation that silently does nothing: leaders do move and epochs do grow. */
    @Test
    void theSimulationReallyMovesLeadership() {
        MetadataImage image = new Simulation(7).run();
        int maxLeaderEpoch = image.topics().values().stream().flatMap(t -> t.partitions().values().stream())
                .mapToInt(PartitionState::leaderEpoch).max().orElse(0);
        assertThat(image.topics()).isNotEmpty();
        assertThat(maxLeaderEpoch).isGreaterThan(1);
        assertThat(image.topics().values().stream().flatMap(t -> t.partitions().values().stream())
                .anyMatch(p -> p.leader() == PartitionChange.NO_LEADER || p.leaderEpoch() > 0)).isTrue();
    }
}
