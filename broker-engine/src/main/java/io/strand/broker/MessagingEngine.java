package io.strand.broker;

import io.strand.log.LogManager;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JMS state of a broker — destinations, durable and shared subscriptions, queue share groups,
 * transactions and prepared XA branches — rebuilt from its logs, with the router that serves clients
 * from it. A broker alone builds one at start; in a cluster the active broker builds one each time it
 * takes over, from the logs the others replicated.
 */
final class MessagingEngine {
    private static final Logger LOG = LoggerFactory.getLogger(MessagingEngine.class);
    private final RequestRouter router;
    private final ShareGroups shareGroups;
    private final AdminViews views;

    private MessagingEngine(RequestRouter router, ShareGroups shareGroups, AdminViews views) {
        this.router = router;
        this.shareGroups = shareGroups;
        this.views = views;
    }

    /**
     * Loads the state from {@code logs}, finishing what a crash interrupted (commits with a commit record,
     * holds of prepared branches).
     *
     * @param cluster the cluster this broker belongs to, whose in-sync replicas move the high watermark; null
     *                for a broker alone, whose disk does
     * @param traffic where the engine counts records in and out: the broker's meters, which outlive the engines
     *                of a cluster member
     */
    static MessagingEngine load(BrokerConfig config, LogManager logs, LogPlacement placement, ClusterView cluster,
                                Traffic traffic) {
        boolean replicated = cluster != null;
        StepTimes steps = new StepTimes();
        DestinationRegistry destinations = new DestinationRegistry(logs, placement, config.autoCreate(),
                config.defaultPartitions());
        steps.done("destinations");
        DurableSubscriptions subscriptions = DurableSubscriptions.load(logs);
        steps.done("durable subscriptions");
        ShareGroups shareGroups = ShareGroups.load(logs, config.acquisitionLockMs());
        steps.done("share groups");
        SharedSubscriptions sharedSubscriptions = SharedSubscriptions.load(logs, shareGroups, config.resumeSharedMs());
        steps.done("shared subscriptions");
        PartitionWatchers watchers = new PartitionWatchers();
        HighWatermarks highWatermarks = new HighWatermarks(watchers, replicated);
        TransactionLog transactions = TransactionLog.open(logs);
        steps.done("transactions");
        PreparedBranches prepared = PreparedBranches.load(XaTransactionLog.open(logs), shareGroups, subscriptions,
                destinations, watchers);
        prepared.reconcileHolds(); // before anyone reads, as the recovery of commits
        steps.done("XA branches");
        new TransactionRecovery(transactions, destinations, prepared::finishRecoveredCommit).finishRecordedCommits();
        steps.done("commit recovery");
        highWatermarks.catchUpAfterStart(destinations.list());
        steps.done("high watermarks");
        TransactionCommitter committer = new TransactionCommitter(destinations, transactions, highWatermarks,
                traffic);
        XaCoordinator xa = new XaCoordinator(prepared, committer, destinations, shareGroups);
        AdminViews views = new AdminViews(config, destinations, subscriptions, sharedSubscriptions, shareGroups,
                watchers, cluster);
        RequestRouter router = new RequestRouter(config, destinations, subscriptions, sharedSubscriptions,
                shareGroups, watchers, highWatermarks, committer, xa, traffic, cluster);
        steps.done("router");
        LOG.info("JMS state loaded: {}", steps);
        return new MessagingEngine(router, shareGroups, views);
    }

    RequestRouter router() {
        return router;
    }

    ShareGroups shareGroups() {
        return shareGroups;
    }

    /** What the admin API and the metrics read of this state. */
    AdminViews views() {
        return views;
    }

    /** How long each step of a load took, for the log: a failover waits for the whole load. */
    private static final class StepTimes {
        private final StringBuilder text = new StringBuilder();
        private long last = System.nanoTime();

        void done(String step) {
            long now = System.nanoTime();
            text.append(text.isEmpty() ? "" : ", ").append(step).append(' ')
                    .append(TimeUnit.NANOSECONDS.toMillis(now - last)).append(" ms");
            last = now;
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }
}
