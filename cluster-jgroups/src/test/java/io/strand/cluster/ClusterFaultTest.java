package io.strand.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.strand.cluster.controller.CreateTopicRequest;
import io.strand.cluster.metadata.MetadataImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jgroups.protocols.DISCARD;
import org.jgroups.protocols.TCP;
import org.jgroups.stack.ProtocolStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Network partitions and Raft snapshots on a real three-node cluster in this JVM. */
class ClusterFaultTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private LoopbackCluster cluster;

    @AfterEach
    void closeCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private void awaitSameImageEverywhere() {
        await().atMost(PATIENCE).until(() ->
                cluster.running().stream().map(ClusterNode::image).distinct().count() == 1);
    }

    /**
     * A node cut off by a partition (its sockets stay open, so only the heartbeats tell) is fenced by the
     * majority; when the partition heals, the groups merge and the same process is unfenced again.
     */
    @Test
    void aNodeCutOffIsFencedAndUnfencedWhenThePartitionHeals() throws Exception {
        cluster = LoopbackCluster.withStaticPeers(dir, 3).startAll();
        cluster.running().forEach(InstantCatchUp::attach);
        cluster.node(1).createTopic(new CreateTopicRequest("orders", 3, 3, Map.of())).join();
        awaitSameImageEverywhere();
        int controller = cluster.controller().nodeId();
        ClusterNode isolated = cluster.node(controller % 3 + 1);
        ClusterNode majority = cluster.node(controller);
        long incarnation = isolated.incarnation();

        DISCARD discard = new DISCARD().discardAll(true);
        isolated.channel().getProtocolStack().insertProtocol(discard, ProtocolStack.Position.ABOVE, TCP.class);

        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(majority.image().isLive(isolated.nodeId())).isFalse();
            majority.image().topic("orders").orElseThrow().partitions().values()
                    .forEach(p -> assertThat(p.leader()).isNotEqualTo(isolated.nodeId()));
        });

        isolated.channel().getProtocolStack().removeProtocol(DISCARD.class);

        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(majority.members()).containsExactly(1, 2, 3);
            assertThat(majority.image().isLive(isolated.nodeId())).isTrue();
            assertThat(majority.image().broker(isolated.nodeId()).orElseThrow().incarnation()).isEqualTo(incarnation);
        });
        awaitSameImageEverywhere();
    }

    /**
     * Snapshots bound the Raft log: with a small threshold, nodes snapshot while topics are created; a node
     * that was away while the others snapshotted comes back to the same image.
     */
    @Test
    void snapshotsBoundTheLogAndANodeThatWasAwayCatchesUp() {
        cluster = LoopbackCluster.withStaticPeers(dir, 3);
        for (int id = 1; id <= 3; id++) {
            cluster.reconfigure(id, cluster.configOf(id).withSnapshotLogBytes(2048));
        }
        cluster.startAll();
        createTopics(0, 20);
        cluster.stop(3);
        createTopics(20, 40);
        await().atMost(PATIENCE).until(() -> cluster.node(1).snapshotCount() + cluster.node(2).snapshotCount() > 0);

        ClusterNode returned = cluster.start(3);

        awaitSameImageEverywhere();
        MetadataImage image = returned.image();
        assertThat(image.topics()).hasSize(40);
        assertThat(image.isLive(3)).isTrue();
    }

    private void createTopics(int from, int to) {
        List<ClusterNode> nodes = cluster.running();
        for (int i = from; i < to; i++) {
            nodes.get(i % nodes.size()).createTopic(new CreateTopicRequest("topic-" + i, 2, 2, Map.of())).join();
        }
    }
}
