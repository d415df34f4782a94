package io.strand.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.strand.admin.StrandAdmin;
import io.strand.broker.StrandBroker;
import io.strand.jms.StrandConnectionFactory;
import io.strand.protocol.DestinationType;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's procedure for a broker whose controller log is lost or damaged (docs/cluster.md, "Operations"):
 * stop it, delete {@code <data.dir>/cluster-metadata}, start it. It joins as a new run of the broker, takes the
 * metadata from the other voters' Raft leader, and its partition logs, kept, catch up from their leaders until
 * it is in sync for every partition again; what was acknowledged meanwhile survives the active broker.
 */
class MetadataLossClusterTest {
    @TempDir
    Path dir;

    private static String url(StrandBroker broker) {
        return "strand://127.0.0.1:" + broker.address().getPort();
    }

    @Test
    void aBrokerWhoseControllerLogWasDeletedRejoinsAndCatchesUp() throws Exception {
        try (InJvmCluster cluster = InJvmCluster.start(dir, 3, new Properties())) {
            StrandBroker active = InJvmCluster.awaitActive(cluster.brokers());
            try (StrandAdmin admin = StrandAdmin.connect(url(active), null, null)) {
                admin.createDestination(DestinationType.QUEUE, "kept", 2);
                awaitInSync(admin, 3);
            }
            send(url(active), 0, 50);

            int lostId = cluster.brokers().indexOf(cluster.brokers().stream().filter(b -> b != active).findFirst()
                    .orElseThrow()) + 1;
            cluster.brokers().get(lostId - 1).close();
            deleteTree(dir.resolve("broker-" + lostId).resolve("cluster-metadata"));
            send(url(active), 50, 100); // acknowledged by the two brokers left

            cluster.restart(lostId);
            try (StrandAdmin admin = StrandAdmin.connect(url(active), null, null)) {
                awaitInSync(admin, 3);
            }

            active.close();
            List<StrandBroker> survivors = new ArrayList<>(cluster.brokers());
            survivors.remove(active);
            StrandBroker next = InJvmCluster.awaitActive(survivors);
            List<String> received = InJvmCluster.receiveAll(url(next), "kept", null, null);
            assertThat(received).hasSize(100);
            for (int i = 0; i < 100; i++) {
                assertThat(received).contains("m" + i);
            }
        }
    }

    private static void awaitInSync(StrandAdmin admin, int replicas) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(admin.describeDestinations(DestinationType.QUEUE, "kept").get(0).partitions())
                        .allSatisfy(p -> assertThat(p.isr()).hasSize(replicas)));
    }

    private static void send(String url, int from, int to) throws JMSException {
        try (Connection connection = new StrandConnectionFactory(url).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue("kept"));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (int i = from; i < to; i++) {
                producer.send(session.createTextMessage("m" + i));
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
