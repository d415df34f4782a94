package io.strand.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strand.cluster.metadata.Endpoint;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClusterNodeConfigTest {
    private static final InetSocketAddress BIND = new InetSocketAddress("127.0.0.1", 7800);
    private static final ClusterNodeConfig.Discovery PEERS = new ClusterNodeConfig.StaticPeers(List.of(BIND));
    private static final List<Endpoint> ENDPOINTS = List.of(new Endpoint("client", "127.0.0.1", 61617));

    private static ClusterNodeConfig config(int nodeId, String clusterId, InetSocketAddress bind, Set<Integer> voters,
                                            List<Endpoint> endpoints) {
        return ClusterNodeConfig.of(nodeId, clusterId, bind, PEERS, voters, Path.of("data"), endpoints,
                Optional.empty());
    }

    @Test
    void badSettingsAreNamed() {
        assertThatThrownBy(() -> config(-1, "c", BIND, Set.of(1), ENDPOINTS)).hasMessageContaining("node.id=-1");
        assertThatThrownBy(() -> config(1, "a b", BIND, Set.of(1), ENDPOINTS)).hasMessageContaining("cluster.id='a b'");
        assertThatThrownBy(() -> config(1, "c", new InetSocketAddress("127.0.0.1", 0), Set.of(1), ENDPOINTS))
                .hasMessageContaining("bind port 0");
        assertThatThrownBy(() -> config(1, "c", BIND, Set.of(2, 3), ENDPOINTS))
                .hasMessageContaining("voters [2, 3] do not include node.id=1");
        assertThatThrownBy(() -> config(1, "c", BIND, Set.of(1), List.of())).hasMessageContaining("has none to register");
        assertThatThrownBy(() -> new ClusterNodeConfig.StaticPeers(List.of())).hasMessageContaining("peer list is empty");
        assertThatThrownBy(() -> config(1, "c", BIND, Set.of(1), ENDPOINTS).withTimeouts(0, 1))
                .hasMessageContaining("join timeout=0");
        assertThatThrownBy(() -> config(1, "c", BIND, Set.of(1), ENDPOINTS).withMembershipSecret("too short"))
                .hasMessageContaining("cluster.secret must be at least 16 characters");
    }

    @Test
    void aSecretGivesEachClusterItsOwnKeyAndNeverShows() {
        ClusterNodeConfig one = config(1, "one", BIND, Set.of(1), ENDPOINTS).withMembershipSecret("sixteen or more!");
        ClusterNodeConfig again = config(2, "one", BIND, Set.of(2), ENDPOINTS).withMembershipSecret("sixteen or more!");
        ClusterNodeConfig other = config(1, "two", BIND, Set.of(1), ENDPOINTS).withMembershipSecret("sixteen or more!");
        assertThat(one.membershipKey().orElseThrow().getEncoded()).hasSize(32)
                .isEqualTo(again.membershipKey().orElseThrow().getEncoded())
                .isNotEqualTo(other.membershipKey().orElseThrow().getEncoded());
        assertThat(one.toString()).contains("membership traffic encrypted").doesNotContain("sixteen");
        assertThat(config(1, "c", BIND, Set.of(1), ENDPOINTS).membershipKey()).isEmpty();
    }
}
