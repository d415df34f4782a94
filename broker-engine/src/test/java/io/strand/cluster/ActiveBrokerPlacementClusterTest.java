package io.strand.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.strand.admin.DescribeDestinations;
import io.strand.admin.StrandAdmin;
import io.strand.broker.StrandBroker;
import io.strand.jms.StrandConnectionFactory;
import io.strand.protocol.DestinationType;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three brokers: the active broker, which serves JMS clients, is not the controller (the Raft leader) while another
 * broker can serve, so that one broker's death costs either a JMS failover or a Raft election, never both; and the
 * controller's death moves no client.
 */
class ActiveBrokerPlacementClusterTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private static String url(StrandBroker broker) {
        return "strand://127.0.0.1:" + broker.address().getPort();
    }

    private static int controllerSeenBy(StrandBroker broker) {
        try (StrandAdmin admin = StrandAdmin.connect(url(broker), null, null)) {
            return admin.describeCluster().controllerId();
        }
    }

    private static int idOf(InJvmCluster cluster, StrandBroker broker) {
        return cluster.brokers().indexOf(broker) + 1;
    }

    @Test
    void theActiveBrokerIsNotTheControllerBeforeOrAfterAFailoverAndTheControllersDeathMovesNoClient() throws Exception {
        try (InJvmCluster cluster = InJvmCluster.start(dir, 3, new Properties())) {
            StrandBroker active = InJvmCluster.awaitActive(cluster.brokers());
            int controller = controllerSeenBy(active);
            assertThat(idOf(cluster, active)).as("the first active broker, with the controller on broker %d",
                    controller).isNotEqualTo(controller);

            int firstActive = idOf(cluster, active);
            active.close();
            List<StrandBroker> others = cluster.brokers().stream().filter(b -> b != active).toList();
            StrandBroker next = InJvmCluster.awaitActive(others);
            assertThat(controllerSeenBy(next)).as("the controller, which lived on").isEqualTo(controller);
            assertThat(idOf(cluster, next)).as("the next active broker").isNotEqualTo(controller);

            StrandBroker restarted = cluster.restart(firstActive);
            String urls = cluster.brokers().stream().map(b -> "127.0.0.1:" + b.address().getPort())
                    .collect(Collectors.joining(",", "strand://", ""));
            try (Connection connection = new StrandConnectionFactory(urls).createConnection();
                 StrandAdmin admin = StrandAdmin.connect(url(next), null, null)) {
                connection.start();
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer producer = session.createProducer(session.createQueue("placement"));
                producer.setDeliveryMode(DeliveryMode.PERSISTENT);
                producer.send(session.createTextMessage("before"));
                await().atMost(PATIENCE).untilAsserted(() -> {
                    DescribeDestinations.Partition partition = admin.describeDestinations(DestinationType.QUEUE,
                            "placement").get(0).partitions().get(0);
                    assertThat(partition.isr()).containsExactlyInAnyOrder(1, 2, 3);
                });

                cluster.brokers().get(controller - 1).close();

                await().atMost(PATIENCE).until(() -> controllerSeenBy(next) > 0
                        && controllerSeenBy(next) != controller);
                assertThat(next.servesClients()).as("the active broker serves on").isTrue();
                assertThat(restarted.servesClients()).isFalse();
                producer.send(session.createTextMessage("after"));
                MessageConsumer consumer = session.createConsumer(session.createQueue("placement"));
                assertThat(((TextMessage) consumer.receive(30_000)).getText()).isEqualTo("before");
                assertThat(((TextMessage) consumer.receive(30_000)).getText()).isEqualTo("after");
            }
        }
    }
}
