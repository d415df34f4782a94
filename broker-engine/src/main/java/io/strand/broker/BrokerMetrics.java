package io.strand.broker;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.jmx.JmxConfig;
import io.micrometer.jmx.JmxMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.strand.admin.DescribeDestinations;
import io.strand.admin.DescribeShareGroups;
import io.strand.admin.DescribeSubscriptions;
import io.strand.log.FlushListener;
import io.strand.log.TopicPartition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The broker's metrics in Micrometer, read by a Prometheus scrape: per destination partition the
 * log's size and offsets (a rate over {@code strand_log_end_offset} is the partition's message rate),
 * the lag of every durable subscription and queue share group in messages and in time, the records in
 * flight, the dead letters waiting, open connections, the time each request takes per api
 * ({@link RequestClock}), the records and bytes producers append per partition, the records sent to queue
 * receivers, redelivered and dead-lettered ({@link Traffic}), the time
 * each group-commit fsync takes ({@link FlushListener}), and the JVM's own meters. The per-partition
 * values are taken afresh from {@link AdminViews} at each scrape ({@link #refresh}), so destinations
 * that come and go need no bookkeeping; the admin API and these metrics show the same numbers.
 *
 * <p>The meters live as long as the broker. In a cluster the messaging state is served by the active broker only,
 * and built anew each time a broker becomes it: the per-partition and per-queue values are then read from the state
 * of the moment, with each partition's replicas and in-sync replicas; a standby reports only that it is not active
 * ({@code strand_broker_active} 0), its disk, flushes and JVM. Counters keep counting across a broker's turns as
 * the active one.
 *
 * <p>With {@code metrics.jmx} every meter is also an MBean of the platform MBean server in the domain
 * {@code strand}: the meters are registered in a composite of the Prometheus and the JMX registry.
 */
final class BrokerMetrics implements Traffic, FlushListener, AutoCloseable {
    private static final String JMX_DOMAIN = "strand";

    private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final CompositeMeterRegistry registry = new CompositeMeterRegistry();
    /** The views of the messaging state this broker serves now; null while it serves none (a cluster's standby). */
    private final Supplier<AdminViews> views;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final MultiGauge logSize;
    private final MultiGauge logSegments;
    private final MultiGauge logStart;
    private final MultiGauge logEnd;
    private final MultiGauge highWatermark;
    private final MultiGauge messages;
    private final MultiGauge replicas;
    private final MultiGauge inSyncReplicas;
    private final MultiGauge underReplicated;
    private final MultiGauge subscriptionLag;
    private final MultiGauge subscriptionLagAge;
    private final MultiGauge queueLag;
    private final MultiGauge queueLagAge;
    private final MultiGauge queueInFlight;
    private final MultiGauge queueDelayed;
    private final MultiGauge queueConsumers;
    private final MultiGauge queueDeadLetters;
    private final RequestClock.Timers requestTimers = new RequestClock.Timers(registry);
    private final Timer flushes;
    /** The counters of each partition, made at its first append so an append looks up no tags. */
    private final Map<TopicPartition, PartitionTraffic> traffic = new ConcurrentHashMap<>();

    /** The counters of each share group, made at its first redelivery or dead letter. */
    private final Map<String, QueueTraffic> queueTraffic = new ConcurrentHashMap<>();

    private record PartitionTraffic(Counter records, Counter bytes, Counter out, Counter outBytes) {
    }

    private record QueueTraffic(Counter redelivered, Counter deadLettered) {
    }

    /**
     * @param views         the views of the messaging state served now, or null while there is none: a broker alone
     *                      has one from its start, a cluster member only while it is the active broker
     * @param servesClients whether the broker serves JMS clients now
     */
    BrokerMetrics(Supplier<AdminViews> views, BooleanSupplier servesClients, boolean jmx) {
        this.views = views;
        registry.add(prometheus);
        Gauge.builder("strand.broker.active", servesClients, s -> s.getAsBoolean() ? 1 : 0).strongReference(true)
                .description("1 while this broker serves JMS clients (always alone; in a cluster, the active broker)")
                .register(registry);
        if (jmx) {
            registry.add(new JmxMeterRegistry(jmxConfig(), Clock.SYSTEM));
        }
        flushes = Timer.builder("strand.log.flush").description("time one group-commit force of a partition to disk takes")
                .publishPercentileHistogram().register(registry);
        logSize = gauge("strand.log.size", BaseUnits.BYTES, "bytes of a partition's log segments on disk");
        logSegments = gauge("strand.log.segments", null, "segments of a partition's log");
        logStart = gauge("strand.log.start.offset", null, "first offset a partition's log still holds");
        logEnd = gauge("strand.log.end.offset", null, "offset the next record appended to a partition gets");
        highWatermark = gauge("strand.log.high.watermark", null, "consumers read a partition below this offset");
        messages = gauge("strand.destination.messages", null, "records a partition holds for consumers");
        replicas = gauge("strand.partition.replicas", null, "brokers that hold a copy of a partition");
        inSyncReplicas = gauge("strand.partition.in.sync.replicas", null,
                "copies of a partition in sync with its leader; a write needs min.insync.replicas of them");
        underReplicated = gauge("strand.partition.under.replicated", null,
                "1 while fewer copies of a partition are in sync than it has");
        subscriptionLag = gauge("strand.subscription.lag", BaseUnits.MESSAGES,
                "records of a partition a durable subscription has not acknowledged");
        subscriptionLagAge = gauge("strand.subscription.lag.age", "seconds",
                "age of the oldest record a durable subscription has not acknowledged");
        queueLag = gauge("strand.queue.lag", BaseUnits.MESSAGES, "records of a queue partition not yet consumed");
        queueLagAge = gauge("strand.queue.lag.age", "seconds",
                "age of the oldest record of a queue partition not yet consumed");
        queueInFlight = gauge("strand.queue.in.flight", BaseUnits.MESSAGES,
                "records of a queue partition delivered and not yet acknowledged");
        queueDelayed = gauge("strand.queue.delayed", BaseUnits.MESSAGES,
                "records of a queue partition waiting for their delivery time");
        queueConsumers = gauge("strand.queue.consumers", null, "receivers open on a queue");
        queueDeadLetters = gauge("strand.queue.dead.letters", BaseUnits.MESSAGES,
                "records waiting in a queue's dead-letter queue");
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    private static JmxConfig jmxConfig() {
        return new JmxConfig() {
            @Override
            public String get(String key) {
                return null; // every other setting at Micrometer's default
            }

            @Override
            public String domain() {
                return JMX_DOMAIN;
            }
        };
    }

    @Override
    public void appended(TopicPartition partition, long records, long bytes) {
        PartitionTraffic counters = traffic.computeIfAbsent(partition, this::partitionTraffic);
        counters.records().increment(records);
        counters.bytes().increment(bytes);
    }

    private PartitionTraffic partitionTraffic(TopicPartition partition) {
        Destination.Key key = Destination.keyOfLogTopic(partition.topic());
        Tags tags = key == null
                ? Tags.of("type", "internal", "destination", partition.topic(), "partition",
                        Integer.toString(partition.partition()))
                : Tags.of("type", key.type().name().toLowerCase(), "destination", key.name(), "partition",
                        Integer.toString(partition.partition()));
        return new PartitionTraffic(
                Counter.builder("strand.destination.in.records").tags(tags)
                        .description("records producers appended to a partition").register(registry),
                Counter.builder("strand.destination.in.bytes").tags(tags).baseUnit(BaseUnits.BYTES)
                        .description("bytes of record batches producers appended to a partition").register(registry),
                Counter.builder("strand.destination.out.records").tags(tags)
                        .description("records of a partition sent to consumers: queue receivers and topic subscribers")
                        .register(registry),
                Counter.builder("strand.destination.out.bytes").tags(tags).baseUnit(BaseUnits.BYTES)
                        .description("bytes of record batches of a partition sent to consumers").register(registry));
    }

    @Override
    public void delivered(TopicPartition partition, String queue, long records, long redeliveries, long bytes) {
        PartitionTraffic counters = traffic.computeIfAbsent(partition, this::partitionTraffic);
        counters.out().increment(records);
        counters.outBytes().increment(bytes);
        if (redeliveries > 0) {
            queueTraffic.computeIfAbsent(queue, this::queueTraffic).redelivered().increment(redeliveries);
        }
    }

    @Override
    public void pushed(TopicPartition partition, long records, long bytes) {
        PartitionTraffic counters = traffic.computeIfAbsent(partition, this::partitionTraffic);
        counters.out().increment(records);
        counters.outBytes().increment(bytes);
    }

    @Override
    public void deadLettered(String queue) {
        queueTraffic.computeIfAbsent(queue, this::queueTraffic).deadLettered().increment();
    }

    private QueueTraffic queueTraffic(String queue) {
        return new QueueTraffic(
                Counter.builder("strand.queue.redelivered").tag("queue", queue).baseUnit(BaseUnits.MESSAGES)
                        .description("records sent to a receiver that had been delivered before").register(registry),
                Counter.builder("strand.queue.dead.lettered").tag("queue", queue).baseUnit(BaseUnits.MESSAGES)
                        .description("records moved to a dead-letter queue").register(registry));
    }

    @Override
    public void flushed(long nanos) {
        flushes.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** The timers of the requests, per api, for the connections to fill. */
    RequestClock.Timers requestTimers() {
        return requestTimers;
    }

    /** Counts the open connections once the listener that has them exists. */
    void countConnections(IntSupplier openConnections) {
        // Held strongly: a gauge keeps its source only weakly, and nothing else holds this supplier.
        Gauge.builder("strand.connections", openConnections, IntSupplier::getAsInt).strongReference(true)
                .description("client connections open now").register(registry);
    }

    private MultiGauge gauge(String name, String baseUnit, String description) {
        return MultiGauge.builder(name).baseUnit(baseUnit).description(description).register(registry);
    }

    /** Takes the per-partition values afresh, then renders every meter in the Prometheus text format. */
    synchronized String scrape() {
        refresh(System.currentTimeMillis());
        return prometheus.scrape();
    }

    private void refresh(long now) {
        AdminViews views = this.views.get();
        if (views == null) {
            clearStateGauges();
            return;
        }
        List<DescribeDestinations.Destination> destinations = views.select(null, null).stream()
                .map(views::describe).toList();
        logSize.register(partitionRows(destinations, DescribeDestinations.Partition::sizeBytes), true);
        logSegments.register(partitionRows(destinations, DescribeDestinations.Partition::segments), true);
        logStart.register(partitionRows(destinations, DescribeDestinations.Partition::logStartOffset), true);
        logEnd.register(partitionRows(destinations, DescribeDestinations.Partition::logEndOffset), true);
        highWatermark.register(partitionRows(destinations, DescribeDestinations.Partition::highWatermark), true);
        messages.register(partitionRows(destinations, DescribeDestinations.Partition::messages), true);
        replicas.register(partitionRows(destinations, p -> p.replicas().size()), true);
        inSyncReplicas.register(partitionRows(destinations, p -> p.isr().size()), true);
        underReplicated.register(partitionRows(destinations, p -> p.underReplicated() ? 1 : 0), true);

        List<MultiGauge.Row<?>> lag = new ArrayList<>();
        List<MultiGauge.Row<?>> lagAge = new ArrayList<>();
        for (DescribeSubscriptions.Subscription s : views.subscriptions(null, now)) {
            if (s.isShared()) {
                continue; // these meters are the durable subscriptions' (a shared one may have no client id to tag)
            }
            for (DescribeSubscriptions.PartitionLag p : s.partitions()) {
                Tags tags = Tags.of("client.id", s.clientId(), "subscription", s.name(), "topic", s.topic(),
                        "partition", Integer.toString(p.partition()));
                lag.add(MultiGauge.Row.of(tags, p.lag()));
                lagAge.add(MultiGauge.Row.of(tags, Math.max(0, p.oldestAgeMs()) / 1000.0));
            }
        }
        subscriptionLag.register(lag, true);
        subscriptionLagAge.register(lagAge, true);

        List<DescribeShareGroups.ShareGroup> groups = views.shareGroups(null, now);
        queueLag.register(queueRows(groups, p -> p.lag()), true);
        queueLagAge.register(queueRows(groups, p -> Math.max(0, p.oldestAgeMs()) / 1000.0), true);
        queueInFlight.register(queueRows(groups, p -> p.inFlight()), true);
        queueDelayed.register(queueRows(groups, p -> p.delayed()), true);
        queueConsumers.register(groups.stream().<MultiGauge.Row<?>>map(g ->
                MultiGauge.Row.of(Tags.of("queue", g.queue()), g.consumers())).toList(), true);
        queueDeadLetters.register(groups.stream().<MultiGauge.Row<?>>map(g ->
                MultiGauge.Row.of(Tags.of("queue", g.queue(), "dead.letter.queue", g.deadLetterQueue()),
                        g.deadLetters())).toList(), true);
    }

    /** A broker that serves no messaging state (a cluster's standby) reports none: the active broker does. */
    private void clearStateGauges() {
        for (MultiGauge gauge : List.of(logSize, logSegments, logStart, logEnd, highWatermark, messages, replicas,
                inSyncReplicas, underReplicated, subscriptionLag, subscriptionLagAge, queueLag, queueLagAge,
                queueInFlight, queueDelayed, queueConsumers, queueDeadLetters)) {
            gauge.register(List.of(), true);
        }
    }

    private static List<MultiGauge.Row<?>> partitionRows(List<DescribeDestinations.Destination> destinations,
                                                         ToDoubleFunction<DescribeDestinations.Partition> value) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (DescribeDestinations.Destination d : destinations) {
            for (DescribeDestinations.Partition p : d.partitions()) {
                rows.add(MultiGauge.Row.of(Tags.of("type", d.type().name().toLowerCase(), "destination", d.name(),
                        "partition", Integer.toString(p.partition())), value.applyAsDouble(p)));
            }
        }
        return rows;
    }

    private static List<MultiGauge.Row<?>> queueRows(List<DescribeShareGroups.ShareGroup> groups,
                                                     ToDoubleFunction<DescribeShareGroups.PartitionLag> value) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (DescribeShareGroups.ShareGroup g : groups) {
            for (DescribeShareGroups.PartitionLag p : g.partitions()) {
                rows.add(MultiGauge.Row.of(Tags.of("queue", g.queue(), "partition", Integer.toString(p.partition())),
                        value.applyAsDouble(p)));
            }
        }
        return rows;
    }

    @Override
    public void close() {
        gc.close();
        // Closing the composite leaves its members open; the JMX one must unregister its MBeans.
        registry.getRegistries().forEach(MeterRegistry::close);
        registry.close();
    }
}
