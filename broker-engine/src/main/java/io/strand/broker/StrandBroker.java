package io.strand.broker;

import io.netty.channel.local.LocalAddress;
import io.strand.log.LogManager;
import io.strand.log.LogManagerConfig;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single Strand broker: its logs, destinations, durable subscriptions and listeners, started by
 * {@link #start} and stopped cleanly by {@link #close()} (listeners first, then a clean close of
 * every log, so the next start needs no recovery).
 */
public final class StrandBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StrandBroker.class);

    private final LogManager logs;
    private final BrokerServer server;
    private final Supplier<ShareGroups> shareGroups;
    /** This broker's cluster membership, or null when it runs alone. */
    private final ClusterMember cluster;
    /** The Prometheus endpoint, or null when {@code metrics.port} is -1. */
    private final MetricsEndpoint metrics;
    private boolean closed;

    private StrandBroker(LogManager logs, BrokerServer server, Supplier<ShareGroups> shareGroups,
                         MetricsEndpoint metrics, ClusterMember cluster) {
        this.logs = logs;
        this.server = server;
        this.shareGroups = shareGroups;
        this.metrics = metrics;
        this.cluster = cluster;
    }

    /**
     * Opens the data directory and starts listening.
     *
     * @param localName the name of an in-JVM listener for {@code vm://} clients, or null for TCP only
     */
    public static StrandBroker start(BrokerConfig config, String localName) {
        if (config.cluster() != null) {
            return startInCluster(config, localName);
        }
        LogManager logs = LogManager.open(LogManagerConfig.defaults(config.dataDir())
                .withDefaultLogConfig(config.logConfig()));
        try {
            MessagingEngine engine = MessagingEngine.load(config, logs, LogPlacement.local(logs), null);
            BrokerMetrics meters = engine.meters();
            BrokerServer server;
            MetricsEndpoint metrics = null;
            try {
                server = new BrokerServer(config, engine.router(), localName, meters == null ? null : meters.requestTimers());
            } catch (RuntimeException e) {
                if (meters != null) {
                    meters.close();
                }
                throw e;
            }
            if (meters != null) {
                meters.countConnections(server::openConnections);
                try {
                    metrics = MetricsEndpoint.start(config.host(), config.metricsPort(), meters);
                } catch (RuntimeException e) {
                    server.close();
                    meters.close();
                    throw e;
                }
            }
            StrandBroker broker = new StrandBroker(logs, server, engine::shareGroups, metrics, null);
            LOG.info("Strand broker {} ready on {} with data in {}", config.brokerId(), describe(server.tcpAddress()),
                    config.dataDir().toAbsolutePath());
            return broker;
        } catch (RuntimeException e) {
            logs.close();
            throw e;
        }
    }

    /**
     * Opens the data directory, listens, and joins the cluster; clients are served once this broker is
     * the cluster's active broker, and told where that is until then.
     */
    private static StrandBroker startInCluster(BrokerConfig config, String localName) {
        if (config.metricsPort() >= 0) {
            throw new IllegalArgumentException(BrokerConfig.METRICS_PORT + " is not supported with "
                    + ClusterSettings.CLUSTER_ID + " yet");
        }
        LogManager logs = LogManager.open(LogManagerConfig.defaults(config.dataDir())
                .withDefaultLogConfig(config.logConfig()));
        AtomicReference<ClusterMember> member = new AtomicReference<>();
        ClusterRouter router = new ClusterRouter(config, member::get);
        BrokerServer server;
        try {
            server = new BrokerServer(config, router, localName, null);
        } catch (RuntimeException e) {
            logs.close();
            throw e;
        }
        try {
            member.set(ClusterMember.join(config, logs, server.tcpAddress()));
        } catch (RuntimeException e) {
            server.close();
            logs.close();
            throw e;
        }
        member.get().start(router);
        LOG.info("Strand broker {} ready on {} with data in {}, member of cluster '{}'", config.brokerId(),
                describe(server.tcpAddress()), config.dataDir().toAbsolutePath(), config.cluster().clusterId());
        return new StrandBroker(logs, server, () -> {
            MessagingEngine engine = member.get().engine();
            return engine == null ? null : engine.shareGroups();
        }, null, member.get());
    }

    private static String describe(InetSocketAddress address) {
        return "strand://" + address.getHostString() + ":" + address.getPort();
    }

    public InetSocketAddress address() {
        return server.tcpAddress();
    }

    public LocalAddress localAddress() {
        return server.localAddress();
    }

    /** Where the Prometheus endpoint listens, or null when the broker has none ({@code metrics.port} -1). */
    public InetSocketAddress metricsAddress() {
        return metrics == null ? null : metrics.address();
    }

    /** Whether this broker serves JMS clients now: always when it runs alone, in a cluster while it is the active one. */
    public boolean servesClients() {
        return cluster == null || cluster.engine() != null;
    }

    /** Client connections open now. */
    public int openConnections() {
        return server.openConnections();
    }

    /** What the share group of a queue partition holds now, or null when the partition has none yet. */
    public QueueState queueState(String queue, int partition) {
        ShareGroups groups = shareGroups.get();
        return groups == null ? null : groups.state(queue, partition);
    }

    /** Stops the broker cleanly; a second call does nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (metrics != null) {
            metrics.close();
        }
        server.close();
        if (cluster != null) {
            cluster.close();
        }
        logs.close();
        LOG.info("Strand broker stopped cleanly");
    }
}
