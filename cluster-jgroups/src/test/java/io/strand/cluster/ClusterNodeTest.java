package io.strand.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.strand.cluster.controller.AlterIsrRequest;
import io.strand.cluster.controller.CreateTopicRequest;
import io.strand.cluster.metadata.MetadataImage;
import io.strand.cluster.metadata.PartitionState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three real nodes on 127.0.0.1 in this JVM: JGroups membership, jgroups-raft and the controller. */
class ClusterNodeTest {
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

    private static PartitionState partition(ClusterNode node, String topic, int partition) {
        return node.image().partition(topic, partition).orElseThrow();
    }

    private void awaitSameImageEverywhere() {
        await().atMost(PATIENCE).until(() -> {
            List<MetadataImage> images = cluster.running().stream().map(ClusterNode::image).toList();
            return images.stream().distinct().count() == 1;
        });
    }

    @Test
    void threeNodesAgreeOnAControllerAndATopicCreatedThroughAnyOfThem() {
        cluster = LoopbackCluster.withStaticPeers(dir, 3).startAll();

        await().atMost(PATIENCE).until(() -> cluster.running().stream().filter(ClusterNode::isController).count() == 1);
        int controller = cluster.controller().nodeId();
        ClusterNode follower = cluster.running().stream().filter(n -> n.nodeId() != controller).findFirst()
                .orElseThrow();
        follower.createTopic(new CreateTopicRequest("orders", 3, 3, Map.of())).join();

        awaitSameImageEverywhere();
        MetadataImage image = follower.image();
        assertThat(image.liveBrokerIds()).containsExactly(1, 2, 3);
        assertThat(image.topic("orders").orElseThrow().partitions()).hasSize(3);
        assertThat(follower.members()).containsExactly(1, 2, 3);
        assertThat(follower.controllerId()).contains(controller);
        List<Integer> leaders = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            PartitionState state = partition(follower, "orders", p);
            assertThat(state.isr()).containsExactlyInAnyOrderElementsOf(state.replicas());
            leaders.add(state.leader());
        }
        assertThat(leaders).containsExactlyInAnyOrder(1, 2, 3);
    }

    @Test
    void whenTheControllersNodeClosesItsPartitionsMoveWithANewEpochAndComeBackWhenItReturns() {
        cluster = LoopbackCluster.withStaticPeers(dir, 3).startAll();
        cluster.node(1).createTopic(new CreateTopicRequest("orders", 3, 3, Map.of())).join();
        awaitSameImageEverywhere();
        int victim = cluster.controller().nodeId();
        ClusterNode witness = cluster.running().stream().filter(n -> n.nodeId() != victim).findFirst().orElseThrow();
        Map<Integer, PartitionState> ledByVictim = new HashMap<>();
        for (int p = 0; p < 3; p++) {
            PartitionState state = partition(witness, "orders", p);
            if (state.leader() == victim) {
                ledByVictim.put(p, state);
            }
        }
        assertThat(ledByVictim).as("round-robin placement gives every node a partition to lead").hasSize(1);

        cluster.stop(victim);

        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(witness.image().isLive(victim)).isFalse();
            for (Map.Entry<Integer, PartitionState> led : ledByVictim.entrySet()) {
                PartitionState now = partition(witness, "orders", led.getKey());
                assertThat(now.leader()).isNotIn(victim, -1);
                assertThat(now.leaderEpoch()).isEqualTo(led.getValue().leaderEpoch() + 1);
                assertThat(now.isr()).doesNotContain(victim);
            }
        });
        assertThat(cluster.controller().nodeId()).isNotEqualTo(victim);

        ClusterNode returned = cluster.start(victim);
        assertThat(returned.image().isLive(victim)).isTrue();
        awaitSameImageEverywhere();
        for (Map.Entry<Integer, PartitionState> led : ledByVictim.entrySet()) {
            // The data plane would report the returned replica in sync once it caught up; here its leader says so.
            PartitionState current = partition(witness, "orders", led.getKey());
            List<Integer> expanded = new ArrayList<>(current.isr());
            expanded.add(victim);
            cluster.node(current.leader()).alterIsr(new AlterIsrRequest(current.leader(), "orders", led.getKey(),
                    current.leaderEpoch(), current.partitionEpoch(), expanded)).join();
        }

        await().atMost(PATIENCE).untilAsserted(() -> {
            for (Map.Entry<Integer, PartitionState> led : ledByVictim.entrySet()) {
                PartitionState now = partition(returned, "orders", led.getKey());
                assertThat(now.leader()).as("preferred leader back").isEqualTo(victim);
                assertThat(now.leaderEpoch()).isEqualTo(led.getValue().leaderEpoch() + 2);
                assertThat(now.isr()).contains(victim);
            }
        });
    }

    @Test
    void aFollowerThatLeavesShrinksTheIsrAndLeadershipStays() {
        cluster = LoopbackCluster.withStaticPeers(dir, 3).startAll();
        cluster.node(1).createTopic(new CreateTopicRequest("orders", 3, 3, Map.of())).join();
        awaitSameImageEverywhere();
        int controller = cluster.controller().nodeId();
        int victim = controller % 3 + 1;
        PartitionState before = partition(cluster.node(controller), "orders", 0);

        cluster.stop(victim);

        await().atMost(PATIENCE).untilAsserted(() -> {
            PartitionState now = partition(cluster.node(controller), "orders", 0);
            assertThat(now.isr()).doesNotContain(victim);
            if (before.leader() != victim) {
                assertThat(now.leader()).isEqualTo(before.leader());
                assertThat(now.leaderEpoch()).isEqualTo(before.leaderEpoch());
            }
        });
    }

    @Test
    void aNodeOfAnotherClusterIsNotAdmitted() {
        cluster = LoopbackCluster.withStaticPeers(dir, 3).startAll();
        ClusterNodeConfig peer = cluster.configOf(1);
        ClusterNodeConfig stranger = new ClusterNodeConfig(4, "other-cluster", LoopbackCluster.freeAddress(),
                peer.discovery(), java.util.Set.of(1, 2, 3, 4), dir.resolve("stranger"), peer.endpoints(),
                peer.rack(), 3000, 3000, peer.snapshotLogBytes(), peer.leaderPlacement(), peer.membershipKey());

        assertThatThrownBy(() -> ClusterNode.start(stranger))
                .isInstanceOf(ClusterException.class)
                .hasMessageContaining("node 4 found no member of cluster 'other-cluster'")
                .hasMessageContaining("check the peers, that they run, and the cluster id");
        assertThat(cluster.node(1).members()).containsExactly(1, 2, 3);
    }

    @Test
    void nodesGivenTheClustersSecretFormItAndOneGivenAnotherIsNotAdmitted() {
        cluster = LoopbackCluster.withStaticPeers(dir, 3);
        for (int id = 1; id <= 3; id++) {
            cluster.reconfigure(id, cluster.configOf(id).withMembershipSecret("correct horse battery staple"));
        }
        cluster.startAll();
        assertThat(cluster.node(1).members()).containsExactly(1, 2, 3);
        assertThat(cluster.node(1).image().liveBrokerIds()).containsExactlyInAnyOrder(1, 2, 3);

        ClusterNodeConfig peer = cluster.configOf(1);
        ClusterNodeConfig intruder = new ClusterNodeConfig(4, peer.clusterId(), LoopbackCluster.freeAddress(),
                peer.discovery(), java.util.Set.of(1, 2, 3, 4), dir.resolve("intruder"), peer.endpoints(),
                peer.rack(), 5000, 5000, peer.snapshotLogBytes(), peer.leaderPlacement(), java.util.Optional.empty())
                .withMembershipSecret("a guess at the secret");
        assertThatThrownBy(() -> ClusterNode.start(intruder)).isInstanceOf(ClusterException.class)
                .hasMessageContaining("that this node has the cluster's secret");
        assertThat(cluster.node(1).members()).containsExactly(1, 2, 3);
    }

    @Test
    void aSecondProcessWithALiveNodesIdIsNotAdmitted() {
        cluster = LoopbackCluster.withStaticPeers(dir, 3).startAll();
        ClusterNodeConfig original = cluster.configOf(2);
        ClusterNodeConfig duplicate = new ClusterNodeConfig(2, original.clusterId(), LoopbackCluster.freeAddress(),
                original.discovery(), original.voters(), dir.resolve("duplicate"), original.endpoints(),
                original.rack(), 15_000, 15_000, original.snapshotLogBytes(), original.leaderPlacement(),
                original.membershipKey());

        // Time enough for the refusal on a loaded machine: with 5 s a CI run once timed out looking for peers first.
        assertThatThrownBy(() -> ClusterNode.start(duplicate))
                .isInstanceOf(ClusterException.class)
                .hasMessageContaining("node 2 was not admitted");
        assertThat(cluster.node(1).members()).containsExactly(1, 2, 3);
        assertThat(cluster.node(1).image().broker(2).orElseThrow().incarnation())
                .isEqualTo(cluster.node(2).incarnation());
    }

    @Test
    void peersThatNameNoReachableMemberAreAClearError() {
        ClusterNodeConfig lonely = LoopbackCluster.config(1, LoopbackCluster.freeAddress(),
                new ClusterNodeConfig.StaticPeers(List.of(LoopbackCluster.freeAddress(), LoopbackCluster.freeAddress())),
                3, dir).withTimeouts(2000, 2000);

        assertThatThrownBy(() -> ClusterNode.start(lonely))
                .isInstanceOf(ClusterException.class)
                .hasMessageContaining("node 1 found no member of cluster 'test-cluster' through peers");
    }

    @Test
    void nodesFindEachOtherThroughASharedDirectory() {
        cluster = LoopbackCluster.withSharedDirectory(dir, 3).startAll();

        cluster.node(3).createTopic(new CreateTopicRequest("files", 2, 2, Map.of())).join();

        awaitSameImageEverywhere();
        assertThat(cluster.node(1).image().topic("files")).isPresent();
        assertThat(cluster.node(2).members()).containsExactly(1, 2, 3);
    }
}
