package io.strand.broker;

import io.netty.channel.local.LocalAddress;
import io.strand.log.LogManager;
import io.strand.log.LogManagerConfig;
import java.net.InetSocketAddress;
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
    private final ShareGroups shareGroups;
    /** The Prometheus endpoint, or null when {@code metrics.port} is -1. */
    private final MetricsEndpoint metrics;
    private boolean closed;

    private StrandBroker(LogManager logs, BrokerServer server, ShareGroups shareGroups, MetricsEndpoint metrics) {
        this.logs = logs;
        this.server = server;
        this.shareGroups = shareGroups;
        this.metrics = metrics;
    }

    /**
     * Opens the data directory and starts listening.
     *
     * @param localName the name of an in-JVM listener for {@code vm://} clients, or null for TCP only
     */
    public static StrandBroker start(BrokerConfig config, String localName) {
        LogManager logs = LogManager.open(LogManagerConfig.defaults(config.dataDir())
                .withDefaultLogConfig(config.logConfig()));
        try {
            DestinationRegistry destinations = new DestinationRegistry(logs, config.autoCreate(),
                    config.defaultPartitions());
            DurableSubscriptions subscriptions = DurableSubscriptions.load(logs);
            ShareGroups shareGroups = ShareGroups.load(logs, config.acquisitionLockMs());
            SharedSubscriptions sharedSubscriptions = SharedSubscriptions.load(logs, shareGroups);
            PartitionWatchers watchers = new PartitionWatchers();
            HighWatermarks highWatermarks = new HighWatermarks(watchers);
            TransactionLog transactions = TransactionLog.open(logs);
            PreparedBranches prepared = PreparedBranches.load(XaTransactionLog.open(logs), shareGroups, subscriptions,
                    destinations, watchers);
            prepared.reconcileHolds(); // before anyone reads, as the recovery of commits
            new TransactionRecovery(transactions, destinations, prepared::finishRecoveredCommit).finishRecordedCommits();
            highWatermarks.catchUpAfterStart(destinations.list());
            TransactionCommitter committer = new TransactionCommitter(destinations, transactions, highWatermarks);
            XaCoordinator xa = new XaCoordinator(prepared, committer, destinations, shareGroups);
            RequestRouter router = new RequestRouter(config, destinations, subscriptions, sharedSubscriptions,
                    shareGroups, watchers, highWatermarks, committer, xa);
            BrokerMetrics meters = config.metricsPort() < 0 ? null
                    : new BrokerMetrics(new AdminViews(config, destinations, subscriptions, sharedSubscriptions,
                            shareGroups, watchers));
            BrokerServer server;
            MetricsEndpoint metrics = null;
            try {
                server = new BrokerServer(config, router, localName, meters == null ? null : meters.requestTimers());
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
            StrandBroker broker = new StrandBroker(logs, server, shareGroups, metrics);
            LOG.info("Strand broker {} ready on {} with data in {}", config.brokerId(), describe(server.tcpAddress()),
                    config.dataDir().toAbsolutePath());
            return broker;
        } catch (RuntimeException e) {
            logs.close();
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

    /** Client connections open now. */
    public int openConnections() {
        return server.openConnections();
    }

    /** What the share group of a queue partition holds now, or null when the partition has none yet. */
    public QueueState queueState(String queue, int partition) {
        return shareGroups.state(queue, partition);
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
        logs.close();
        LOG.info("Strand broker stopped cleanly");
    }
}
