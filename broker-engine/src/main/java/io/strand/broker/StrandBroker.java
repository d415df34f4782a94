package io.strand.broker;

import io.netty.channel.local.LocalAddress;
import io.strand.log.LogManager;
import io.strand.log.LogManagerConfig;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
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
        AtomicReference<MessagingEngine> engine = new AtomicReference<>();
        BrokerMetrics meters = null;
        try {
            meters = meters(config, logs, engine::get, () -> true);
            engine.set(MessagingEngine.load(config, logs, LogPlacement.local(logs), null,
                    meters == null ? Traffic.NONE : meters));
            BrokerServer server = new BrokerServer(config, engine.get().router(), localName,
                    meters == null ? null : meters.requestTimers());
            MetricsEndpoint metrics = serveMetrics(config, meters, server);
            StrandBroker broker = new StrandBroker(logs, server, () -> engine.get().shareGroups(), metrics, null);
            LOG.info("Strand broker {} ready on {} ({}) with data in {}", config.brokerId(),
                    describe(server.tcpAddress()), server.transportName(), config.dataDir().toAbsolutePath());
            return broker;
        } catch (RuntimeException e) {
            if (meters != null) {
                meters.close();
            }
            logs.close();
            throw e;
        }
    }

    /**
     * Opens the data directory, listens, and joins the cluster; clients are served once this broker is
     * the cluster's active broker, and told where that is until then.
     */
    private static StrandBroker startInCluster(BrokerConfig config, String localName) {
        LogManager logs = LogManager.open(LogManagerConfig.defaults(config.dataDir())
                .withDefaultLogConfig(config.logConfig()));
        AtomicReference<ClusterMember> member = new AtomicReference<>();
        Supplier<MessagingEngine> engine = () -> member.get() == null ? null : member.get().engine();
        ClusterRouter router = new ClusterRouter(config, member::get);
        BrokerMetrics meters = null;
        BrokerServer server = null;
        try {
            meters = meters(config, logs, engine, () -> engine.get() != null);
            server = new BrokerServer(config, router, localName, meters == null ? null : meters.requestTimers());
            member.set(ClusterMember.join(config, logs, server.tcpAddress(), meters == null ? Traffic.NONE : meters));
        } catch (RuntimeException e) {
            if (server != null) {
                server.close();
            }
            if (meters != null) {
                meters.close();
            }
            logs.close();
            throw e;
        }
        MetricsEndpoint metrics;
        try {
            metrics = serveMetrics(config, meters, server);
        } catch (RuntimeException e) {
            member.get().close();
            logs.close();
            throw e;
        }
        member.get().start(router);
        LOG.info("Strand broker {} ready on {} ({}) with data in {}, member of cluster '{}'", config.brokerId(),
                describe(server.tcpAddress()), server.transportName(), config.dataDir().toAbsolutePath(),
                config.cluster().clusterId());
        return new StrandBroker(logs, server, () -> {
            MessagingEngine current = engine.get();
            return current == null ? null : current.shareGroups();
        }, metrics, member.get());
    }

    /** The broker's meters, listening to its log flushes, or null when {@code metrics.port} is -1. */
    private static BrokerMetrics meters(BrokerConfig config, LogManager logs, Supplier<MessagingEngine> engine,
                                        BooleanSupplier servesClients) {
        if (config.metricsPort() < 0) {
            return null;
        }
        BrokerMetrics meters = new BrokerMetrics(() -> {
            MessagingEngine current = engine.get();
            return current == null ? null : current.views();
        }, servesClients, config.metricsJmx());
        logs.listenToFlushes(meters);
        return meters;
    }

    /**
     * Starts the Prometheus endpoint over {@code meters}, counting the server's connections; null without meters.
     * If it cannot listen, the server is closed and the error thrown.
     */
    private static MetricsEndpoint serveMetrics(BrokerConfig config, BrokerMetrics meters, BrokerServer server) {
        if (meters == null) {
            return null;
        }
        meters.countConnections(server::openConnections);
        try {
            return MetricsEndpoint.start(config.host(), config.metricsPort(), meters);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
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
