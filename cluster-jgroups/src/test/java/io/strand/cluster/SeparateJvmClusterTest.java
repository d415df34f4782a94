package io.strand.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.strand.cluster.controller.CreateTopicRequest;
import io.strand.cluster.metadata.PartitionState;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nodes 2 and 3 in their own JVMs, node 1 in this one as the observer: a node killed with SIGKILL
 * loses its partitions to in-sync replicas with a new leader epoch (and the controller role, if it held
 * it), and when started again on its data directory it catches up and leads its preferred partitions.
 */
class SeparateJvmClusterTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void aKilledNodesPartitionsMoveAndComeBackWhenItRestarts() throws Exception {
        List<InetSocketAddress> addresses = List.of(LoopbackCluster.freeAddress(), LoopbackCluster.freeAddress(),
                LoopbackCluster.freeAddress());
        ClusterNodeConfig observerConfig = LoopbackCluster.config(1, addresses.get(0),
                new ClusterNodeConfig.StaticPeers(addresses), 3, dir).withTimeouts(60_000, 20_000);
        CompletableFuture<ClusterNode> observerStart = CompletableFuture.supplyAsync(() -> ClusterNode.start(observerConfig));
        Map<Integer, ClusterNodeProcess> processes = new HashMap<>();
        try (ClusterNodeProcess two = ClusterNodeProcess.start(2, LoopbackCluster.CLUSTER_ID, addresses.get(1),
                dir.resolve("node-2"), addresses);
             ClusterNodeProcess three = ClusterNodeProcess.start(3, LoopbackCluster.CLUSTER_ID, addresses.get(2),
                     dir.resolve("node-3"), addresses);
             ClusterNode observer = observerStart.join()) {
            processes.put(2, two);
            processes.put(3, three);
            InstantCatchUp.attach(observer);
            observer.createTopic(new CreateTopicRequest("orders", 3, 3, Map.of())).join();
            await().atMost(PATIENCE).until(() -> observer.image().topic("orders").isPresent());
            int victim = observer.controllerId().filter(id -> id != 1).orElse(2);
            Map<Integer, PartitionState> ledByVictim = partitionsLedBy(observer, victim);
            assertThat(ledByVictim).isNotEmpty();

            processes.get(victim).kill9();

            await().atMost(PATIENCE).untilAsserted(() -> {
                assertThat(observer.image().isLive(victim)).isFalse();
                for (var led : ledByVictim.entrySet()) {
                    PartitionState now = observer.image().partition("orders", led.getKey()).orElseThrow();
                    assertThat(now.leader()).isNotIn(victim, -1);
                    assertThat(now.leaderEpoch()).isEqualTo(led.getValue().leaderEpoch() + 1);
                }
            });
            assertThat(observer.controllerId()).get().isNotEqualTo(victim);
            long oldIncarnation = observer.image().broker(victim).orElseThrow().incarnation();

            try (ClusterNodeProcess restarted = ClusterNodeProcess.start(victim, LoopbackCluster.CLUSTER_ID,
                    addresses.get(victim - 1), dir.resolve("node-" + victim), addresses)) {
                await().atMost(PATIENCE).untilAsserted(() -> {
                    assertThat(observer.image().isLive(victim)).isTrue();
                    assertThat(observer.image().broker(victim).orElseThrow().incarnation()).isNotEqualTo(oldIncarnation);
                    for (var led : ledByVictim.entrySet()) {
                        PartitionState now = observer.image().partition("orders", led.getKey()).orElseThrow();
                        assertThat(now.leader()).as("preferred leader back").isEqualTo(victim);
                        assertThat(now.leaderEpoch()).isEqualTo(led.getValue().leaderEpoch() + 2);
                    }
                });
            }
        }
    }

    private static Map<Integer, PartitionState> partitionsLedBy(ClusterNode observer, int broker) {
        Map<Integer, PartitionState> led = new HashMap<>();
        observer.image().topic("orders").orElseThrow().partitions().forEach((p, state) -> {
            if (state.leader() == broker) {
                led.put(p, state);
            }
        });
        return led;
    }
}
