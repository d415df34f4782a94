package io.strand.cluster.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Snapshots against replay, over random histories of records. */
class MetadataSnapshotPropertyTest {

    /**
     * Snapshot + replay of the later records == full replay: random records are applied one batch at a
     * time (the refused ones leave no trace), a snapshot is taken at a random point, and a second state
     * machine that loads it and applies the rest ends with the same image.
     */
    @Property(tries = 300)
    void snapshotThenReplayEqualsFullReplay(@ForAll long seed, @ForAll @IntRange(min = 1, max = 80) int batches) {
        Random random = new Random(seed);
        List<List<MetadataRecord>> accepted = new ArrayList<>();
        MetadataStateMachine full = new MetadataStateMachine();
        for (int i = 0; i < batches; i++) {
            List<MetadataRecord> batch = randomBatch(random, full.image());
            try {
                full.apply(batch);
                accepted.add(batch);
            } catch (InvalidMetadataException refused) {
                // Random records often do not fit; a refused batch must not change the image.
            }
        }
        int cut = random.nextInt(accepted.size() + 1);
        MetadataStateMachine prefix = new MetadataStateMachine();
        accepted.subList(0, cut).forEach(prefix::apply);

        MetadataStateMachine restored = new MetadataStateMachine();
        restored.loadSnapshot(prefix.snapshot());
        accepted.subList(cut, accepted.size()).forEach(restored::apply);

        assertThat(restored.image()).isEqualTo(full.image());
    }

    /** A batch that often fits: new topics come with a placement, changes follow the current epochs. */
    private static List<MetadataRecord> randomBatch(Random random, MetadataImage image) {
        int kind = random.nextInt(10);
        if (kind < 3) {
            return List.of(MetadataRecords.registerBroker(random, random.nextInt(5)));
        }
        if (kind == 3 && !image.brokers().isEmpty()) {
            CreateTopic topic = MetadataRecords.createTopic(random);
            List<MetadataRecord> batch = new ArrayList<>(List.of(topic));
            List<Integer> brokers = new ArrayList<>(image.brokers().keySet());
            for (int p = 0; p < topic.partitions(); p++) {
                int replica = brokers.get(random.nextInt(brokers.size()));
                batch.add(change(topic.name(), p, replica, 0, List.of(replica), List.of(replica), 0));
            }
            return batch;
        }
        if (kind < 7 && !image.topics().isEmpty()) {
            List<PartitionState> partitions = new ArrayList<>();
            image.topics().values().forEach(t -> partitions.addAll(t.partitions().values()));
            PartitionState state = partitions.get(random.nextInt(partitions.size()));
            List<Integer> brokers = new ArrayList<>(image.brokers().keySet());
            int leader = brokers.get(random.nextInt(brokers.size()));
            return List.of(change(state.topic(), state.partition(), leader, state.leaderEpoch() + 1,
                    List.of(leader), List.of(leader), state.partitionEpoch() + 1));
        }
        return List.of(MetadataRecords.any(random));
    }

    private static PartitionChange change(String topic, int partition, int leader, int leaderEpoch,
                                          List<Integer> isr, List<Integer> replicas, int partitionEpoch) {
        return new PartitionChange(topic, partition, leader, leaderEpoch, isr, replicas, partitionEpoch, List.of());
    }
}
