package io.strand.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.strand.admin.DescribeDestinations;
import io.strand.admin.StrandAdmin;
import io.strand.broker.StrandBroker;
import io.strand.jms.StrandConnectionFactory;
import io.strand.protocol.DestinationType;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An operator moves the active role to another broker that is in sync (a handover before maintenance, or back to
 * the broker it belongs on): the clients follow it without an error, nothing sent is lost, and the broker that had
 * the role stays in the cluster as a follower. A broker that is gone or out of sync is refused, naming why.
 */
class MoveActiveClusterTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String QUEUE = "handover";

    @TempDir
    Path dir;

    @Test
    void theActiveRoleMovesToAnotherBrokerAndTheClientsFollowWithNothingLost() throws Exception {
        try (InJvmCluster cluster = InJvmCluster.start(dir, 3, new Properties())) {
            StrandBroker first = InJvmCluster.awaitActive(cluster.brokers());
            int firstId = cluster.brokers().indexOf(first) + 1;
            int nextId = firstId % 3 + 1;
            StrandBroker next = cluster.brokers().get(nextId - 1);
            String url = urlOf(cluster);
            List<String> received = new ArrayList<>();
            try (Connection connection = new StrandConnectionFactory(url).createConnection();
                 StrandAdmin admin = StrandAdmin.connect(url, null, null)) {
                connection.start();
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer producer = session.createProducer(session.createQueue(QUEUE));
                MessageConsumer consumer = session.createConsumer(session.createQueue(QUEUE));
                send(session, producer, 0, 50);
                receive(consumer, 20, received);
                awaitInSync(admin);

                admin.moveActive(nextId);

                await().atMost(PATIENCE).until(next::servesClients);
                assertThat(first.servesClients()).as("broker %d, which handed the role over", firstId).isFalse();
                send(session, producer, 50, 100);
                receive(consumer, 100, received);
                assertThat(admin.describeCluster().brokers()).hasSize(3);
                awaitInSync(admin); // the broker that had the role follows and is in sync again
            }
            assertThat(received.stream().distinct()).hasSize(100);
        }
    }

    @Test
    void theActiveRoleDoesNotMoveToABrokerThatIsGoneOrOutOfTheCluster() throws Exception {
        try (InJvmCluster cluster = InJvmCluster.start(dir, 3, new Properties())) {
            StrandBroker active = InJvmCluster.awaitActive(cluster.brokers());
            int activeId = cluster.brokers().indexOf(active) + 1;
            int goneId = activeId % 3 + 1;
            cluster.brokers().get(goneId - 1).close();
            String url = "strand://127.0.0.1:" + active.address().getPort();
            try (StrandAdmin admin = StrandAdmin.connect(url, null, null)) {
                await().atMost(PATIENCE).untilAsserted(() -> assertThatThrownBy(() -> admin.moveActive(goneId))
                        .hasMessageContaining("broker " + goneId + " is not live"));
                assertThatThrownBy(() -> admin.moveActive(9)).hasMessageContaining("broker 9 is not a registered broker");
            }
            assertThat(active.servesClients()).isTrue();
        }
    }

    /**
     * {@code cluster.preferred.active.broker}: the broker the role belongs on takes it back after a failover once it
     * is back in sync, while a client sends and receives on through both moves.
     */
    @Test
    void thePreferredBrokerTakesTheActiveRoleBackOnceItReturnedAndCaughtUp() throws Exception {
        Properties settings = new Properties();
        settings.setProperty("cluster.preferred.active.broker", "1");
        try (InJvmCluster cluster = InJvmCluster.start(dir, 3, settings)) {
            StrandBroker preferred = cluster.brokers().get(0);
            await().atMost(PATIENCE).until(preferred::servesClients);
            String url = urlOf(cluster);
            List<String> received = new ArrayList<>();
            try (Connection connection = new StrandConnectionFactory(url).createConnection()) {
                connection.start();
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer producer = session.createProducer(session.createQueue(QUEUE));
                MessageConsumer consumer = session.createConsumer(session.createQueue(QUEUE));
                send(session, producer, 0, 20);
                receive(consumer, 10, received);

                preferred.close();
                StrandBroker stand = InJvmCluster.awaitActive(cluster.brokers().subList(1, 3));
                send(session, producer, 20, 40);
                receive(consumer, 25, received);
                StrandBroker returned = cluster.restart(1);

                await().atMost(PATIENCE).until(returned::servesClients);
                assertThat(stand.servesClients()).as("the broker that stood in").isFalse();
                send(session, producer, 40, 60);
                receive(consumer, 60, received);
            }
            assertThat(received.stream().distinct()).hasSize(60);
        }
    }

    private static String urlOf(InJvmCluster cluster) {
        return cluster.brokers().stream().map(b -> "127.0.0.1:" + b.address().getPort())
                .collect(Collectors.joining(",", "strand://", ""));
    }

    /** Sends "m{from}" to "m{to - 1}". */
    private static void send(Session session, MessageProducer producer, int from, int to) throws JMSException {
        for (int i = from; i < to; i++) {
            producer.send(session.createTextMessage("m" + i));
        }
    }

    /** Receives until {@code distinct} different messages came; one that comes again must be marked redelivered. */
    private static void receive(MessageConsumer consumer, int distinct, List<String> received) throws JMSException {
        while (received.stream().distinct().count() < distinct) {
            Message message = consumer.receive(PATIENCE.toMillis());
            assertThat(message).as("a message after %s", received).isNotNull();
            String text = ((TextMessage) message).getText();
            if (received.contains(text)) {
                assertThat(message.getJMSRedelivered()).as("%s came again", text).isTrue();
            }
            received.add(text);
        }
    }

    private static void awaitInSync(StrandAdmin admin) {
        await().atMost(PATIENCE).untilAsserted(() -> {
            DescribeDestinations.Partition partition = admin.describeDestinations(DestinationType.QUEUE, QUEUE)
                    .get(0).partitions().get(0);
            assertThat(partition.isr()).containsExactlyInAnyOrder(1, 2, 3);
        });
    }
}
