package io.strand.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.strand.broker.BrokerConfig;
import io.strand.broker.StrandBroker;
import io.strand.jms.StrandConnectionFactory;
import io.strand.protocol.DestinationType;
import io.strand.protocol.Destinations;
import io.strand.protocol.ErrorCode;
import io.strand.protocol.ResponseStatus;
import io.strand.protocol.SubscriptionKind;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every admin call against a real broker on 127.0.0.1, with JMS clients producing and consuming:
 * what each view shows, what each change does to consumers, and the error of each bad request.
 */
class AdminApiTest {
    private static final long WAIT_MS = 10_000;

    @TempDir
    Path dataDir;
    private StrandBroker broker;
    private StrandAdmin admin;
    private final List<Connection> connections = new ArrayList<>();

    private void start(String... settings) {
        Properties properties = new Properties();
        properties.setProperty(BrokerConfig.PORT, "0");
        properties.setProperty(BrokerConfig.HOST, "127.0.0.1");
        properties.setProperty(BrokerConfig.DATA_DIR, dataDir.toString());
        for (int i = 0; i < settings.length; i += 2) {
            properties.setProperty(settings[i], settings[i + 1]);
        }
        broker = StrandBroker.start(BrokerConfig.from(properties), null);
    }

    private String url() {
        return "strand://127.0.0.1:" + broker.address().getPort();
    }

    private StrandAdmin admin() {
        if (admin == null) {
            admin = StrandAdmin.connect(url(), null, null);
        }
        return admin;
    }

    private Connection connect(String clientId) throws Exception {
        return connect(clientId, "");
    }

    /** @param options client options for the URL, such as {@code prefetch=2} */
    private Connection connect(String clientId, String options) throws Exception {
        Connection connection = new StrandConnectionFactory(options.isEmpty() ? url() : url() + "?" + options)
                .createConnection();
        if (clientId != null) {
            connection.setClientID(clientId);
        }
        connections.add(connection);
        connection.start();
        return connection;
    }

