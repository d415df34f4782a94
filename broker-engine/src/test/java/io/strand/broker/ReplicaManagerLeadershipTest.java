package io.strand.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strand.cluster.metadata.CreateTopic;
import io.strand.cluster.metadata.Endpoint;
import io.strand.cluster.metadata.MetadataImage;
import io.strand.cluster.metadata.MetadataRecord;
import io.strand.cluster.metadata.MetadataStateMachine;
import io.strand.cluster.metadata.PartitionChange;
import io.strand.cluster.metadata.RegisterBroker;
import io.strand.log.LeaderEpochCache;
import io.strand.log.LogConfig;
import io.strand.log.LogManager;
import io.strand.log.LogManagerConfig;
import io.strand.log.LogStorageException;
import io.strand.log.TopicPartition;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker that takes the lead of many partitions at once, as after a failover: every one is led in its new epoch,
 * whose start is on disk in the partition's leader-epoch checkpoint before the partition takes a send; a checkpoint
 * that cannot be written keeps its partition from being led, not the others.
 */
class ReplicaManagerLeadershipTest {
    private static final int SELF = 1;
    private static final String TOPIC = "q$many";
    private static final int PARTITIONS = 60;

    @TempDir
    Path dataDir;
    private LogManager logs;
    private ReplicaManager replicas;

    @BeforeEach
    void start() {
        logs = LogManager.open(LogManagerConfig.defaults(dataDir));
        ClusterSettings settings = new ClusterSettings("test", new InetSocketAddress("127.0.0.1", 0), List.of(),
                Set.of(SELF), 1, 1, 10_000, dataDir.resolve("cluster-metadata"), null, null,
                ClusterSettings.NO_PREFERENCE);
        replicas = new ReplicaManager(SELF, 1, logs, settings, LogConfig.DEFAULT,
                requests -> CompletableFuture.completedFuture(Map.of()));
    }

    @AfterEach
    void stop() {
        logs.close();
    }

    /** Broker {@value #SELF} registered, the topic created, and every partition led by it in {@code epoch}. */
    private static MetadataImage ledHere(int epoch) {
        List<MetadataRecord> records = new ArrayList<>();
        records.add(new RegisterBroker(SELF, 1, List.of(new Endpoint("client", "127.0.0.1", 1)), Optional.empty()));
        records.add(new CreateTopic(TOPIC, PARTITIONS, 1, Map.of()));
        IntStream.range(0, PARTITIONS).forEach(p -> records.add(new PartitionChange(TOPIC, p, SELF, epoch,
                List.of(SELF), List.of(SELF), epoch, List.of())));
        return MetadataStateMachine.applyTo(MetadataImage.EMPTY, records);
    }

    private static TopicPartition partition(int p) {
        return new TopicPartition(TOPIC, p);
    }

    @Test
    void everyPartitionIsLedInItsNewEpochWithTheEpochOnDisk() {
        replicas.reconcile(ledHere(0));
        replicas.reconcile(ledHere(4));

        for (int p = 0; p < PARTITIONS; p++) {
            assertThat(replicas.leads(partition(p))).isTrue();
            LeaderEpochCache onDisk = LeaderEpochCache.load(logs.getOrCreateLog(partition(p)).dir());
            assertThat(onDisk.latestEpoch()).as("partition %d's checkpoint", p).hasValue(4);
        }
    }

    @Test
    void aCheckpointThatCannotBeWrittenKeepsOnlyItsPartitionFromBeingLed() throws Exception {
        replicas.reconcile(ledHere(0));
        // A directory where the checkpoint goes: the rename over it fails, as a write to a failing disk would.
        Path blocked = logs.getOrCreateLog(partition(7)).dir().resolve("leader-epoch-checkpoint");
        Files.delete(blocked);
        Files.createDirectories(blocked.resolve("in-the-way"));

        assertThatThrownBy(() -> replicas.reconcile(ledHere(1))).isInstanceOf(LogStorageException.class)
                .hasMessageContaining("leader-epoch-checkpoint");
        for (int p = 0; p < PARTITIONS; p++) {
            assertThat(replicas.leads(partition(p))).as("partition %d", p).isEqualTo(p != 7);
        }
    }
}
