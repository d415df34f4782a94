package io.strand.cluster;

import io.strand.cluster.controller.LeaderPlacement;
import io.strand.cluster.metadata.Endpoint;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.crypto.SecretKey;

/**
 * What a {@link ClusterNode} needs to join a cluster, validated when built so that a bad setting stops
 * the start with a message naming it.
 *
 * @param nodeId          this broker's stable id; it is also its Raft id
 * @param clusterId       the cluster's id; a node only ever meets nodes configured with the same one
 * @param bindAddress     the host and TCP port JGroups listens on (port 0 is refused: peers must know it);
 *                        failure detection also uses the port 100 above it
 * @param discovery       how the node finds the others
 * @param voters          the ids of the nodes that vote in Raft (the controller quorum), this one included
 * @param dataDir         where the Raft log and its snapshots live
 * @param endpoints       where clients and brokers reach this broker, registered in the metadata
 * @param rack            this broker's rack, if racks are configured
 * @param joinTimeoutMs   how long to wait for a peer to answer, and for the controller to admit this node
 * @param requestTimeoutMs how long a request to the controller may take, retries included
 * @param snapshotLogBytes the Raft log size past which it is replaced by a snapshot
 * @param leaderPlacement how the controller, when this node runs it, chooses partition leaders
 * @param membershipKey   the key that encrypts the membership traffic, so that only nodes that have it join and read
 *                        it; empty to send it in the clear
 */
public record ClusterNodeConfig(int nodeId, String clusterId, InetSocketAddress bindAddress, Discovery discovery,
                                Set<Integer> voters, Path dataDir, List<Endpoint> endpoints, Optional<String> rack,
                                long joinTimeoutMs, long requestTimeoutMs, long snapshotLogBytes,
                                LeaderPlacement leaderPlacement, Optional<SecretKey> membershipKey) {
    /** How a node finds its peers. No multicast is needed by either. */
    public sealed interface Discovery permits StaticPeers, SharedDirectory {
    }

    /** A fixed list of peer addresses (JGroups TCPPING); this node's own may be among them. */
    public record StaticPeers(List<InetSocketAddress> peers) implements Discovery {
        public StaticPeers {
            peers = List.copyOf(peers);
            if (peers.isEmpty()) {
                throw new IllegalArgumentException("peers: the static peer list is empty");
            }
        }
    }

    /** A directory all nodes share, where each writes its address (JGroups FILE_PING). */
    public record SharedDirectory(Path directory) implements Discovery {
        public SharedDirectory {
            Objects.requireNonNull(directory, "discovery directory");
        }
    }

    public ClusterNodeConfig {
        if (nodeId < 0) {
            throw new IllegalArgumentException("node.id=" + nodeId + " is negative");
        }
        Objects.requireNonNull(clusterId, "cluster.id");
        if (clusterId.isBlank() || !clusterId.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("cluster.id='" + clusterId
                    + "' must be letters, digits, '.', '_' or '-'");
        }
        Objects.requireNonNull(bindAddress, "bind address");
        if (bindAddress.getPort() == 0) {
            throw new IllegalArgumentException("bind port 0: peers find a node at a fixed port, give one");
        }
        Objects.requireNonNull(discovery, "discovery");
        voters = Set.copyOf(new TreeSet<>(voters));
        if (!voters.contains(nodeId)) {
            throw new IllegalArgumentException("voters " + new TreeSet<>(voters) + " do not include node.id="
                    + nodeId);
        }
        Objects.requireNonNull(dataDir, "data dir");
        endpoints = List.copyOf(endpoints);
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("endpoints: node " + nodeId + " has none to register");
        }
        Objects.requireNonNull(rack, "rack");
        requirePositive(joinTimeoutMs, "join timeout");
        requirePositive(requestTimeoutMs, "request timeout");
        requirePositive(snapshotLogBytes, "snapshot log bytes");
        Objects.requireNonNull(leaderPlacement, "leader placement");
        Objects.requireNonNull(membershipKey, "membership key");
    }

    /** The shortest cluster secret accepted: the key derived from it is only as hard to guess as it is. */
    public static final int MIN_SECRET_LENGTH = 16;

    /** Never shows the membership key. */
    @Override
    public String toString() {
        return "ClusterNodeConfig[nodeId=" + nodeId + ", clusterId=" + clusterId + ", bindAddress=" + bindAddress
                + ", discovery=" + discovery + ", voters=" + voters + ", dataDir=" + dataDir + ", endpoints="
                + endpoints + ", rack=" + rack + ", membership traffic "
                + (membershipKey.isPresent() ? "encrypted" : "in the clear") + "]";
    }

    /**
     * A configuration with the usual timeouts: 10 s to join, 15 s per request, snapshots past 1 MiB; leadership
     * spreads over the brokers.
     */
    public static ClusterNodeConfig of(int nodeId, String clusterId, InetSocketAddress bindAddress,
                                       Discovery discovery, Set<Integer> voters, Path dataDir,
                                       List<Endpoint> endpoints, Optional<String> rack) {
        return new ClusterNodeConfig(nodeId, clusterId, bindAddress, discovery, voters, dataDir, endpoints, rack,
                10_000, 15_000, 1 << 20, LeaderPlacement.SPREAD, Optional.empty());
    }

    /** The same configuration with other timeouts. */
    public ClusterNodeConfig withTimeouts(long newJoinTimeoutMs, long newRequestTimeoutMs) {
        return new ClusterNodeConfig(nodeId, clusterId, bindAddress, discovery, voters, dataDir, endpoints, rack,
                newJoinTimeoutMs, newRequestTimeoutMs, snapshotLogBytes, leaderPlacement, membershipKey);
    }

    /** The same configuration with another snapshot threshold. */
    public ClusterNodeConfig withSnapshotLogBytes(long bytes) {
        return new ClusterNodeConfig(nodeId, clusterId, bindAddress, discovery, voters, dataDir, endpoints, rack,
                joinTimeoutMs, requestTimeoutMs, bytes, leaderPlacement, membershipKey);
    }

    /** The same configuration with another leader placement. */
    public ClusterNodeConfig withLeaderPlacement(LeaderPlacement placement) {
        return new ClusterNodeConfig(nodeId, clusterId, bindAddress, discovery, voters, dataDir, endpoints, rack,
                joinTimeoutMs, requestTimeoutMs, snapshotLogBytes, placement, membershipKey);
    }

    /**
     * The same configuration with its membership traffic encrypted by a key derived from {@code secret}, which every
     * node of the cluster is given ({@code cluster.secret}); a node with another secret is not admitted.
     *
     * @throws IllegalArgumentException when the secret is shorter than {@value #MIN_SECRET_LENGTH}
     */
    public ClusterNodeConfig withMembershipSecret(String secret) {
        return new ClusterNodeConfig(nodeId, clusterId, bindAddress, discovery, voters, dataDir, endpoints, rack,
                joinTimeoutMs, requestTimeoutMs, snapshotLogBytes, leaderPlacement,
                Optional.of(MembershipKey.derive(secret, clusterId)));
    }

    private static void requirePositive(long value, String what) {
        if (value <= 0) {
            throw new IllegalArgumentException(what + "=" + value + " must be positive");
        }
    }
}
