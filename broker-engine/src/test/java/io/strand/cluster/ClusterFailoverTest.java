package io.strand.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.strand.admin.DescribeCluster;
import io.strand.admin.DescribeDestinations;
import io.strand.admin.ReassignPartition;
import io.strand.admin.StrandAdmin;
import io.strand.broker.BrokerConfig;
import io.strand.broker.StrandBroker;
import io.strand.jms.StrandConnectionFactory;
import io.strand.protocol.ApiKey;
import io.strand.protocol.DestinationType;
import io.strand.protocol.ErrorCode;
import io.strand.protocol.FrameHeader;
import io.strand.protocol.FrameReader;
import io.strand.protocol.Handshake;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jgroups.BytesMessage;
import org.jgroups.protocols.DISCARD;
import org.jgroups.protocols.TCP;
import org.jgroups.protocols.raft.REDIRECT;
import org.jgroups.stack.Protocol;
import org.jgroups.stack.ProtocolStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three brokers in one JVM form a cluster over JGroups on 127.0.0.1: one of them is active and serves
 * JMS clients, the others replicate every log; when the active broker goes, another takes over with
 * the queue's messages and its acknowledgements, and the client finds it.
 */
class ClusterFailoverTest {
    @TempDir
    Path dir;

    private final List<StrandBroker> brokers = new CopyOnWriteArrayList<>();
    /** The configuration each broker started with, so that a test can start it again. */
    private final Map<StrandBroker, BrokerConfig> configs = new ConcurrentHashMap<>();

    @AfterEach
    void stop() {
        brokers.forEach(StrandBroker::close);
    }

    private List<StrandBroker> startCluster(int size) throws Exception {
        return startCluster(size, new Properties());
    }

