package io.strand.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.strand.admin.DescribeDestinations;
import io.strand.admin.StrandAdmin;
import io.strand.cluster.ClusterPorts;
import io.strand.jms.StrandConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.TransactionRolledBackException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three brokers, each in its own JVM, form a cluster on 127.0.0.1. The active broker is killed with
 * {@code kill -9} again and again while a producer sends persistent messages, and restarted: every
 * message whose send returned is received afterwards, and a message comes twice only if its send was
 * in doubt (failed while the broker died) or it was redelivered. Clients on the cluster's multi-host URL ride through
 * those kills, and through a rolling restart, without an error.
 */
class ClusterKillTest {
    private static final int BROKERS = 3;
    private static final int KILLS = 3;
    private static final int PER_ROUND = 100;

    @TempDir
    Path dir;

    private final Map<Integer, BrokerProcess> running = new HashMap<>();
    private final int[] clientPorts = new int[BROKERS + 1];
    private String peers;

    @AfterEach
    void stopAll() throws InterruptedException {
        for (BrokerProcess broker : running.values()) {
            broker.close();
        }
    }

    private CompletableFuture<BrokerProcess> start(int id) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return BrokerProcess.start(dir.resolve("broker-" + id), clientPorts[id], List.of(),
                        "broker.id=" + id + "\ncluster.id=kill-test\ncluster.bind=" + peers.split(",")[id - 1]
                                + "\ncluster.peers=" + peers + "\nreplica.lag.time.max.ms=2000\n");
            } catch (Exception e) {
                throw new IllegalStateException("broker " + id + " did not start: " + e, e);
            }
        });
    }

    /** The id of the broker that accepts JMS connections, once one does. */
    private int awaitActive() {
        int[] active = new int[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            for (int id : running.keySet()) {
                // A handshake, not a JMS connection: the client would follow a NOT_LEADER hint to the active broker.
                try (RawClient raw = new RawClient(new InetSocketAddress("127.0.0.1", clientPorts[id]))) {
                    if (raw.handshake(null).status().isOk()) {
                        active[0] = id;
                        return true;
                    }
                } catch (IOException notListening) {
                    // restarting
                }
            }
            return false;
        });
        return active[0];
    }

    private StrandConnectionFactory factory(int id) {
        return new StrandConnectionFactory("strand://127.0.0.1:" + clientPorts[id] + "?failoverTimeoutMs=0");
    }

    @Test
    void killingTheActiveBrokerLosesNoAcknowledgedSend() throws Exception {
        startCluster();

        List<String> acknowledged = new ArrayList<>();
        Set<String> inDoubt = new HashSet<>();
        int next = 0;
        for (int round = 0; round <= KILLS; round++) {
            int active = awaitActive();
            try (Connection connection = factory(active).createConnection()) {
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer producer = session.createProducer(session.createQueue("payments"));
                producer.setDeliveryMode(DeliveryMode.PERSISTENT);
                for (int i = 0; i < PER_ROUND; i++) {
                    String text = "payment-" + next++;
                    try {
                        producer.send(session.createTextMessage(text));
                        acknowledged.add(text);
                    } catch (JMSException e) {
                        inDoubt.add(text);
                    }
                    if (round < KILLS && i == PER_ROUND / 2) {
                        running.get(active).kill9(); // the rest of this round's sends fail or are in doubt
                    }
                }
            } catch (JMSException e) {
                // the connection died with the broker
            }
            if (round < KILLS) {
                running.put(active, start(active).get()); // back with its data: it rejoins as a follower
            }
        }

        int active = awaitActive();
        Map<String, Integer> seen = new HashMap<>();
        Set<String> redelivered = new HashSet<>();
        try (Connection connection = factory(active).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue("payments"));
            connection.start();
            TextMessage message;
            while ((message = (TextMessage) consumer.receive(3_000)) != null) {
                seen.merge(message.getText(), 1, Integer::sum);
                if (message.getJMSRedelivered()) {
                    redelivered.add(message.getText());
                }
            }
        }
        assertThat(seen.keySet()).as("every acknowledged send is received").containsAll(acknowledged);
        seen.forEach((text, count) -> {
            if (count > 1) {
                assertThat(inDoubt.contains(text) || redelivered.contains(text))
                        .as("%s came %d times without being in doubt or redelivered", text, count).isTrue();
            }
        });
        assertThat(acknowledged).hasSizeGreaterThan(KILLS * PER_ROUND / 2);
    }

    private void startCluster() throws Exception {
        List<String> bind = new ArrayList<>();
        for (int id = 1; id <= BROKERS; id++) {
            clientPorts[id] = BrokerProcess.freePort();
            bind.add("127.0.0.1:" + ClusterPorts.free());
        }
        peers = String.join(",", bind);
        List<CompletableFuture<BrokerProcess>> starting = new ArrayList<>();
        for (int id = 1; id <= BROKERS; id++) {
            starting.add(start(id));
        }
        for (int id = 1; id <= BROKERS; id++) {
            running.put(id, starting.get(id - 1).get());
        }
    }

    private static long logBytes(Path partitionDir) throws IOException {
        if (!Files.isDirectory(partitionDir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(partitionDir)) {
            long total = 0;
            for (Path file : files.filter(f -> f.toString().endsWith(".log")).toList()) {
                total += batchBytes(file);
            }
            return total;
        }
    }

    /** A segment file's length without the zeros an active segment's file is extended by ahead of its batches. */
    private static long batchBytes(Path segment) throws IOException {
        byte[] bytes = Files.readAllBytes(segment);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] == 0) {
            end--;
        }
        return end;
    }

    @Test
    void aBrokerRestartedWithAnEmptyDiskCopiesEverythingAgainAndIsNotElectedBeforeItHas() throws Exception {
        startCluster();
        int active = awaitActive();
        try (Connection connection = factory(active).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue("archive"));
            for (int i = 0; i < 300; i++) {
                producer.send(session.createTextMessage("doc-" + i + "-" + "x".repeat(2000)));
            }
        }
        int wiped = active % BROKERS + 1;
        int other = 1;
        while (other == active || other == wiped) {
            other++;
        }
        running.get(wiped).kill9();
        deleteRecursively(dir.resolve("broker-" + wiped));
        running.put(wiped, start(wiped).get());

        running.get(active).kill9(); // at once: the empty broker must not take over
        running.remove(active);
        int next = awaitActive();
        assertThat(next).as("the broker with the empty disk is not elected").isEqualTo(other);
        List<String> received = new ArrayList<>();
        try (Connection connection = factory(next).createConnection()) {
            Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue("archive"));
            connection.start();
            TextMessage message;
            while ((message = (TextMessage) consumer.receive(3_000)) != null) {
                received.add(message.getText().substring(0, message.getText().indexOf('-', 4)));
            }
        }
        assertThat(received).hasSize(300).doesNotHaveDuplicates();

        Path copied = dir.resolve("broker-" + wiped).resolve("q$archive-0");
        Path source = dir.resolve("broker-" + next).resolve("q$archive-0");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(logBytes(copied)).isEqualTo(logBytes(source)).isPositive());
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    @Test
    void jmsClientsOfTheClusterRideThroughKillsOfTheActiveBrokerWithoutAnError() throws Exception {
        rideThrough(() -> {
            for (int kill = 0; kill < KILLS; kill++) {
                Thread.sleep(1_500);
                int active = awaitActive();
                running.get(active).kill9();
                running.put(active, start(active).get());
            }
        });
    }

    /**
     * What an operator does to upgrade a cluster: each broker in turn is stopped (SIGTERM, a clean shutdown) and
     * started again, the active one last, waiting each time until every partition has all its replicas in sync
     * again; the applications connected to the cluster go on without an error and lose nothing.
     */
    @Test
    void aRollingRestartOfEveryBrokerGoesUnnoticedByTheClusterClients() throws Exception {
        rideThrough(() -> {
            Thread.sleep(1_000);
            int active = awaitActive();
            List<Integer> order = new ArrayList<>();
            for (int id = 1; id <= BROKERS; id++) {
                if (id != active) {
                    order.add(id);
                }
            }
            order.add(active);
            for (int id : order) {
                running.get(id).close();
                running.put(id, start(id).get());
                awaitEveryPartitionInSync();
            }
        });
    }

    /** Waits until every destination's partitions have every replica in sync, as the active broker reports. */
    private void awaitEveryPartitionInSync() {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
            try (StrandAdmin admin = StrandAdmin.connect("strand://127.0.0.1:" + clientPorts[awaitActive()]
                    + "?failoverTimeoutMs=0", null, null)) {
                List<DescribeDestinations.Destination> destinations = admin.describeDestinations(null, null);
                return !destinations.isEmpty() && destinations.stream().flatMap(d -> d.partitions().stream())
                        .noneMatch(DescribeDestinations.Partition::underReplicated);
            }
        });
    }

    /** Something that happens to the brokers while the clients run. */
    private interface Disruption {
        void run() throws Exception;
    }

    /**
     * A producer, a queue listener, a durable and a non-durable subscriber and a non-durable shared subscription on the
     * cluster's multi-host URL while {@code disruption} happens to the brokers: no error reaches the application, every
     * send arrives on the queue and to every subscription, first deliveries in the producer's order, and a message comes twice only marked redelivered.
     */
    private void rideThrough(Disruption disruption) throws Exception {
        try {
            rideThroughUnexplained(disruption);
        } catch (Exception | AssertionError e) {
            // On one line: a build's summary of failed tests shows the first line of each failure's message.
            StringBuilder brokers = new StringBuilder();
            running.forEach((id, broker) -> brokers.append(" || broker ").append(id).append(" (client port ")
                    .append(clientPorts[id]).append("): ").append(broker.diagnose(12).replace("\n", " | ")));
            throw new AssertionError(e + brokers.toString(), e);
        }
    }

    private void rideThroughUnexplained(Disruption disruption) throws Exception {
        startCluster();
        awaitActive();
        StringBuilder hosts = new StringBuilder();
        for (int id = 1; id <= BROKERS; id++) {
            hosts.append(id == 1 ? "" : ",").append("127.0.0.1:").append(clientPorts[id]);
        }
        StrandConnectionFactory cluster = new StrandConnectionFactory("strand://" + hosts + "?failoverTimeoutMs=60000");
        List<JMSException> heard = new CopyOnWriteArrayList<>();
        List<String> sent = new CopyOnWriteArrayList<>();
        List<String> queued = new CopyOnWriteArrayList<>();
        List<String> published = new CopyOnWriteArrayList<>();
        List<String> ticked = new CopyOnWriteArrayList<>();
        List<String> dashboard = new CopyOnWriteArrayList<>();
        Set<String> redelivered = ConcurrentHashMap.newKeySet();
        try (Connection producing = cluster.createConnection();
             Connection consuming = cluster.createConnection()) {
            consuming.setClientID("audit-app");
            producing.setExceptionListener(heard::add);
            consuming.setExceptionListener(heard::add);
            Session consumerSession = consuming.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer orders = consumerSession.createConsumer(consumerSession.createQueue("orders"));
            orders.setMessageListener(m -> record(m, queued, redelivered));
            Session subscriberSession = consuming.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer audit = subscriberSession.createDurableSubscriber(subscriberSession.createTopic("prices"),
                    "audit");
            audit.setMessageListener(m -> record(m, published, redelivered));
            Session tickerSession = consuming.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer ticker = tickerSession.createConsumer(tickerSession.createTopic("prices"));
            ticker.setMessageListener(m -> record(m, ticked, redelivered));
            Session sharedSession = consuming.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer shared = sharedSession.createSharedConsumer(sharedSession.createTopic("prices"), "dashboard");
            shared.setMessageListener(m -> record(m, dashboard, redelivered));
            consuming.start();

            Session session = producing.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer toQueue = session.createProducer(session.createQueue("orders"));
            MessageProducer toTopic = session.createProducer(session.createTopic("prices"));
            TransactedSender invoices = new TransactedSender(producing.createSession(true, Session.SESSION_TRANSACTED),
                    "invoices");
            TransactedReceiver settling = new TransactedReceiver(consuming.createSession(true,
                    Session.SESSION_TRANSACTED), "invoices");
            settling.start();
            List<Exception> disrupting = new CopyOnWriteArrayList<>();
            Thread killer = new Thread(() -> {
                try {
                    disruption.run();
                } catch (Exception e) {
                    disrupting.add(e);
                }
            });
            killer.start();
            for (int i = 0; killer.isAlive() || i < 100; i++) {
                String text = "order-" + i;
                toQueue.send(session.createTextMessage(text));
                toTopic.send(session.createTextMessage(text));
                sent.add(text);
                invoices.send("invoice-" + i);
                Thread.sleep(5);
            }
            invoices.commitTheRest();
            killer.join();
            assertThat(disrupting).isEmpty();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(queued).containsAll(sent);
                assertThat(published).containsAll(sent);
                assertThat(ticked).as("a non-durable subscriber goes on where it was").containsAll(sent);
                assertThat(dashboard).as("a non-durable shared subscription goes on").containsAll(sent);
                assertThat(settling.committed()).containsAll(invoices.committed);
            });
            settling.stop();
            assertTransactionsHeld(invoices, settling);
        }
        assertThat(heard).as("no error reaches the application").isEmpty();
        for (List<String> received : List.of(queued, published, ticked, dashboard)) {
            Map<String, Integer> counts = new HashMap<>();
            received.forEach(t -> counts.merge(t, 1, Integer::sum));
            counts.forEach((text, count) -> assertThat(count == 1 || redelivered.contains(text))
                    .as("%s came %d times without being redelivered", text, count).isTrue());
            List<String> firsts = received.stream().distinct().toList();
            assertThat(firsts).as("first deliveries keep the producer's order").isEqualTo(sent);
        }
    }

    /**
     * Every committed send is committed by the receiver, twice only when a commit of either side was in doubt, and
     * the receiver's first deliveries follow the order of the producer's commits.
     */
    private static void assertTransactionsHeld(TransactedSender invoices, TransactedReceiver settling) {
        assertThat(settling.failure).as("the transacted receiver's unexpected errors").isEmpty();
        Map<String, Integer> settled = new HashMap<>();
        settling.committed().forEach(t -> settled.merge(t, 1, Integer::sum));
        settled.forEach((text, count) -> assertThat(count == 1 || invoices.inDoubt.contains(text)
                || settling.inDoubt.contains(text)).as("%s committed %d times by the receiver, though its commits were"
                        + " not in doubt", text, count).isTrue());
        assertThat(settling.received.stream().distinct().toList()).as("first deliveries of a transacted queue keep"
                + " the order of the producer's commits").containsSubsequence(invoices.committed);
        assertThat(settling.rolledBack + settling.commits).isPositive();
    }

    /**
     * Sends in a transacted session, committing every five messages. A commit rolled back by a failover is sent again,
     * as an application does; one in doubt too, so its messages may arrive twice.
     */
    private static final class TransactedSender {
        private static final int PER_COMMIT = 5;
        final Session session;
        final MessageProducer producer;
        final List<String> pending = new ArrayList<>();
        final List<String> committed = new ArrayList<>();
        final Set<String> inDoubt = new HashSet<>();

        TransactedSender(Session session, String queue) throws JMSException {
            this.session = session;
            this.producer = session.createProducer(session.createQueue(queue));
        }

        void send(String text) throws JMSException {
            producer.send(session.createTextMessage(text));
            pending.add(text);
            if (pending.size() == PER_COMMIT) {
                commitTheRest();
            }
        }

        void commitTheRest() throws JMSException {
            while (!pending.isEmpty()) {
                try {
                    session.commit();
                    committed.addAll(pending);
                    pending.clear();
                } catch (TransactionRolledBackException e) {
                    resend();
                } catch (JMSException e) {
                    assertThat(e.getErrorCode()).as("a failed commit is rolled back or in doubt: %s", e)
                            .isEqualTo("TRANSACTION_IN_DOUBT");
                    inDoubt.addAll(pending);
                    resend();
                }
            }
        }

        private void resend() throws JMSException {
            for (String text : pending) {
                producer.send(session.createTextMessage(text));
            }
        }
    }

    /**
     * Receives in a transacted session on a thread of its own, committing every five messages or when none comes;
     * what a commit rolled back comes again, marked redelivered.
     */
    private static final class TransactedReceiver {
        final Session session;
        final MessageConsumer consumer;
        final List<String> received = new CopyOnWriteArrayList<>();
        private final List<String> committed = new CopyOnWriteArrayList<>();
        final Set<String> inDoubt = ConcurrentHashMap.newKeySet();
        final List<Throwable> failure = new CopyOnWriteArrayList<>();
        volatile int commits;
        volatile int rolledBack;
        private volatile boolean stopped;
        private final Thread thread;

        TransactedReceiver(Session session, String queue) throws JMSException {
            this.session = session;
            this.consumer = session.createConsumer(session.createQueue(queue));
            this.thread = new Thread(this::receive, "transacted-receiver");
        }

        void start() {
            thread.start();
        }

        List<String> committed() {
            return committed;
        }

        private void receive() {
            List<String> pending = new ArrayList<>();
            try {
                while (!stopped) {
                    TextMessage message = (TextMessage) consumer.receive(100);
                    if (message != null) {
                        received.add(message.getText());
                        pending.add(message.getText());
                    }
                    if (pending.size() == 5 || (message == null && !pending.isEmpty())) {
                        try {
                            session.commit();
                            committed.addAll(pending);
                            commits++;
                        } catch (TransactionRolledBackException e) {
                            rolledBack++;
                        } catch (JMSException e) {
                            if (!"TRANSACTION_IN_DOUBT".equals(e.getErrorCode())) {
                                throw e;
                            }
                            inDoubt.addAll(pending);
                            committed.addAll(pending); // may have been applied; if not, the messages come again
                        }
                        pending.clear();
                    }
                }
            } catch (Throwable e) {
                failure.add(e);
            }
        }

        void stop() throws InterruptedException {
            stopped = true;
            thread.join();
        }
    }

    private static void record(Message message, List<String> into, Set<String> redelivered) {
        try {
            String text = ((TextMessage) message).getText();
            if (message.getJMSRedelivered()) {
                redelivered.add(text);
            }
            into.add(text);
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }
}
