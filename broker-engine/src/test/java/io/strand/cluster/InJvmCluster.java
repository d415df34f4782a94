package io.strand.cluster;

import static org.awaitility.Awaitility.await;

import io.strand.broker.BrokerConfig;
import io.strand.broker.StrandBroker;
import io.strand.jms.StrandConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Brokers of one cluster in this JVM, over JGroups on 127.0.0.1, each with a data directory of its own under a test's
 * directory; closing it stops those still running.
 */
final class InJvmCluster implements AutoCloseable {
    private final List<StrandBroker> brokers = new CopyOnWriteArrayList<>();
    /** Each broker's configuration, in the order of their ids, so that a test can start one again. */
    private final List<BrokerConfig> configs = new CopyOnWriteArrayList<>();

    private InJvmCluster() {
    }

    /** Starts {@code size} brokers with ids 1..size and {@code settings} on top of the cluster's. */
    static InJvmCluster start(Path dir, int size, Properties settings) throws Exception {
        InJvmCluster cluster = new InJvmCluster();
        List<String> peers = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            peers.add("127.0.0.1:" + ClusterPorts.free());
        }
        List<CompletableFuture<StrandBroker>> starting = new ArrayList<>();
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
            cluster.configs.add(config);
            starting.add(CompletableFuture.supplyAsync(() -> StrandBroker.start(config, null)));
        }
        try {
            for (CompletableFuture<StrandBroker> broker : starting) {
                cluster.brokers.add(broker.get());
            }
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** The brokers, in the order of their ids. */
    List<StrandBroker> brokers() {
        return brokers;
    }

    /** Starts the broker with id {@code id} again, on its data, after it was closed; it replaces the closed one. */
    StrandBroker restart(int id) {
        StrandBroker started = StrandBroker.start(configs.get(id - 1), null);
        brokers.set(id - 1, started);
        return started;
    }

    /** The broker among {@code candidates} that serves JMS clients, once one does. */
    static StrandBroker awaitActive(List<StrandBroker> candidates) {
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

    /**
     * Drains {@code queue} through the broker at {@code url}, logged in as {@code user} (null for anonymous): the
     * texts, until none comes for a second.
     */
    static List<String> receiveAll(String url, String queue, String user, String password) throws JMSException {
        try (Connection connection = new StrandConnectionFactory(url).createConnection(user, password)) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(queue));
            connection.start();
            List<String> texts = new ArrayList<>();
            for (Message m = consumer.receive(10_000); m != null; m = consumer.receive(1_000)) {
                texts.add(((TextMessage) m).getText());
            }
            return texts;
        }
    }

    @Override
    public void close() {
        brokers.forEach(StrandBroker::close);
    }
}
