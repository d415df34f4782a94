package io.strand.broker;

import io.strand.log.LogManager;

/**
 * The JMS state of a broker — destinations, durable and shared subscriptions, queue share groups,
 * transactions and prepared XA branches — rebuilt from its logs, with the router that serves clients
 * from it. A broker alone builds one at start; in a cluster the active broker builds one each time it
 * takes over, from the logs the others replicated.
 */
final class MessagingEngine {
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
        DestinationRegistry destinations = new DestinationRegistry(logs, placement, config.autoCreate(),
                config.defaultPartitions());
        DurableSubscriptions subscriptions = DurableSubscriptions.load(logs);
        ShareGroups shareGroups = ShareGroups.load(logs, config.acquisitionLockMs());
        SharedSubscriptions sharedSubscriptions = SharedSubscriptions.load(logs, shareGroups);
        PartitionWatchers watchers = new PartitionWatchers();
        HighWatermarks highWatermarks = new HighWatermarks(watchers, replicated);
        TransactionLog transactions = TransactionLog.open(logs);
        PreparedBranches prepared = PreparedBranches.load(XaTransactionLog.open(logs), shareGroups, subscriptions,
                destinations, watchers);
        prepared.reconcileHolds(); // before anyone reads, as the recovery of commits
        new TransactionRecovery(transactions, destinations, prepared::finishRecoveredCommit).finishRecordedCommits();
        highWatermarks.catchUpAfterStart(destinations.list());
        TransactionCommitter committer = new TransactionCommitter(destinations, transactions, highWatermarks);
        XaCoordinator xa = new XaCoordinator(prepared, committer, destinations, shareGroups);
        AdminViews views = new AdminViews(config, destinations, subscriptions, sharedSubscriptions, shareGroups,
                watchers, cluster);
        RequestRouter router = new RequestRouter(config, destinations, subscriptions, sharedSubscriptions,
                shareGroups, watchers, highWatermarks, committer, xa, traffic, cluster);
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
}