    @AfterEach
    void stop() throws Exception {
        for (Connection connection : connections) {
            connection.close();
        }
        if (admin != null) {
            admin.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private void send(String queueOrTopic, boolean topic, String... texts) throws Exception {
        Connection connection = connect(null);
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer producer = session.createProducer(topic ? session.createTopic(queueOrTopic)
                : session.createQueue(queueOrTopic));
        for (String text : texts) {
            TextMessage message = session.createTextMessage(text);
            message.setStringProperty("origin", "admin-test");
            producer.send(message);
        }
        session.close();
    }

    private static List<String> receiveAll(MessageConsumer consumer, long quietMs) throws Exception {
        List<String> texts = new ArrayList<>();
        for (Message m = consumer.receive(WAIT_MS); m != null; m = consumer.receive(quietMs)) {
            texts.add(((TextMessage) m).getText());
        }
        return texts;
    }

    private static void assertRefused(Runnable call, ErrorCode error, String messagePart) {
        assertThatThrownBy(call::run).isInstanceOf(AdminException.class)
                .satisfies(e -> assertThat(((AdminException) e).error()).isEqualTo(error))
                .hasMessageContaining(messagePart);
    }

    @Test
    void describesTheClusterAsThisBroker() {
        start(BrokerConfig.BROKER_ID, "7");
        DescribeCluster.Response cluster = admin().describeCluster();
        assertThat(cluster.controllerId()).isEqualTo(7);
        assertThat(cluster.brokers()).containsExactly(new DescribeCluster.Broker(7, "127.0.0.1",
                broker.address().getPort()));
    }

    @Test
    void createsDescribesAltersAndDeletesDestinations() throws Exception {
        start();
        admin().createDestination(DestinationType.QUEUE, "orders", 2);
        send("orders", false, "a", "b", "c");
        DescribeDestinations.Destination orders = admin().describeDestinations(DestinationType.QUEUE, "orders").get(0);
        assertThat(orders.partitions()).hasSize(2);
        assertThat(orders.messages()).isEqualTo(3);
        assertThat(orders.sizeBytes()).isPositive();
        assertThat(orders.partitions()).allSatisfy(p -> {
            assertThat(p.leader()).isEqualTo(0);
            assertThat(p.replicas()).containsExactly(0);
            assertThat(p.logStartOffset()).isZero();
            assertThat(p.highWatermark()).isEqualTo(p.logEndOffset());
        });

        admin().alterDestination(new AlterDestination.Request(DestinationType.QUEUE, "orders", 4, 3_600_000, 1 << 20));
        orders = admin().describeDestinations(DestinationType.QUEUE, "orders").get(0);
        assertThat(orders.partitions()).hasSize(4);
        assertThat(orders.retentionMs()).isEqualTo(3_600_000);
        assertThat(orders.retentionBytes()).isEqualTo(1 << 20);
        assertThat(orders.messages()).isEqualTo(3);

        // The retention outlives a restart, on every partition.
        admin.close();
        admin = null;
        broker.close();
        start();
        orders = admin().describeDestinations(DestinationType.QUEUE, "orders").get(0);
        assertThat(orders.retentionMs()).isEqualTo(3_600_000);
        assertThat(orders.partitions()).hasSize(4);

        assertThat(admin().describeDestinations(null, null)).extracting(DescribeDestinations.Destination::name)
                .containsExactly("orders");
        admin().deleteDestination(DestinationType.QUEUE, "orders");
        assertThat(admin().describeDestinations(null, null)).isEmpty();
    }

    @Test
    void aBrokerAloneTakesOneCopyOfADestinationAndRefusesMoreNamingTheSetting() {
        start();
        admin().createDestination(DestinationType.QUEUE, "single", 2, Map.of(Destinations.REPLICATION_FACTOR, "1",
                Destinations.MIN_INSYNC_REPLICAS, "1"));
        admin().createDestination(DestinationType.TOPIC, "plain", 0);
        for (DescribeDestinations.Destination d : admin().describeDestinations(null, null)) {
            assertThat(d.replicationFactor()).as(d.name()).isEqualTo(1);
            assertThat(d.minInsyncReplicas()).as(d.name()).isEqualTo(1);
        }
        admin().alterDestination(new AlterDestination.Request(DestinationType.QUEUE, "single", 0,
                AlterDestination.UNCHANGED, AlterDestination.UNCHANGED, Map.of(Destinations.MIN_INSYNC_REPLICAS, "1")));

        assertRefused(() -> admin().createDestination(DestinationType.QUEUE, "copies", 1,
                Map.of(Destinations.REPLICATION_FACTOR, "2")), ErrorCode.INVALID_REQUEST,
                "replication.factor=2 of queue copies needs a cluster: a broker alone keeps one copy of each log");
        assertRefused(() -> admin().createDestination(DestinationType.QUEUE, "copies", 1,
                Map.of(Destinations.MIN_INSYNC_REPLICAS, "2")), ErrorCode.INVALID_REQUEST,
                "min.insync.replicas=2 of queue copies needs a cluster");
        assertRefused(() -> admin().createDestination(DestinationType.QUEUE, "copies", 1,
                Map.of(Destinations.REPLICATION_FACTOR, "0")), ErrorCode.INVALID_REQUEST,
                "replication.factor=0 of queue copies must be at least 1");
        assertRefused(() -> admin().createDestination(DestinationType.QUEUE, "copies", 1,
                Map.of(Destinations.MIN_INSYNC_REPLICAS, "many")), ErrorCode.INVALID_REQUEST,
                "min.insync.replicas='many' of queue copies is not a whole number");
        assertRefused(() -> admin().createDestination(DestinationType.QUEUE, "copies", 1,
                Map.of("retention.copies", "2")), ErrorCode.INVALID_REQUEST, "unknown setting 'retention.copies'");
        assertThat(admin().describeDestinations(DestinationType.QUEUE, null)).extracting(
                DescribeDestinations.Destination::name).containsExactly("single");
        assertRefused(() -> admin().alterDestination(new AlterDestination.Request(DestinationType.QUEUE, "single", 0,
                AlterDestination.UNCHANGED, AlterDestination.UNCHANGED, Map.of(Destinations.MIN_INSYNC_REPLICAS, "2"))),
                ErrorCode.INVALID_REQUEST, "min.insync.replicas=2 of queue single is more than its replication.factor=1");
        assertRefused(() -> admin().alterDestination(new AlterDestination.Request(DestinationType.QUEUE, "single", 0,
                AlterDestination.UNCHANGED, AlterDestination.UNCHANGED, Map.of(Destinations.REPLICATION_FACTOR, "3"))),
                ErrorCode.INVALID_REQUEST, "replication.factor=3 of queue single needs a cluster");
    }

    @Test
    void refusesBadDestinationRequestsNamingTheProblem() throws Exception {
        start();
        admin().createDestination(DestinationType.TOPIC, "prices", 2);
        assertRefused(() -> admin().describeDestinations(DestinationType.QUEUE, "nope"), ErrorCode.UNKNOWN_DESTINATION,
                "queue nope does not exist");
        assertRefused(() -> admin().describeDestinations(null, "bad name!"), ErrorCode.INVALID_DESTINATION,
                "is not valid");
        assertRefused(() -> admin().alterDestination(new AlterDestination.Request(DestinationType.TOPIC, "prices", -1,
                AlterDestination.UNCHANGED, AlterDestination.UNCHANGED)), ErrorCode.INVALID_REQUEST, "partitions=-1");
        assertRefused(() -> admin().alterDestination(new AlterDestination.Request(DestinationType.TOPIC, "prices", 1,
                AlterDestination.UNCHANGED, AlterDestination.UNCHANGED)), ErrorCode.INVALID_REQUEST, "never removed");
        assertRefused(() -> admin().alterDestination(new AlterDestination.Request(DestinationType.TOPIC, "prices", 0,
                -5, AlterDestination.UNCHANGED)), ErrorCode.INVALID_REQUEST, "retention.ms=-5");
        assertRefused(() -> admin().alterDestination(new AlterDestination.Request(DestinationType.QUEUE, "prices", 3,
                AlterDestination.UNCHANGED, AlterDestination.UNCHANGED)), ErrorCode.UNKNOWN_DESTINATION, "prices");
        assertRefused(() -> admin().createDestination(DestinationType.TOPIC, "prices", 1), ErrorCode.DESTINATION_EXISTS,
                "exists already");
        assertThat(admin().describeDestinations(DestinationType.TOPIC, "prices").get(0).partitions()).hasSize(2);
    }

    @Test
    void showsDurableSubscriptionLagInMessagesAndTimeAndRewindsIt() throws Exception {
        start();
        admin().createDestination(DestinationType.TOPIC, "news", 1);
        Connection subscriber = connect("reader");
        Session session = subscriber.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Topic news = session.createTopic("news");
        session.createDurableSubscriber(news, "daily").close();
        send("news", true, "one", "two", "three");

        DescribeSubscriptions.Subscription daily = admin().describeSubscriptions("news").get(0);
        assertThat(daily.clientId()).isEqualTo("reader");
        assertThat(daily.name()).isEqualTo("daily");
        assertThat(daily.active()).isFalse();
        assertThat(daily.lag()).isEqualTo(3);
        assertThat(daily.oldestAgeMs()).isGreaterThanOrEqualTo(0);

        MessageConsumer consumer = session.createDurableSubscriber(news, "daily");
        assertThat(receiveAll(consumer, 300)).containsExactly("one", "two", "three");
        assertThat(admin().describeSubscriptions(null).get(0).active()).isTrue();
        assertRefused(() -> admin().rewind(new Rewind.Request(Rewind.Target.SUBSCRIPTION, "reader", "daily", -1, 0, -1)),
                ErrorCode.SUBSCRIPTION_IN_USE, "active consumer");
        consumer.close();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            DescribeSubscriptions.Subscription caughtUp = admin().describeSubscriptions("news").get(0);
            assertThat(caughtUp.lag()).isZero();
            assertThat(caughtUp.oldestAgeMs()).isEqualTo(-1);
        });

        assertThat(admin().rewind(new Rewind.Request(Rewind.Target.SUBSCRIPTION, "reader", "daily", -1, 1, -1)))
                .containsExactly(new Rewind.Position(0, 1));
        assertThat(admin().describeSubscriptions("news").get(0).lag()).isEqualTo(2);
        consumer = session.createDurableSubscriber(news, "daily");
        Message again = consumer.receive(WAIT_MS);
        // Delivered once already: the rewind brings it back as a redelivery.
        assertThat(((TextMessage) again).getText()).isEqualTo("two");
        assertThat(again.getJMSRedelivered()).isTrue();
        assertThat(receiveAll(consumer, 300)).containsExactly("three");
        consumer.close();

        assertRefused(() -> admin().rewind(new Rewind.Request(Rewind.Target.SUBSCRIPTION, "reader", "daily", 0, 99, -1)),
                ErrorCode.OFFSET_OUT_OF_RANGE, "past the high watermark 3");
        assertRefused(() -> admin().rewind(new Rewind.Request(Rewind.Target.SUBSCRIPTION, "reader", "daily", 5, 0, -1)),
                ErrorCode.UNKNOWN_PARTITION, "no partition 5");
        assertRefused(() -> admin().rewind(new Rewind.Request(Rewind.Target.SUBSCRIPTION, "reader", "weekly", -1, 0, -1)),
                ErrorCode.UNKNOWN_SUBSCRIPTION, "weekly");
        assertRefused(() -> admin().describeSubscriptions("nothing"), ErrorCode.UNKNOWN_DESTINATION, "nothing");
    }

