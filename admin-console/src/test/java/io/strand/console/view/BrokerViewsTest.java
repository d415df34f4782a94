package io.strand.console.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.strand.admin.AdminException;
import io.strand.admin.StrandAdmin;
import io.strand.broker.BrokerConfig;
import io.strand.console.TestBroker;
import io.strand.jms.StrandConnectionFactory;
import io.strand.protocol.DestinationType;
import io.strand.protocol.ErrorCode;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's pages built from a real broker's admin answers, with JMS clients producing and consuming. */
class BrokerViewsTest {
    @TempDir
    Path dataDir;
    private TestBroker broker;
    private StrandAdmin admin;
    private final AtomicLong clockMs = new AtomicLong(1_000_000);
    private BrokerViews views;

    @BeforeEach
    void start() {
        broker = TestBroker.start(dataDir, BrokerConfig.MAX_DELIVERY_ATTEMPTS, "1");
        admin = StrandAdmin.connect(broker.url(), null, null);
        views = new BrokerViews(admin, new ThroughputHistory(), clockMs::get);
    }

    @AfterEach
    void stop() {
        admin.close();
        broker.close();
    }

    @Test
    void overviewShowsBrokersDestinationsLagAndRates() throws Exception {
        admin.createDestination(DestinationType.QUEUE, "orders", 2);
        Views.Overview first = views.overview(broker.url());
        assertThat(first.brokers()).containsExactly(new Views.Broker(0, "127.0.0.1", Integer.parseInt(
                broker.url().substring(broker.url().lastIndexOf(':') + 1)), true, 2, 2));
        assertThat(first.totals().inPerSecond()).as("no rate from one sample").isNull();

        broker.send(null, null, "orders", false, "a", "b", "c", "d");
        clockMs.addAndGet(2_000);
        Views.Overview second = views.overview(broker.url());
        Views.DestinationSummary orders = second.destinations().get(0);
        assertThat(orders.name()).isEqualTo("orders");
        assertThat(orders.type()).isEqualTo("queue");
        assertThat(orders.messages()).isEqualTo(4);
        assertThat(orders.lag()).isEqualTo(4);
        assertThat(orders.oldestAgeMs()).isGreaterThanOrEqualTo(0);
        assertThat(orders.inPerSecond()).isEqualTo(2.0);
        assertThat(orders.outPerSecond()).isEqualTo(0.0);
        assertThat(orders.deadLetterQueue()).isEqualTo("DLQ.orders");
        assertThat(second.totals().messages()).isEqualTo(4);
        assertThat(second.totals().inPerSecond()).isEqualTo(2.0);
        assertThat(second.throughput()).hasSize(1);

        try (Connection connection = new StrandConnectionFactory(broker.url()).createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue("orders"));
            assertThat(consumer.receive(10_000)).isNotNull();
            assertThat(consumer.receive(10_000)).isNotNull();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                clockMs.addAndGet(1_000);
                Views.DestinationSummary row = views.overview(broker.url()).destinations().get(0);
                assertThat(row.lag()).isEqualTo(2);
                assertThat(row.consumers()).isEqualTo(1);
            });
            Views.Overview withConsumer = views.overview(broker.url());
            assertThat(withConsumer.totals().connections()).isEqualTo(2);
            assertThat(withConsumer.totals().consumers()).isEqualTo(1);
        }
    }

    @Test
    void aQueuesPageJoinsItsPartitionsWithItsConsumersPerPartition() throws Exception {
        admin.createDestination(DestinationType.QUEUE, "jobs", 3);
        broker.send(null, null, "jobs", false, "one", "two");
        Views.Destination jobs = views.destination(DestinationType.QUEUE, "jobs");
        assertThat(jobs.partitions()).hasSize(3).allSatisfy(p -> {
            assertThat(p.leader()).isZero();
            assertThat(p.replicas()).containsExactly(0);
        });
        assertThat(jobs.messages()).isEqualTo(2);
        assertThat(jobs.replicationFactor()).as("a broker alone keeps one copy").isEqualTo(1);
        assertThat(jobs.minInsyncReplicas()).isEqualTo(1);
        assertThat(jobs.partitions().stream().mapToLong(Views.Partition::highWatermark).sum()).isEqualTo(2);
        assertThat(jobs.queue().lag()).isEqualTo(2);
        assertThat(jobs.queue().partitions()).hasSize(3);
        assertThat(jobs.subscriptions()).isEmpty();
        assertThatThrownBy(() -> views.destination(DestinationType.QUEUE, "missing"))
                .isInstanceOf(AdminException.class)
                .satisfies(e -> assertThat(((AdminException) e).error()).isEqualTo(ErrorCode.UNKNOWN_DESTINATION));
    }

    @Test
    void aTopicsPageShowsItsDurableSubscriptionsWithLagInMessagesAndTime() throws Exception {
        try (Connection connection = new StrandConnectionFactory(broker.url()).createConnection()) {
            connection.setClientID("reports");
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createDurableSubscriber(session.createTopic("prices"), "daily").close();
        }
        broker.send(null, null, "prices", true, "1.0", "1.1", "1.2");
        Views.Destination prices = views.destination(DestinationType.TOPIC, "prices");
        assertThat(prices.queue()).isNull();
        assertThat(prices.subscriptions()).singleElement().satisfies(s -> {
            assertThat(s.clientId()).isEqualTo("reports");
            assertThat(s.name()).isEqualTo("daily");
            assertThat(s.active()).isFalse();
            assertThat(s.lag()).isEqualTo(3);
            assertThat(s.oldestAgeMs()).isGreaterThanOrEqualTo(0);
            assertThat(s.partitions()).singleElement().satisfies(p -> assertThat(p.lag()).isEqualTo(3));
        });
        Views.DestinationSummary row = views.overview(broker.url()).destinations().get(0);
        assertThat(row.lag()).as("a topic's lag sums its subscriptions").isEqualTo(3);
        assertThat(row.outPerSecond()).isNull();
    }

    @Test
    void browsesTheNewestTheOldestFromAnOffsetAndFromATime() throws Exception {
        long before = System.currentTimeMillis();
        broker.send(null, null, "audit", false, "m0", "m1", "m2", "m3", "m4");
        Views.MessagePage newest = views.browse(DestinationType.QUEUE, "audit", 0, null, null, true, 2);
        assertThat(newest.messages()).extracting(Views.Message::bodyPreview).containsExactly("m3", "m4");
        assertThat(newest.highWatermark()).isEqualTo(5);
        Views.MessagePage oldest = views.browse(DestinationType.QUEUE, "audit", 0, null, null, false, 2);
        assertThat(oldest.messages()).extracting(Views.Message::offset).containsExactly(0L, 1L);
        Views.MessagePage fromOffset = views.browse(DestinationType.QUEUE, "audit", 0, 3L, null, true, 10);
        assertThat(fromOffset.messages()).extracting(Views.Message::bodyPreview).containsExactly("m3", "m4");
        Views.MessagePage fromTime = views.browse(DestinationType.QUEUE, "audit", 0, null, before, true, 10);
        assertThat(fromTime.messages()).hasSize(5);
        Views.Message message = fromTime.messages().get(0);
        assertThat(message.properties()).containsEntry("origin", "console-test");
        assertThat(message.bodyKind()).isEqualTo("TEXT");
        assertThat(message.messageId()).startsWith("ID:");
        assertThat(message.deliveryMode()).isEqualTo("PERSISTENT");

        assertThat(views.browse(DestinationType.QUEUE, "audit", 0, 5L, null, true, 10).messages())
                .as("from the high watermark: nothing yet").isEmpty();
        assertThatThrownBy(() -> views.browse(DestinationType.QUEUE, "audit", 4, null, null, true, 10))
                .isInstanceOf(AdminException.class).hasMessageContaining("has partitions 0 to 0, not 4");
    }

    @Test
    void listsDeadLetterQueuesWithTheQueuesFeedingThem() throws Exception {
        broker.send(null, null, "payments", false, "poison");
        assertThat(views.deadLetterQueues()).as("no dead letter yet").isEmpty();
        try (Connection connection = new StrandConnectionFactory(broker.url()).createConnection()) {
            connection.start();
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            TextMessage message = (TextMessage) session.createConsumer(session.createQueue("payments")).receive(10_000);
            assertThat(message.getText()).isEqualTo("poison");
            session.rollback();
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(views.deadLetterQueues())
                .containsExactly(new Views.DeadLetterQueue("DLQ.payments", true, 1, List.of("payments"), List.of())));
        assertThat(views.connections()).hasSize(1);
    }

    @Test
    void aTopicsPageShowsItsSharedSubscriptionsAndTheDeadLettersPageTheirDeadLetterQueue() throws Exception {
        try (Connection connection = new StrandConnectionFactory(broker.url()).createConnection()) {
            connection.setClientID("stats");
            connection.start();
            Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer counter = session.createSharedDurableConsumer(session.createTopic("clicks"), "counter");
            broker.send(null, null, "clicks", true, "c1", "c2");
            assertThat(counter.receive(10_000)).isNotNull();
            assertThat(counter.receive(10_000)).isNotNull();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    views.destination(DestinationType.TOPIC, "clicks").subscriptions()).singleElement().satisfies(s -> {
                        assertThat(s.kind()).isEqualTo("shared-durable");
                        assertThat(s.clientId()).isEqualTo("stats");
                        assertThat(s.members()).hasSize(1);
                        assertThat(s.lag()).isEqualTo(2);
                        assertThat(s.inFlight()).isEqualTo(2);
                        assertThat(s.deadLetterQueue()).isEqualTo("DLQ.clicks");
                        assertThat(s.partitions()).singleElement().satisfies(p -> assertThat(p.inFlight()).isEqualTo(2));
                    }));
            assertThat(views.overview(broker.url()).destinations()).singleElement()
                    .satisfies(row -> assertThat(row.consumers()).isEqualTo(1));
            session.recover(); // max.delivery.attempts=1: both go to DLQ.clicks
            assertThat(counter.receive(300)).isNull();
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(views.deadLetterQueues()).containsExactly(
                new Views.DeadLetterQueue("DLQ.clicks", true, 2, List.of(),
                        List.of(new Views.SubscriptionName("clicks", "stats:counter")))));
    }

    @Test
    void theConnectionsPageGroupsConnectionsByClientIdWithEachSessionsConsumers() throws Exception {
        broker.send(null, null, "orders", false, "o1", "o2", "o3");
        try (Connection connection = new StrandConnectionFactory(broker.url() + "?prefetch=2").createConnection()) {
            connection.setClientID("shop");
            connection.start();
            Session receiving = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            receiving.createConsumer(receiving.createQueue("orders"));
            Session subscribing = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            subscribing.createSharedConsumer(subscribing.createTopic("events"), "live");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                List<Views.ClientConnections> groups = views.connections();
                assertThat(groups).extracting(Views.ClientConnections::clientId).containsExactly("shop", null);
                Views.ClientConnections shop = groups.get(0);
                assertThat(shop.consumers()).isEqualTo(2);
                assertThat(shop.inFlight()).isEqualTo(2);
                assertThat(shop.deliveryRate()).isPositive();
                assertThat(shop.connections()).singleElement().satisfies(c -> {
                    assertThat(c.sessions()).extracting(Views.Session::id).containsExactly(0, 1);
                    assertThat(c.sessions().get(0).consumers()).singleElement().satisfies(k -> {
                        assertThat(k.kind()).isEqualTo("queue");
                        assertThat(k.inFlight()).isEqualTo(2);
                        assertThat(k.lag()).isEqualTo(1);
                        assertThat(k.delivered()).isEqualTo(2);
                    });
                    assertThat(c.sessions().get(1).consumers()).singleElement().satisfies(k -> {
                        assertThat(k.kind()).isEqualTo("shared");
                        assertThat(k.subscription()).isEqualTo("live");
                        assertThat(k.lag()).isZero();
                    });
                });
            });
        }
    }
}
