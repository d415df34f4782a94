package io.strand.broker;

import io.strand.cluster.ClusterNodeConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * How a broker joins a cluster, read from the {@code cluster.*} settings; a broker without
 * {@code cluster.id} runs alone. The broker's id in the cluster is {@code broker.id}.
 *
 * @param clusterId          the cluster's name ({@code cluster.id}); brokers of other clusters never meet
 * @param bind               host and port the cluster membership listens on ({@code cluster.bind}, default
 *                           the broker's host and its port + 1000); failure detection also uses the port
 *                           100 above it
 * @param peers              where the other brokers' memberships listen ({@code cluster.peers}, host:port
 *                           list, this broker's own address may be among them)
 * @param voters             the broker ids that vote for the controller ({@code cluster.voters}, default
 *                           1 to the number of peers)
 * @param replicationFactor  replicas of each internal log, and of each new destination that asks for no number of
 *                           its own ({@code replication.factor}, default the number of voters, at most 3)
 * @param minInsyncReplicas  in-sync replicas a write needs to be acknowledged, for internal logs and destinations
 *                           without a number of their own ({@code min.insync.replicas}, default 2, or 1 when the
 *                           replication factor is 1)
 * @param replicaLagMaxMs    how long a follower may stay behind before it leaves the ISR
 *                           ({@code replica.lag.time.max.ms}, default 10000)
 * @param metadataDir        where the controller's replicated log lives: {@code <data.dir>/cluster-metadata}
 * @param replicationLogin   the user this broker's followers log in as to fetch from the other brokers
 *                           ({@code cluster.replication.user} and {@code cluster.replication.password}), null when
 *                           they log in anonymously; needed when the brokers have users
 * @param secret             the passphrase every broker of the cluster is given ({@code cluster.secret}, at least 16
 *                           characters): the membership traffic is encrypted with a key derived from it, and a broker
 *                           without it is not admitted; null to send that traffic in the clear
 * @param preferredActive    the broker the active role belongs on ({@code cluster.preferred.active.broker}, one of the
 *                           voters): after a failover it takes the role back once it has been in sync for every
 *                           partition it holds for {@link PreferredActiveRole#IN_SYNC_MS}; {@link #NO_PREFERENCE}
 *                           (the default) to leave the role where it is
 */
public record ClusterSettings(String clusterId, InetSocketAddress bind, List<InetSocketAddress> peers,
                              Set<Integer> voters, int replicationFactor, int minInsyncReplicas,
                              long replicaLagMaxMs, Path metadataDir, Login replicationLogin, String secret,
                              int preferredActive) {
    public static final String CLUSTER_ID = "cluster.id";
    public static final String CLUSTER_BIND = "cluster.bind";
    public static final String CLUSTER_PEERS = "cluster.peers";
    public static final String CLUSTER_VOTERS = "cluster.voters";
    public static final String REPLICATION_FACTOR = "replication.factor";
    public static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";
    public static final String REPLICA_LAG_MAX_MS = "replica.lag.time.max.ms";
    public static final String REPLICATION_USER = "cluster.replication.user";
    public static final String REPLICATION_PASSWORD = "cluster.replication.password";
    public static final String CLUSTER_SECRET = "cluster.secret";
    public static final String PREFERRED_ACTIVE_BROKER = "cluster.preferred.active.broker";
    /** No broker is preferred for the active role. */
    public static final int NO_PREFERENCE = -1;
    static final Set<String> KEYS = Set.of(CLUSTER_ID, CLUSTER_BIND, CLUSTER_PEERS, CLUSTER_VOTERS,
            REPLICATION_FACTOR, MIN_INSYNC_REPLICAS, REPLICA_LAG_MAX_MS, REPLICATION_USER, REPLICATION_PASSWORD,
            CLUSTER_SECRET, PREFERRED_ACTIVE_BROKER);

    /** A user name and password to log in with; never shows the password. */
    public record Login(String userName, String password) {
        public Login {
            if (userName == null || userName.isEmpty() || password == null || password.isEmpty()) {
                throw new IllegalArgumentException(REPLICATION_USER + " and " + REPLICATION_PASSWORD
                        + " go together, and neither may be empty");
            }
        }

        @Override
        public String toString() {
            return "Login[userName=" + userName + ", password=(hidden)]";
        }
    }

    public ClusterSettings {
        peers = List.copyOf(peers);
        voters = Set.copyOf(new TreeSet<>(voters));
        if (replicationFactor < 1 || replicationFactor > voters.size()) {
            throw new IllegalArgumentException(REPLICATION_FACTOR + "=" + replicationFactor + " must be 1 to the "
                    + voters.size() + " voting brokers");
        }
        if (minInsyncReplicas < 1 || minInsyncReplicas > replicationFactor) {
            throw new IllegalArgumentException(MIN_INSYNC_REPLICAS + "=" + minInsyncReplicas + " must be 1 to "
                    + REPLICATION_FACTOR + "=" + replicationFactor);
        }
        if (replicaLagMaxMs < 100) {
            throw new IllegalArgumentException(REPLICA_LAG_MAX_MS + "=" + replicaLagMaxMs + " must be at least 100");
        }
        if (preferredActive != NO_PREFERENCE && !voters.contains(preferredActive)) {
            throw new IllegalArgumentException(PREFERRED_ACTIVE_BROKER + "=" + preferredActive + " is not one of "
                    + CLUSTER_VOTERS + "=" + new TreeSet<>(voters));
        }
        if (secret != null && secret.length() < ClusterNodeConfig.MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException(CLUSTER_SECRET + " must be at least "
                    + ClusterNodeConfig.MIN_SECRET_LENGTH + " characters long");
        }
    }

    /** Never shows the secret or the replication password. */
    @Override
    public String toString() {
        return "ClusterSettings[clusterId=" + clusterId + ", bind=" + bind + ", peers=" + peers + ", voters=" + voters
                + ", replicationFactor=" + replicationFactor + ", minInsyncReplicas=" + minInsyncReplicas
                + ", replicaLagMaxMs=" + replicaLagMaxMs + ", metadataDir=" + metadataDir + ", replicationLogin="
                + replicationLogin + ", secret=" + (secret == null ? "none" : "(hidden)") + ", preferredActive="
                + preferredActive + "]";
    }

    /**
     * The cluster settings among {@code values}, or null when {@code cluster.id} is absent (and then no
     * other cluster setting may be given).
     */
    static ClusterSettings from(Map<String, String> values, String host, int port, int brokerId, Path dataDir) {
        String clusterId = values.get(CLUSTER_ID);
        if (clusterId == null) {
            for (String key : KEYS) {
                if (values.containsKey(key)) {
                    throw new IllegalArgumentException(key + " is set but " + CLUSTER_ID
                            + " is not: a broker without a cluster id runs alone");
                }
            }
            return null;
        }
        if (!clusterId.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException(CLUSTER_ID + "='" + clusterId + "' must be letters, digits, '.', '_' or '-'");
        }
        String peerList = values.get(CLUSTER_PEERS);
        if (peerList == null || peerList.isBlank()) {
            throw new IllegalArgumentException(CLUSTER_PEERS + " is required with " + CLUSTER_ID
                    + ": the host:port of every broker's cluster listener, comma separated");
        }
        List<InetSocketAddress> peers = new ArrayList<>();
        for (String peer : peerList.split(",")) {
            peers.add(address(CLUSTER_PEERS, peer.trim()));
        }
        InetSocketAddress bind = values.containsKey(CLUSTER_BIND) ? address(CLUSTER_BIND, values.get(CLUSTER_BIND))
                : new InetSocketAddress(host, port + 1000);
        Set<Integer> voters = new TreeSet<>();
        if (values.containsKey(CLUSTER_VOTERS)) {
            for (String id : values.get(CLUSTER_VOTERS).split(",")) {
                voters.add(parseInt(CLUSTER_VOTERS, id.trim()));
            }
        } else {
            for (int id = 1; id <= peers.size(); id++) {
                voters.add(id);
            }
        }
        if (!voters.contains(brokerId)) {
            throw new IllegalArgumentException(BrokerConfig.BROKER_ID + "=" + brokerId + " is not one of "
                    + CLUSTER_VOTERS + "=" + voters);
        }
        int replicationFactor = values.containsKey(REPLICATION_FACTOR)
                ? parseInt(REPLICATION_FACTOR, values.get(REPLICATION_FACTOR)) : Math.min(3, voters.size());
        int minInsync = values.containsKey(MIN_INSYNC_REPLICAS)
                ? parseInt(MIN_INSYNC_REPLICAS, values.get(MIN_INSYNC_REPLICAS)) : Math.min(2, replicationFactor);
        long lag = values.containsKey(REPLICA_LAG_MAX_MS)
                ? parseLong(REPLICA_LAG_MAX_MS, values.get(REPLICA_LAG_MAX_MS)) : 10_000;
        Login login = values.containsKey(REPLICATION_USER) || values.containsKey(REPLICATION_PASSWORD)
                ? new Login(values.get(REPLICATION_USER), values.get(REPLICATION_PASSWORD)) : null;
        int preferredActive = values.containsKey(PREFERRED_ACTIVE_BROKER)
                ? parseInt(PREFERRED_ACTIVE_BROKER, values.get(PREFERRED_ACTIVE_BROKER)) : NO_PREFERENCE;
        return new ClusterSettings(clusterId, bind, peers, voters, replicationFactor, minInsync, lag,
                dataDir.resolve("cluster-metadata"), login, values.get(CLUSTER_SECRET), preferredActive);
    }

    private static InetSocketAddress address(String key, String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) {
            throw new IllegalArgumentException(key + ": '" + hostPort + "' is not host:port");
        }
        int port = parseInt(key, hostPort.substring(colon + 1));
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(key + ": port " + port + " of '" + hostPort + "' is not 1 to 65535");
        }
        return new InetSocketAddress(hostPort.substring(0, colon), port);
    }

    private static int parseInt(String key, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "='" + value + "' is not a whole number");
        }
    }

    private static long parseLong(String key, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "='" + value + "' is not a whole number");
        }
    }
}