    @Test
    void rewindsToATimeThroughTheTimeIndex() throws Exception {
        start();
        Connection subscriber = connect("timer");
        Session session = subscriber.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Topic ticks = session.createTopic("ticks");
        session.createDurableSubscriber(ticks, "all").close();
        send("ticks", true, "early-1", "early-2");
        Thread.sleep(50);
        long between = System.currentTimeMillis();
        Thread.sleep(50);
        send("ticks", true, "late-1", "late-2");
        MessageConsumer consumer = session.createDurableSubscriber(ticks, "all");
        assertThat(receiveAll(consumer, 300)).hasSize(4);
        consumer.close();

        assertThat(admin().rewind(new Rewind.Request(Rewind.Target.SUBSCRIPTION, "timer", "all", -1, -1, between)))
                .containsExactly(new Rewind.Position(0, 2));
        consumer = session.createDurableSubscriber(ticks, "all");
        assertThat(receiveAll(consumer, 300)).containsExactly("late-1", "late-2");
        consumer.close();
        // A time after every record moves to the end: nothing to read again.
        assertThat(admin().rewind(new Rewind.Request(Rewind.Target.SUBSCRIPTION, "timer", "all", -1, -1,
                System.currentTimeMillis() + 60_000))).containsExactly(new Rewind.Position(0, 4));
    }

