package io.strand.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.strand.cluster.controller.CreateTopicRequest;
import io.strand.cluster.controller.LeaderPlacement;
import io.strand.cluster.metadata.PartitionState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.jgroups.protocols.raft.RAFT;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under colocated leadership the active broker and the controller (the Raft leader) are kept on different nodes when
 * they can be, so that one node's death never costs both a Raft election and a JMS failover: the controller does not
 * make its own node active, and an election does not make the active broker the Raft leader.
 */
class ActiveBrokerApartFromControllerTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private LoopbackCluster cluster;

    @AfterEach
    void closeCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private LoopbackCluster colocated(int nodes) {
        LoopbackCluster configured = LoopbackCluster.withStaticPeers(dir, nodes);
        for (int id = 1; id <= nodes; id++) {
            configured.reconfigure(id, configured.configOf(id).withLeaderPlacement(LeaderPlacement.COLOCATED));
        }
        return configured.startAll();
    }

    private static int leaderOf(ClusterNode node, String topic) {
        return node.image().partition(topic, 0).map(PartitionState::leader).orElseThrow();
    }

    private static RAFT raftOf(ClusterNode node) {
        return node.channel().getProtocolStack().findProtocol(RAFT.class);
    }

    /** Every node holds the same Raft log, all of it committed: an election then has voters that tie. */
    private void awaitRaftLogsEqual() {
        await().atMost(PATIENCE).until(() -> cluster.running().stream()
                .map(node -> raftOf(node).lastAppended() + "/" + raftOf(node).commitIndex()).distinct().count() == 1);
    }

    @Test
    void theActiveBrokerIsNotTheControllerAndStaysActiveWhenTheControllerDies() {
        cluster = colocated(3);
        int controller = cluster.controller().nodeId();

        cluster.controller().createTopic(new CreateTopicRequest("$state", 1, 3, Map.of())).join();
        cluster.controller().createTopic(new CreateTopicRequest("orders", 2, 3, Map.of())).join();

        int active = leaderOf(cluster.controller(), "$state");
        assertThat(active).as("the active broker, chosen by the controller on node %d", controller)
                .isNotEqualTo(controller);
        assertThat(cluster.controller().image().partition("orders", 1).orElseThrow().leader()).isEqualTo(active);

        awaitRaftLogsEqual();
        cluster.stop(controller);

        ClusterNode survivor = cluster.node(active);
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(survivor.controllerId()).hasValueSatisfying(id -> assertThat(id).isNotEqualTo(controller));
            assertThat(survivor.image().isLive(controller)).isFalse();
        });
        assertThat(survivor.controllerId()).as("the Raft leader elected among nodes with equal logs")
                .hasValueSatisfying(id -> assertThat(id).isNotEqualTo(active));
        assertThat(leaderOf(survivor, "$state")).as("the active broker stays where it is").isEqualTo(active);
        assertThat(survivor.image().partition("orders", 0).orElseThrow().leader()).isEqualTo(active);
    }

    @Test
    void whenTheActiveBrokerDiesTheOneThatIsNotTheControllerTakesOver() {
        cluster = colocated(3);
        int controller = cluster.controller().nodeId();
        cluster.controller().createTopic(new CreateTopicRequest("$state", 1, 3, Map.of())).join();
        int active = leaderOf(cluster.controller(), "$state");

        cluster.stop(active);

        ClusterNode controllerNode = cluster.node(controller);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(leaderOf(controllerNode, "$state"))
                .isNotIn(active, -1));
        assertThat(leaderOf(controllerNode, "$state")).as("the new active broker").isNotEqualTo(controller);
        assertThat(controllerNode.isController()).isTrue();
    }
}
