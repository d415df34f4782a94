package io.strand.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.strand.broker.BrokerConfig;
import io.strand.broker.StrandBroker;
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
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
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

    @AfterEach
    void stop() {
        brokers.forEach(StrandBroker::close);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private List<StrandBroker> startCluster(int size) throws Exception {
        List<String> peers = new ArrayList<>();
        List<Integer> bindPorts = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            int port = freePort();
            while (port > 65000) {
                port = freePort();
            }
            bindPorts.add(port);
            peers.add("127.0.0.1:" + port);
        }
        List<CompletableFuture<StrandBroker>> starting = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            Properties properties = new Properties();
            properties.setProperty(BrokerConfig.PORT, "0");
            properties.setProperty(BrokerConfig.BROKER_ID, Integer.toString(i + 1));
            properties.setProperty(BrokerConfig.DATA_DIR, dir.resolve("broker-" + (i + 1)).toString());
            properties.setProperty("cluster.id", "test");
            properties.setProperty("cluster.bind", peers.get(i));
            properties.setProperty("cluster.peers", String.join(",", peers));
            properties.setProperty("replica.lag.time.max.ms", "2000");
            BrokerConfig config = BrokerConfig.from(properties);
            starting.add(CompletableFuture.supplyAsync(() -> StrandBroker.start(config, null)));
        }
        List<StrandBroker> started = new ArrayList<>();
        for (CompletableFuture<StrandBroker> broker : starting) {
            started.add(broker.get());
            brokers.add(started.get(started.size() - 1));
        }
        return started;
    }

    /** The broker that accepts JMS connections, once one does. */
    private StrandBroker awaitActive(List<StrandBroker> candidates) {
        List<StrandBroker> active = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            for (StrandBroker broker : candidates) {
                try (Connection connection = factory(broker).createConnection()) {
                    connection.createSession().close();
                    active.add(broker);
                    return true;
                } catch (JMSException notActive) {
                    // not this one
                }
            }
            return false;
        });
        return active.get(0);
    }

    private static StrandConnectionFactory factory(StrandBroker broker) {
        return new StrandConnectionFactory("strand://127.0.0.1:" + broker.address().getPort());
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
}