    @Test
    void showsShareGroupsWithInFlightRecordsAndRewindsAndPurgesQueues() throws Exception {
        start();
        admin().createDestination(DestinationType.QUEUE, "jobs", 1);
        send("jobs", false, "j1", "j2", "j3", "j4");
        DescribeShareGroups.ShareGroup jobs = admin().describeShareGroups("jobs").get(0);
        assertThat(jobs.lag()).isEqualTo(4);
        assertThat(jobs.consumers()).isZero();
        assertThat(jobs.deadLetterQueue()).isEqualTo("DLQ.jobs");
        assertThat(jobs.oldestAgeMs()).isGreaterThanOrEqualTo(0);

        Connection worker = connect(null);
        Session session = worker.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Queue queue = session.createQueue("jobs");
        MessageConsumer receiver = session.createConsumer(queue);
        Message first = receiver.receive(WAIT_MS);
        assertThat(((TextMessage) first).getText()).isEqualTo("j1");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            DescribeShareGroups.ShareGroup held = admin().describeShareGroups("jobs").get(0);
            assertThat(held.consumers()).isEqualTo(1);
            assertThat(held.inFlight()).isPositive();
            assertThat(held.lag()).isEqualTo(4);
        });
        assertRefused(() -> admin().rewind(new Rewind.Request(Rewind.Target.QUEUE, null, "jobs", -1, 0, -1)),
                ErrorCode.SUBSCRIPTION_IN_USE, "receiver(s) open");
        List<String> rest = receiveAll(receiver, 300);
        assertThat(rest).containsExactly("j2", "j3", "j4");
        first.acknowledge();
        receiver.close();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            DescribeShareGroups.ShareGroup drained = admin().describeShareGroups("jobs").get(0);
            assertThat(drained.lag()).isZero();
            assertThat(drained.inFlight()).isZero();
            assertThat(drained.oldestAgeMs()).isEqualTo(-1);
        });

        assertThat(admin().rewind(new Rewind.Request(Rewind.Target.QUEUE, null, "jobs", 0, 2, -1)))
                .containsExactly(new Rewind.Position(0, 2));
        assertThat(admin().describeShareGroups("jobs").get(0).lag()).isEqualTo(2);
        // The rewind is durable: a restarted broker delivers the same records again.
        stopEverything();
        start();
        assertThat(admin().describeShareGroups("jobs").get(0).lag()).isEqualTo(2);

        assertThat(admin().purgeQueue("jobs")).isEqualTo(2);
        assertThat(admin().describeShareGroups("jobs").get(0).lag()).isZero();
        Session again = connect(null).createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer late = again.createConsumer(again.createQueue("jobs"));
        assertThat(late.receive(300)).isNull();
        send("jobs", false, "j5");
        assertThat(((TextMessage) late.receive(WAIT_MS)).getText()).isEqualTo("j5");

        assertRefused(() -> admin().purgeQueue("missing"), ErrorCode.UNKNOWN_DESTINATION, "missing");
        assertRefused(() -> admin().describeShareGroups("missing"), ErrorCode.UNKNOWN_DESTINATION, "missing");
    }

    private void stopEverything() throws Exception {
        for (Connection connection : connections) {
            connection.close();
        }
        connections.clear();
        admin.close();
        admin = null;
        broker.close();
    }

    @Test
    void browsesMessagesWithHeadersPropertiesAndBodyPreview() throws Exception {
        start();
        send("letters", false, "alpha", "beta", "x".repeat(500));
        List<BrowsedMessage> browsed = admin().browse(new Browse.Request(DestinationType.QUEUE, "letters", 0, 1, -1, 10),
                20);
        assertThat(browsed).extracting(BrowsedMessage::offset, BrowsedMessage::bodyKind, BrowsedMessage::bodyPreview)
                .containsExactly(tuple(1L, "TEXT", "beta"), tuple(2L, "TEXT", "x".repeat(20) + "..."));
        BrowsedMessage beta = browsed.get(0);
        assertThat(beta.messageId()).startsWith("ID:");
        assertThat(beta.deliveryMode()).isEqualTo("PERSISTENT");
        assertThat(beta.properties()).containsEntry("origin", "admin-test");
        assertThat(beta.bodyBytes()).isEqualTo(4);

        // Browsing consumes nothing, and a time finds the first record written then.
        assertThat(admin().describeShareGroups("letters").get(0).lag()).isEqualTo(3);
        assertThat(admin().browse(new Browse.Request(DestinationType.QUEUE, "letters", 0, -1, 0, 1), 20))
                .extracting(BrowsedMessage::bodyPreview).containsExactly("alpha");
        assertThat(admin().browse(new Browse.Request(DestinationType.QUEUE, "letters", 0, 3, -1, 5), 20)).isEmpty();

        assertRefused(() -> admin().browse(new Browse.Request(DestinationType.QUEUE, "letters", 0, 4, -1, 5), 20),
                ErrorCode.OFFSET_OUT_OF_RANGE, "holds [0, 3)");
        assertRefused(() -> admin().browse(new Browse.Request(DestinationType.QUEUE, "letters", 3, 0, -1, 5), 20),
                ErrorCode.UNKNOWN_PARTITION, "no partition 3");
        assertRefused(() -> admin().browse(new Browse.Request(DestinationType.TOPIC, "letters", 0, 0, -1, 5), 20),
                ErrorCode.UNKNOWN_DESTINATION, "topic letters");
    }

    @Test
    void movesDeadLettersBackToTheirQueue() throws Exception {
        start(BrokerConfig.MAX_DELIVERY_ATTEMPTS, "1");
        send("payments", false, "p1", "p2");
        Connection worker = connect(null);
        Session session = worker.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        MessageConsumer receiver = session.createConsumer(session.createQueue("payments"));
        assertThat(receiveAll(receiver, 300)).containsExactly("p1", "p2");
        session.recover(); // delivered once already: both go to the dead-letter queue
        assertThat(receiver.receive(300)).isNull();
        receiver.close();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(admin().describeShareGroups("payments").get(0).deadLetters()).isEqualTo(2));
        assertThat(admin().browse(new Browse.Request(DestinationType.QUEUE, "DLQ.payments", 0, 0, -1, 10), 50))
                .allSatisfy(m -> assertThat(m.properties()).containsEntry("JMS_Strand_OriginalQueue", "payments"));

        RedriveDeadLetters.Response redriven = admin().redriveDeadLetters("DLQ.payments", 100);
        assertThat(redriven.moved()).containsExactly(new RedriveDeadLetters.Moved("payments", 2));
        assertThat(redriven.skipped()).isZero();
        assertThat(admin().describeShareGroups("payments").get(0).deadLetters()).isZero();

        Session fresh = connect(null).createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer again = fresh.createConsumer(fresh.createQueue("payments"));
        List<Message> back = new ArrayList<>();
        for (Message m = again.receive(WAIT_MS); m != null; m = again.receive(300)) {
            back.add(m);
        }
        assertThat(back).extracting(m -> ((TextMessage) m).getText()).containsExactly("p1", "p2");
        assertThat(back.get(0).propertyExists("JMS_Strand_OriginalQueue")).isFalse();
        assertThat(back.get(0).getStringProperty("origin")).isEqualTo("admin-test");

        assertThat(admin().redriveDeadLetters("DLQ.payments", 100).total()).isZero();
        assertRefused(() -> admin().redriveDeadLetters("DLQ.nothing", 10), ErrorCode.UNKNOWN_DESTINATION, "DLQ.nothing");
    }

    @Test
    void listsConnectionsWithTheirConsumers() throws Exception {
        start();
        Connection app = connect("billing");
        Session session = app.createSession(false, Session.AUTO_ACKNOWLEDGE);
        session.createConsumer(session.createQueue("invoices"));
        session.createDurableSubscriber(session.createTopic("events"), "audit");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            DescribeConnections.Connection billing = admin().describeConnections().stream()
                    .filter(c -> "billing".equals(c.clientId())).findFirst().orElseThrow();
            assertThat(billing.consumers()).extracting(DescribeConnections.Consumer::kind,
                    DescribeConnections.Consumer::destination, DescribeConnections.Consumer::subscription)
                    .containsExactlyInAnyOrder(tuple(SubscriptionKind.QUEUE, "invoices", null),
                            tuple(SubscriptionKind.DURABLE, "events", "audit"));
        });
        // The admin's own connection is listed too, without consumers.
        assertThat(admin().describeConnections()).hasSize(2);
    }

    private DescribeConnections.Connection connectionOf(String clientId) {
        return admin().describeConnections().stream().filter(c -> clientId.equals(c.clientId())).findFirst()
                .orElseThrow();
    }

    @Test
    void describesEachSessionsConsumersWithTheirRateInFlightAndLagUnderTheirClientId() throws Exception {
        start();
        admin().createDestination(DestinationType.QUEUE, "orders", 1);
        admin().createDestination(DestinationType.TOPIC, "events", 1);
        // One application connection, two sessions; a prefetch of two keeps the rest waiting on the broker.
        Connection app = connect("orders-app", "prefetch=2");
        Session receiving = app.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Session subscribing = app.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Topic events = subscribing.createTopic("events");
        subscribing.createDurableSubscriber(events, "audit", "origin = 'admin-test'", false).close();
        send("orders", false, "o1", "o2", "o3", "o4", "o5");
        send("events", true, "e1", "e2", "e3");
        // Both consumers are sent messages as they open, so the rate counts them from now on. The queue receiver takes
        // two; the subscriber is pushed what one read of the log holds, all three, overdrawing its credit.
        MessageConsumer receiver = receiving.createConsumer(receiving.createQueue("orders"));
        MessageConsumer subscriber = subscribing.createDurableSubscriber(events, "audit", "origin = 'admin-test'", false);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<DescribeConnections.ClientGroup> groups = DescribeConnections.byClientId(admin().describeConnections());
            assertThat(groups).extracting(DescribeConnections.ClientGroup::clientId).containsExactly("orders-app", null);
            DescribeConnections.Connection connection = groups.get(0).connections().get(0);
            assertThat(connection.sessions()).extracting(DescribeConnections.Session::id).containsExactly(0, 1);
            DescribeConnections.Consumer queue = connection.sessions().get(0).consumers().get(0);
            assertThat(queue.kind()).isEqualTo(SubscriptionKind.QUEUE);
            assertThat(queue.destination()).isEqualTo("orders");
            assertThat(queue.subscription()).isNull();
            assertThat(queue.delivered()).isEqualTo(2);
            assertThat(queue.deliveredRecently()).isEqualTo(2);
            assertThat(queue.deliveryRate()).isPositive();
            assertThat(queue.inFlight()).isEqualTo(2);
            assertThat(queue.lag()).as("o3 to o5 wait on the broker").isEqualTo(3);
            assertThat(queue.oldestAgeMs()).isGreaterThanOrEqualTo(0);
            DescribeConnections.Consumer topic = connection.sessions().get(1).consumers().get(0);
            assertThat(topic.kind()).isEqualTo(SubscriptionKind.DURABLE);
            assertThat(topic.subscription()).isEqualTo("audit");
            assertThat(topic.selector()).isEqualTo("origin = 'admin-test'");
            assertThat(topic.delivered()).isEqualTo(3);
            assertThat(topic.deliveredRecently()).isEqualTo(3);
            assertThat(topic.credit()).isEqualTo(-1);
            assertThat(topic.inFlight()).isEqualTo(3);
            assertThat(topic.lag()).isZero();
            assertThat(topic.oldestAgeMs()).isEqualTo(-1);
        });

        // Acknowledging one message of each: the queue receiver gets one more (in flight stays two, the lag goes
        // down); the subscriber's new credit only makes good its overdraft, so what is published next waits.
        receiver.receive(WAIT_MS).acknowledge();
        subscriber.receive(WAIT_MS).acknowledge();
        send("events", true, "e4");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            DescribeConnections.Connection connection = connectionOf("orders-app");
            DescribeConnections.Consumer queue = connection.sessions().get(0).consumers().get(0);
            assertThat(queue.delivered()).isEqualTo(3);
            assertThat(queue.inFlight()).isEqualTo(2);
            assertThat(queue.lag()).isEqualTo(2);
            DescribeConnections.Consumer topic = connection.sessions().get(1).consumers().get(0);
            assertThat(topic.delivered()).isEqualTo(3);
            assertThat(topic.inFlight()).isEqualTo(2);
            assertThat(topic.lag()).as("e4 waits").isEqualTo(1);
            assertThat(topic.oldestAgeMs()).isGreaterThanOrEqualTo(0);
            assertThat(connection.sessions().get(0).deliveryRate()).isPositive();
        });
    }

    @Test
    void listsSharedSubscriptionsWithMembersPositionsInFlightDeadLettersAndLag() throws Exception {
        start(BrokerConfig.MAX_DELIVERY_ATTEMPTS, "1");
        admin().createDestination(DestinationType.TOPIC, "clicks", 1);
        Connection analytics = connect("analytics");
        Session first = analytics.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Topic clicks = first.createTopic("clicks");
        MessageConsumer counter = first.createSharedDurableConsumer(clicks, "counter");
        Session liveSession = connect(null).createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer live = liveSession.createSharedConsumer(clicks, "live");
        send("clicks", true, "c1", "c2", "c3", "c4");

        assertThat(receiveAll(live, 300)).containsExactly("c1", "c2", "c3", "c4");
        counter.receive(WAIT_MS);
        counter.receive(WAIT_MS).acknowledge(); // c1 and c2; c3 and c4 wait in the consumer's prefetch buffer
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<DescribeSubscriptions.Subscription> all = admin().describeSubscriptions("clicks");
            assertThat(all).extracting(DescribeSubscriptions.Subscription::name).containsExactly("live", "counter");
            DescribeSubscriptions.Subscription shared = all.get(0);
            assertThat(shared.kind()).isEqualTo(SubscriptionKind.SHARED);
            assertThat(shared.clientId()).isNull();
            assertThat(shared.members()).hasSize(1);
            assertThat(shared.lag()).isZero();
            DescribeSubscriptions.Subscription durable = all.get(1);
            assertThat(durable.kind()).isEqualTo(SubscriptionKind.SHARED_DURABLE);
            assertThat(durable.clientId()).isEqualTo("analytics");
            assertThat(durable.active()).isTrue();
            assertThat(durable.members()).singleElement().satisfies(m ->
                    assertThat(m.remoteAddress()).isEqualTo(connectionOf("analytics").remoteAddress()));
            assertThat(durable.partitions()).singleElement().satisfies(p -> {
                assertThat(p.position()).as("consumed below").isEqualTo(2);
                assertThat(p.highWatermark()).isEqualTo(4);
                assertThat(p.lag()).isEqualTo(2);
                assertThat(p.inFlight()).isEqualTo(2);
                assertThat(p.oldestAgeMs()).isGreaterThanOrEqualTo(0);
            });
            assertThat(durable.deadLetterQueue()).isEqualTo("DLQ.clicks");
            assertThat(durable.deadLetters()).isZero();
        });
        assertThat(connectionOf("analytics").consumers()).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(SubscriptionKind.SHARED_DURABLE);
            assertThat(c.subscription()).isEqualTo("counter");
            assertThat(c.inFlight()).isEqualTo(2);
            assertThat(c.lag()).isZero();
        });
        assertRefused(() -> admin().deleteSubscription("analytics", "counter"), ErrorCode.SUBSCRIPTION_IN_USE,
                "active consumer(s)");
        assertRefused(() -> admin().deleteSubscription(null, "live"), ErrorCode.INVALID_REQUEST, "not durable");

        // Closed holding c3 and c4, delivered once already: the next consumer's look moves them to the dead letters.
        counter.close();
        Session second = analytics.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        MessageConsumer next = second.createSharedDurableConsumer(clicks, "counter");
        assertThat(next.receive(300)).isNull();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            DescribeSubscriptions.Subscription durable = admin().describeSubscriptions("clicks").get(1);
            assertThat(durable.deadLetters()).isEqualTo(2);
            assertThat(durable.lag()).isZero();
            assertThat(durable.inFlight()).isZero();
        });
        next.close();
        admin().deleteSubscription("analytics", "counter");
        assertThat(admin().describeSubscriptions("clicks")).extracting(DescribeSubscriptions.Subscription::name)
                .containsExactly("live");
        assertRefused(() -> admin().deleteSubscription("analytics", "counter"), ErrorCode.UNKNOWN_SUBSCRIPTION,
                "counter");

        // A shared durable subscription opened without a client id is deleted by its name alone.
        Session global = connect(null).createSession(false, Session.AUTO_ACKNOWLEDGE);
        global.createSharedDurableConsumer(clicks, "everyone").close();
        assertThat(admin().describeSubscriptions(null)).extracting(DescribeSubscriptions.Subscription::name)
                .contains("everyone");
        admin().deleteSubscription(null, "everyone");
        assertThat(admin().describeSubscriptions(null)).extracting(DescribeSubscriptions.Subscription::name)
                .doesNotContain("everyone");
    }

    @Test
    void redrivesDeadLettersOfASharedSubscriptionBackToItAlone() throws Exception {
        start(BrokerConfig.MAX_DELIVERY_ATTEMPTS, "1");
        admin().createDestination(DestinationType.TOPIC, "trades", 1);
        Connection backoffice = connect("backoffice");
        Session settling = backoffice.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Topic trades = settling.createTopic("trades");
        MessageConsumer settle = settling.createSharedDurableConsumer(trades, "settle");
        Session auditing = connect(null).createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer audit = auditing.createSharedDurableConsumer(trades, "audit");
        Connection archiver = connect("archiver");
        Session archiving = archiver.createSession(false, Session.AUTO_ACKNOWLEDGE);
        archiving.createDurableSubscriber(trades, "archive").close();
        Session watching = connect(null).createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer watcher = watching.createConsumer(trades);
        send("trades", true, "t1", "t2");

        assertThat(receiveAll(audit, 300)).containsExactly("t1", "t2");
        assertThat(receiveAll(watcher, 300)).containsExactly("t1", "t2");
        assertThat(receiveAll(settle, 300)).containsExactly("t1", "t2");
        settling.recover(); // delivered once already: both go to DLQ.trades
        assertThat(settle.receive(300)).isNull();
        settle.close();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(admin().describeSubscriptions("trades")
                .stream().filter(s -> s.name().equals("settle")).findFirst().orElseThrow().deadLetters()).isEqualTo(2));
        assertThat(admin().browse(new Browse.Request(DestinationType.QUEUE, "DLQ.trades", 0, 0, -1, 10), 50))
                .allSatisfy(m -> assertThat(m.properties()).containsEntry("JMS_Strand_OriginalTopic", "trades")
                        .containsEntry("JMS_Strand_OriginalSubscription", "backoffice:settle"));

        RedriveDeadLetters.Response redriven = admin().redriveDeadLetters("DLQ.trades", 100);
        assertThat(redriven.moved()).containsExactly(new RedriveDeadLetters.Moved("trades", "backoffice:settle", 2));
        assertThat(redriven.skipped()).isZero();

        // Back to the subscription: its next consumer gets them as new messages, without the dead-letter marks.
        settle = backoffice.createSession(false, Session.AUTO_ACKNOWLEDGE).createSharedDurableConsumer(trades, "settle");
        List<Message> back = new ArrayList<>();
        for (Message m = settle.receive(WAIT_MS); m != null; m = settle.receive(300)) {
            back.add(m);
        }
        assertThat(back).extracting(m -> ((TextMessage) m).getText()).containsExactly("t1", "t2");
        assertThat(back.get(0).propertyExists("JMS_Strand_OriginalTopic")).isFalse();
        assertThat(back.get(0).getStringProperty("origin")).isEqualTo("admin-test");
        assertThat(back.get(0).getIntProperty("JMSXDeliveryCount")).isEqualTo(1);
        // Nobody else reading the topic sees the copies.
        assertThat(audit.receive(300)).as("another shared subscription").isNull();
        assertThat(watcher.receive(300)).as("a non-durable subscriber").isNull();
        MessageConsumer archive = archiving.createDurableSubscriber(trades, "archive");
        assertThat(receiveAll(archive, 300)).as("a durable subscription: the originals only").containsExactly("t1", "t2");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(admin().describeSubscriptions("trades"))
                .filteredOn(DescribeSubscriptions.Subscription::isShared)
                .allSatisfy(s -> assertThat(s.lag()).as(s.name()).isZero()));
        assertThat(admin().redriveDeadLetters("DLQ.trades", 100).total()).isZero();

        // The next message: everyone gets it once, and the durable subscription, whose client dropped the copies,
        // acknowledges past them with it.
        send("trades", true, "t3");
        assertThat(((TextMessage) settle.receive(WAIT_MS)).getText()).isEqualTo("t3");
        assertThat(((TextMessage) audit.receive(WAIT_MS)).getText()).isEqualTo("t3");
        assertThat(receiveAll(watcher, 300)).containsExactly("t3");
        assertThat(receiveAll(archive, 300)).containsExactly("t3");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(admin().describeSubscriptions("trades"))
                .allSatisfy(s -> assertThat(s.lag()).as(s.name()).isZero()));

        // A dead letter whose subscription is gone stays where it is.
        settle.close();
        send("trades", true, "t4");
        Session lastSettling = backoffice.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        MessageConsumer lastSettler = lastSettling.createSharedDurableConsumer(trades, "settle");
        assertThat(((TextMessage) lastSettler.receive(WAIT_MS)).getText()).isEqualTo("t4");
        lastSettling.close(); // unacknowledged, delivered once: dead-lettered when the subscription is next read
        MessageConsumer settleAgain = backoffice.createSession(false, Session.AUTO_ACKNOWLEDGE)
                .createSharedDurableConsumer(trades, "settle");
        assertThat(settleAgain.receive(300)).isNull();
        settleAgain.close();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(admin().describeShareGroups("DLQ.trades").get(0).lag()).isEqualTo(1));
        admin().deleteSubscription("backoffice", "settle");
        RedriveDeadLetters.Response nowhere = admin().redriveDeadLetters("DLQ.trades", 100);
        assertThat(nowhere.total()).isZero();
        assertThat(nowhere.skipped()).isEqualTo(1);
    }

    @Test
    void deletesAnyClientsDurableSubscription() throws Exception {
        start();
        Connection app = connect("mailer");
        Session session = app.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = session.createDurableSubscriber(session.createTopic("mail"), "outbox");
        assertRefused(() -> admin().deleteSubscription("mailer", "outbox"), ErrorCode.SUBSCRIPTION_IN_USE, "active");
        consumer.close();
        admin().deleteSubscription("mailer", "outbox");
        assertThat(admin().describeSubscriptions(null)).isEmpty();
        assertRefused(() -> admin().deleteSubscription("mailer", "outbox"), ErrorCode.UNKNOWN_SUBSCRIPTION, "outbox");
    }

    @Test
    void addingPartitionsToATopicGivesItsDurableSubscriptionsAPlaceInThem() throws Exception {
        start();
        admin().createDestination(DestinationType.TOPIC, "feeds", 1);
        Connection app = connect("feeder");
        Session session = app.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = session.createDurableSubscriber(session.createTopic("feeds"), "all");
        assertRefused(() -> admin().alterDestination(new AlterDestination.Request(DestinationType.TOPIC, "feeds", 3,
                AlterDestination.UNCHANGED, AlterDestination.UNCHANGED)), ErrorCode.SUBSCRIPTION_IN_USE, "close it");
        consumer.close();
        admin().alterDestination(new AlterDestination.Request(DestinationType.TOPIC, "feeds", 3,
                AlterDestination.UNCHANGED, AlterDestination.UNCHANGED));
        assertThat(admin().describeSubscriptions("feeds").get(0).partitions()).hasSize(3);

        send("feeds", true, "f1", "f2", "f3", "f4", "f5", "f6");
        assertThat(admin().describeSubscriptions("feeds").get(0).lag()).isEqualTo(6);
        consumer = session.createDurableSubscriber(session.createTopic("feeds"), "all");
        assertThat(receiveAll(consumer, 300)).containsExactlyInAnyOrder("f1", "f2", "f3", "f4", "f5", "f6");
        consumer.close();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(admin().describeSubscriptions("feeds").get(0).lag()).isZero());
    }

    @Test
    void adminCallsNeedAnAuthenticatedUserWhenTheBrokerHasUsers() {
        start(BrokerConfig.AUTH_USERS, "ops:secret", BrokerConfig.AUTH_ANONYMOUS, "true");
        try (StrandAdmin anonymous = StrandAdmin.connect(url(), null, null)) {
            assertRefused(anonymous::describeCluster, ErrorCode.AUTHENTICATION_FAILED, "anonymous");
        }
        assertRefused(() -> StrandAdmin.connect(url(), "ops", "wrong").close(), ErrorCode.AUTHENTICATION_FAILED, "");
        try (StrandAdmin ops = StrandAdmin.connect(url(), "ops", "secret")) {
            assertThat(ops.describeCluster().brokers()).hasSize(1);
            assertThat(ops.describeConnections()).extracting(DescribeConnections.Connection::user).contains("ops");
        }
    }

    @Test
    void onlyAdminsChangeTheBrokerWhileEveryUserDescribesAndBrowses() throws Exception {
        start(BrokerConfig.AUTH_USERS, "ops:secret,viewer:look", BrokerConfig.AUTH_ADMINS, "ops");
        try (StrandAdmin ops = StrandAdmin.connect(url(), "ops", "secret");
             StrandAdmin viewer = StrandAdmin.connect(url(), "viewer", "look")) {
            assertThat(ops.describeAccess()).isEqualTo(new DescribeAccess.Response(ResponseStatus.OK, "ops", true, true));
            assertThat(viewer.describeAccess()).isEqualTo(
                    new DescribeAccess.Response(ResponseStatus.OK, "viewer", true, false));
            ops.createDestination(DestinationType.QUEUE, "jobs", 2);

            assertThat(viewer.describeDestinations(DestinationType.QUEUE, "jobs")).hasSize(1);
            assertThat(viewer.describeShareGroups("jobs")).hasSize(1);
            assertThat(viewer.describeSubscriptions(null)).isEmpty();
            assertThat(viewer.describeConnections()).hasSize(2);
            assertThat(viewer.describeCluster().brokers()).hasSize(1);
            assertThat(viewer.browse(new Browse.Request(DestinationType.QUEUE, "jobs", 0, 0, -1, 10), 100)).isEmpty();

            List<Runnable> changes = List.of(
                    () -> viewer.purgeQueue("jobs"),
                    () -> viewer.alterDestination(new AlterDestination.Request(DestinationType.QUEUE, "jobs", 3,
                            AlterDestination.UNCHANGED, AlterDestination.UNCHANGED)),
                    () -> viewer.rewind(new Rewind.Request(Rewind.Target.QUEUE, null, "jobs", -1, 0, -1)),
                    () -> viewer.redriveDeadLetters("DLQ.jobs", 10),
                    () -> viewer.deleteSubscription("app", "audit"),
                    () -> viewer.createDestination(DestinationType.TOPIC, "prices", 1),
                    () -> viewer.deleteDestination(DestinationType.QUEUE, "jobs"));
            for (Runnable change : changes) {
                assertRefused(change, ErrorCode.AUTHENTICATION_FAILED, "user 'viewer' may not do");
            }
            assertThat(ops.describeDestinations(DestinationType.QUEUE, "jobs").get(0).partitions()).hasSize(2);
            assertThat(ops.purgeQueue("jobs")).isZero();

            Connection application = new StrandConnectionFactory(url()).createConnection("viewer", "look");
            connections.add(application);
            Session session = application.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createTemporaryQueue().delete();
            session.createProducer(session.createQueue("auto.created")).send(session.createTextMessage("any user"));
            assertThat(ops.describeDestinations(DestinationType.QUEUE, "auto.created"))
                    .as("JMS applications of every user still create and delete what they use").hasSize(1);
        }
    }

    @Test
    void everyConnectionIsAnAdminWhenTheBrokerHasNoUsers() {
        start();
        assertThat(admin().describeAccess()).isEqualTo(new DescribeAccess.Response(ResponseStatus.OK, null, false, true));
    }
}