    private List<StrandBroker> startCluster(int size, Properties settings) throws Exception {
        List<String> peers = new ArrayList<>();
        List<Integer> bindPorts = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            int port = ClusterPorts.free();
            bindPorts.add(port);
            peers.add("127.0.0.1:" + port);
        }
        List<CompletableFuture<StrandBroker>> starting = new ArrayList<>();
        List<BrokerConfig> built = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            Properties properties = new Properties();
            properties.putAll(settings);
            properties.setProperty(BrokerConfig.PORT, "0");
            properties.setProperty(BrokerConfig.BROKER_ID, Integer.toString(i + 1));
            properties.setProperty(BrokerConfig.DATA_DIR, dir.resolve("broker-" + (i + 1)).toString());
            properties.setProperty("cluster.id", "test");
            properties.setProperty("cluster.bind", peers.get(i));
            properties.setProperty("cluster.peers", String.join(",", peers));
            properties.setProperty("replica.lag.time.max.ms", "2000");
            BrokerConfig config = BrokerConfig.from(properties);
            built.add(config);
            starting.add(CompletableFuture.supplyAsync(() -> StrandBroker.start(config, null)));
        }
        List<StrandBroker> started = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            StrandBroker broker = starting.get(i).get();
            started.add(broker);
            brokers.add(broker);
            configs.put(broker, built.get(i));
        }
        return started;
    }

    /** The broker that serves JMS clients, once one does. */
    private StrandBroker awaitActive(List<StrandBroker> candidates) {
        List<StrandBroker> active = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            for (StrandBroker broker : candidates) {
                if (broker.servesClients()) {
                    active.add(broker);
                    return true;
                }
            }
            return false;
        });
        return active.get(0);
    }

    /** A factory for one broker only: no other host to fail over to, and a client of a broker that stops serving fails. */
    private static StrandConnectionFactory factory(StrandBroker broker) {
        return new StrandConnectionFactory("strand://127.0.0.1:" + broker.address().getPort() + "?failoverTimeoutMs=0");
    }

    @Test
    void aQueueCarriesOnAtTheNextActiveBrokerWithNothingLostAndNothingAcknowledgedDeliveredAgain() throws Exception {
        List<StrandBroker> cluster = startCluster(3);
        StrandBroker first = awaitActive(cluster);

        try (Connection connection = factory(first).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue("orders");
            MessageProducer producer = session.createProducer(queue);
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (int i = 0; i < 200; i++) {
                producer.send(session.createTextMessage("order-" + i));
            }
            connection.start();
            MessageConsumer consumer = session.createConsumer(queue);
            for (int i = 0; i < 50; i++) {
                Message message = consumer.receive(10_000);
                assertThat(((TextMessage) message).getText()).isEqualTo("order-" + i);
            }
            consumer.close();
        }

        first.close();
        brokers.remove(first);
        List<StrandBroker> survivors = new ArrayList<>(cluster);
        survivors.remove(first);
        StrandBroker next = awaitActive(survivors);

        Set<String> received = new HashSet<>();
        try (Connection connection = factory(next).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue("orders");
            connection.start();
            MessageConsumer consumer = session.createConsumer(queue);
            for (int i = 50; i < 200; i++) {
                TextMessage message = (TextMessage) consumer.receive(10_000);
                assertThat(message).as("message %d after the failover", i).isNotNull();
                received.add(message.getText());
            }
            assertThat(consumer.receive(500)).as("nothing acknowledged before the failover comes again").isNull();
            // Sends go on with the two brokers left: both are in sync, which min.insync.replicas=2 needs.
            MessageProducer producer = session.createProducer(queue);
            producer.send(session.createTextMessage("after"));
            assertThat(((TextMessage) consumer.receive(10_000)).getText()).isEqualTo("after");
        }
        Set<String> expected = new HashSet<>();
        for (int i = 50; i < 200; i++) {
            expected.add("order-" + i);
        }
        assertThat(received).isEqualTo(expected);
    }

    /** A broker's answer to a client handshake, and when it came ({@link System#nanoTime}). */
    private record HandshakeAnswer(Handshake.Response response, long atNanos) {
    }

    /** Sends a client's handshake to the broker over a plain socket and waits for the answer. */
    private static HandshakeAnswer handshake(StrandBroker broker) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), broker.address().getPort())) {
            socket.setSoTimeout(30_000);
            ByteBuf frame = Unpooled.buffer();
            int start = new FrameHeader(ApiKey.HANDSHAKE.id, Handshake.MAX_VERSION, 1).begin(frame);
            new Handshake.Request(Handshake.MIN_VERSION, Handshake.MAX_VERSION, null, "test").writeTo(frame);
            FrameHeader.finish(frame, start);
            socket.getOutputStream().write(ByteBufUtil.getBytes(frame));
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] answer = new byte[in.readInt()];
            in.readFully(answer);
            long at = System.nanoTime();
            FrameReader reader = new FrameReader(Unpooled.wrappedBuffer(answer));
            FrameHeader.read(reader);
            return new HandshakeAnswer(Handshake.Response.readFrom(reader), at);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aClientHandshakeDuringAFailoverIsAnsweredOnceABrokerIsActiveWithThatBroker() throws Exception {
        List<StrandBroker> cluster = startCluster(3);
        StrandBroker first = awaitActive(cluster);
        List<StrandBroker> survivors = new ArrayList<>(cluster);
        survivors.remove(first);
        int firstId = nodeOf(first).nodeId();
        int firstPort = first.address().getPort();
        first.close();
        brokers.remove(first);
        // Until a survivor's view drops the broker that left, that broker is the active one as far as the survivor
        // can tell, and it names it: the view changes on each member a moment after the leaving one's close returns.
        for (StrandBroker survivor : survivors) {
            ClusterNode node = nodeOf(survivor);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
                    .until(() -> !node.members().contains(firstId));
        }

        // No broker is active now: the survivors hold the handshakes instead of naming none, or the dead one.
        Map<StrandBroker, CompletableFuture<HandshakeAnswer>> answers = new HashMap<>();
        for (StrandBroker survivor : survivors) {
            answers.put(survivor, CompletableFuture.supplyAsync(() -> handshake(survivor)));
        }
        List<StrandBroker> active = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> {
            survivors.stream().filter(StrandBroker::servesClients).findFirst().ifPresent(active::add);
            return !active.isEmpty();
        });
        long activeAt = System.nanoTime();
        StrandBroker next = active.get(0);

        HandshakeAnswer fromNext = answers.get(next).get(30, TimeUnit.SECONDS);
        StrandBroker other = survivors.stream().filter(b -> b != next).findFirst().orElseThrow();
        assertThat(fromNext.response().status().isOk()).as("the new active broker (port %d; the other survivor's "
                + "is %d, the closed broker's %d) accepts the handshake it held: %s", next.address().getPort(),
                other.address().getPort(), firstPort, fromNext.response().status().describe()).isTrue();
        HandshakeAnswer fromOther = answers.get(other).get(30, TimeUnit.SECONDS);
        assertThat(fromOther.response().status().error()).isEqualTo(ErrorCode.NOT_LEADER);
        assertThat(fromOther.response().leaderEndpoint()).as("the other survivor names the new active broker")
                .endsWith(":" + next.address().getPort());
        for (HandshakeAnswer answer : List.of(fromNext, fromOther)) {
            assertThat(TimeUnit.NANOSECONDS.toMillis(answer.atNanos() - activeAt))
                    .as("answered as soon as the new active broker serves clients").isLessThan(1_000);
        }
    }

    /** Counts the requests to the controller that go down one node's stack, by kind. */
    private static final class ControlRequestCounter extends Protocol {
        private final Map<Class<?>, AtomicInteger> sent = new ConcurrentHashMap<>();

        @Override
        public Object down(org.jgroups.Message message) {
            if (message instanceof BytesMessage && message.getDest() != null) {
                try {
                    if (ControlMessages.decode(message.getArray(), message.getOffset(), message.getLength())
                            instanceof ControlMessages.Request request) {
                        sent.computeIfAbsent(request.request().getClass(), kind -> new AtomicInteger())
                                .incrementAndGet();
                    }
                } catch (IllegalArgumentException notAControlMessage) {
                    // some other message of the node's own
                }
            }
            return down_prot.down(message);
        }

        int sent(Class<? extends ControlRequest> kind) {
            AtomicInteger count = sent.get(kind);
            return count == null ? 0 : count.get();
        }
    }

    private static void awaitIsrOfEveryPartition(StrandAdmin admin, String queue, int size) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(admin.describeDestinations(DestinationType.QUEUE, queue).get(0).partitions())
                        .allSatisfy(partition -> assertThat(partition.isr()).hasSize(size)));
    }

    @Test
    void aFollowerThatDiesAndComesBackCostsTheControllerAFewIsrRequestsNotOnePerPartition() throws Exception {
        List<StrandBroker> cluster = startCluster(3);
        StrandBroker active = awaitActive(cluster);
        try (StrandAdmin admin = StrandAdmin.connect("strand://127.0.0.1:" + active.address().getPort(), null,
                null)) {
            admin.createDestination(DestinationType.QUEUE, "wide", 300);
            awaitIsrOfEveryPartition(admin, "wide", 3);
            // The active broker leads every partition: only it asks the controller for ISR changes.
            ControlRequestCounter counter = new ControlRequestCounter();
            nodeOf(active).channel().getProtocolStack().insertProtocol(counter, ProtocolStack.Position.ABOVE,
                    REDIRECT.class);

            StrandBroker follower = cluster.stream().filter(b -> b != active).findFirst().orElseThrow();
            BrokerConfig followerConfig = configs.get(follower);
            follower.close();
            brokers.remove(follower);
            awaitIsrOfEveryPartition(admin, "wide", 2);
            Thread.sleep(5_000);
            assertThat(counter.sent(ControlRequest.AlterIsr.class))
                    .as("requests to take the dead follower back into the ISR").isLessThanOrEqualTo(2);

            StrandBroker back = StrandBroker.start(followerConfig, null);
            brokers.add(back);
            awaitIsrOfEveryPartition(admin, "wide", 3);
            assertThat(counter.sent(ControlRequest.AlterIsr.class))
                    .as("requests to take the follower back into the ISR of 306 partitions once it caught up")
                    .isLessThanOrEqualTo(20);
        }
    }

    /** The broker's JGroups membership, to cut it off the network as a partition would. */
    static ClusterNode nodeOf(StrandBroker broker) throws ReflectiveOperationException {
        Field cluster = StrandBroker.class.getDeclaredField("cluster");
        cluster.setAccessible(true);
        Object member = cluster.get(broker);
        Field node = member.getClass().getDeclaredField("node");
        node.setAccessible(true);
        return (ClusterNode) node.get(member);
    }

    @Test
    void anActiveBrokerCutOffFromTheMajorityStopsServingAndAfterHealingKeepsOnlyWhatTheMajorityAcknowledged()
            throws Exception {
        List<StrandBroker> cluster = startCluster(3);
        StrandBroker isolated = awaitActive(cluster);
        List<String> acknowledged = new ArrayList<>();
        Set<String> inDoubt = new HashSet<>();
        Connection before = factory(isolated).createConnection();
        Session session = before.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer producer = session.createProducer(session.createQueue("ledger"));
        for (int i = 0; i < 50; i++) {
            producer.send(session.createTextMessage("before-" + i));
            acknowledged.add("before-" + i);
        }

        ClusterNode node = nodeOf(isolated);
        node.channel().getProtocolStack().insertProtocol(new DISCARD().discardAll(true), ProtocolStack.Position.ABOVE,
                TCP.class);
        // The isolated broker keeps taking sends until it sees itself in a minority; then it drops its clients.
        for (int i = 0; i < 10_000; i++) {
            String text = "during-" + i;
            try {
                producer.send(session.createTextMessage(text));
                acknowledged.add(text);
            } catch (JMSException expected) {
                inDoubt.add(text);
                break;
            }
            Thread.sleep(5);
        }
        assertThat(inDoubt).as("the isolated broker stops acknowledging sends").hasSize(1);
        closeQuietly(before);

        List<StrandBroker> majority = new ArrayList<>(cluster);
        majority.remove(isolated);
        StrandBroker next = awaitActive(majority);
        try (Connection connection = factory(next).createConnection()) {
            Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("ledger"));
            for (int i = 0; i < 50; i++) {
                p.send(s.createTextMessage("after-" + i));
                acknowledged.add("after-" + i);
            }
        }

        node.channel().getProtocolStack().removeProtocol(DISCARD.class);
        // Healed, the old active broker follows the new one; then the new one goes and the old one may lead again.
        await().atMost(Duration.ofSeconds(60)).until(() -> node.members().size() == 3);
        next.close();
        brokers.remove(next);
        List<StrandBroker> left = new ArrayList<>(cluster);
        left.remove(next);
        StrandBroker last = awaitActive(left);
        List<String> received = new ArrayList<>();
        try (Connection connection = factory(last).createConnection()) {
            Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("ledger"));
            connection.start();
            TextMessage message;
            while ((message = (TextMessage) consumer.receive(3_000)) != null) {
                received.add(message.getText());
            }
        }
        assertThat(received).as("every acknowledged send, once").containsAll(acknowledged)
                .doesNotHaveDuplicates();
        List<String> unexpected = new ArrayList<>(received);
        unexpected.removeAll(acknowledged);
        unexpected.removeAll(inDoubt);
        assertThat(unexpected).as("nothing that was neither acknowledged nor in doubt").isEmpty();
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (JMSException ignored) {
            // the broker dropped it already
        }
    }

    @Test
    void theAdminApiShowsEveryBrokerAndEachPartitionsReplicasAndInSyncReplicas() throws Exception {
        List<StrandBroker> cluster = startCluster(3);
        StrandBroker active = awaitActive(cluster);
        try (Connection connection = factory(active).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createProducer(session.createQueue("audit")).send(session.createTextMessage("one"));
        }
        String url = "strand://127.0.0.1:" + active.address().getPort();
        try (StrandAdmin admin = StrandAdmin.connect(url, null, null)) {
            DescribeCluster.Response described = admin.describeCluster();
            assertThat(described.brokers()).extracting(DescribeCluster.Broker::id).containsExactly(1, 2, 3);
            assertThat(described.controllerId()).isIn(1, 2, 3);
            DescribeDestinations.Partition audit = admin.describeDestinations(DestinationType.QUEUE, "audit").get(0)
                    .partitions().get(0);
            assertThat(audit.replicas()).containsExactlyInAnyOrder(1, 2, 3);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(admin
                    .describeDestinations(DestinationType.QUEUE, "audit").get(0).partitions().get(0).isr())
                    .containsExactlyInAnyOrder(1, 2, 3));
            assertThat(audit.highWatermark()).isEqualTo(1);

            StrandBroker follower = cluster.stream().filter(b -> b != active).findFirst().orElseThrow();
            follower.close();
            brokers.remove(follower);

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                DescribeDestinations.Partition now = admin.describeDestinations(DestinationType.QUEUE, "audit").get(0)
                        .partitions().get(0);
                assertThat(now.isr()).hasSize(2);
                assertThat(now.underReplicated()).isTrue();
            });
            assertThat(admin.describeCluster().brokers()).hasSize(2);
        }
    }

    @Test
    void aPartitionMovesToAnotherBrokerWhichCopiesItBeforeTheOldReplicaIsDropped() throws Exception {
        Properties twoCopies = new Properties();
        twoCopies.setProperty("replication.factor", "2");
        twoCopies.setProperty("min.insync.replicas", "1");
        List<StrandBroker> cluster = startCluster(3, twoCopies);
        StrandBroker active = awaitActive(cluster);
        try (Connection connection = factory(active).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue("moving"));
            for (int i = 0; i < 20; i++) {
                producer.send(session.createTextMessage("m-" + i));
            }
        }
        String url = "strand://127.0.0.1:" + active.address().getPort();
        try (StrandAdmin admin = StrandAdmin.connect(url, null, null)) {
            DescribeDestinations.Partition before = admin.describeDestinations(DestinationType.QUEUE, "moving").get(0)
                    .partitions().get(0);
            assertThat(before.replicas()).hasSize(2).contains(before.leader());
            int activeId = before.leader();
            int dropped = before.replicas().stream().filter(id -> id != activeId).findFirst().orElseThrow();
            int added = 6 - activeId - dropped;

            admin.reassignPartition(new ReassignPartition.Request(DestinationType.QUEUE, "moving", 0,
                    List.of(activeId, added)));

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                DescribeDestinations.Partition now = admin.describeDestinations(DestinationType.QUEUE, "moving")
                        .get(0).partitions().get(0);
                assertThat(now.replicas()).containsExactly(activeId, added);
                assertThat(now.isr()).containsExactlyInAnyOrder(activeId, added);
            });
            Path droppedCopy = dir.resolve("broker-" + dropped).resolve("q$moving-0");
            Path addedCopy = dir.resolve("broker-" + added).resolve("q$moving-0");
            await().atMost(Duration.ofSeconds(30)).until(() -> !Files.exists(droppedCopy));
            assertThat(addedCopy).isDirectory();

            assertThatThrownBy(() -> admin.reassignPartition(new ReassignPartition.Request(DestinationType.QUEUE,
                    "moving", 0, List.of(dropped, added)))).hasMessageContaining("must include it");
        }
        try (Connection connection = factory(active).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue("moving"));
            connection.start();
            for (int i = 0; i < 20; i++) {
                assertThat(((TextMessage) consumer.receive(10_000)).getText()).isEqualTo("m-" + i);
            }
        }
    }
}
