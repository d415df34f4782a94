package io.strand.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.strand.admin.AdminException;
import io.strand.admin.AlterDestination;
import io.strand.admin.DescribeDestinations;
import io.strand.admin.StrandAdmin;
import io.strand.broker.StrandBroker;
import io.strand.jms.StrandConnectionFactory;
import io.strand.protocol.DestinationType;
import io.strand.protocol.Destinations;
import io.strand.protocol.ErrorCode;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
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
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In a cluster of three brokers (replication.factor 3 and min.insync.replicas 2 by default), a destination is created
 * with a replication factor and a min.insync.replicas of its own, which the broker that leads it applies: a queue that
 * needs three in-sync copies refuses persistent sends once a broker is gone, while a queue with the defaults goes on;
 * the settings come from the replicated metadata, so they hold on the next active broker after a failover.
 */
class DestinationReplicationClusterTest {
    @TempDir
    Path dir;

    private static String url(StrandBroker broker) {
        return "strand://127.0.0.1:" + broker.address().getPort();
    }

    private static DescribeDestinations.Destination describe(StrandAdmin admin, String queue) {
        return admin.describeDestinations(DestinationType.QUEUE, queue).get(0);
    }

    private static void send(Session session, String queue, String text) throws JMSException {
        MessageProducer producer = session.createProducer(session.createQueue(queue));
        producer.setDeliveryMode(DeliveryMode.PERSISTENT);
        producer.send(session.createTextMessage(text));
        producer.close();
    }

    private static void assertRefused(Runnable call, ErrorCode error, String messagePart) {
        assertThatThrownBy(call::run).isInstanceOf(AdminException.class)
                .satisfies(e -> assertThat(((AdminException) e).error()).isEqualTo(error))
                .hasMessageContaining(messagePart);
    }

    @Test
    void aQueuesOwnReplicationIsAppliedByWhicheverBrokerLeadsIt() throws Exception {
        try (InJvmCluster cluster = InJvmCluster.start(dir, 3, new Properties())) {
            StrandBroker first = InJvmCluster.awaitActive(cluster.brokers());
            try (StrandAdmin admin = StrandAdmin.connect(url(first), null, null)) {
                admin.createDestination(DestinationType.QUEUE, "pair", 1, Map.of(Destinations.REPLICATION_FACTOR, "2"));
                admin.createDestination(DestinationType.QUEUE, "strict", 1,
                        Map.of(Destinations.MIN_INSYNC_REPLICAS, "3"));
                admin.createDestination(DestinationType.QUEUE, "flexible", 1, Map.of(Destinations.REPLICATION_FACTOR,
                        "3", Destinations.MIN_INSYNC_REPLICAS, "1"));
                admin.createDestination(DestinationType.QUEUE, "plain", 1);

                DescribeDestinations.Destination pair = describe(admin, "pair");
                assertThat(pair.replicationFactor()).isEqualTo(2);
                assertThat(pair.minInsyncReplicas()).as("the cluster's 2, at most the replication factor").isEqualTo(2);
                assertThat(pair.partitions().get(0).replicas()).hasSize(2);
                assertThat(describe(admin, "strict")).extracting(DescribeDestinations.Destination::replicationFactor,
                        DescribeDestinations.Destination::minInsyncReplicas).containsExactly(3, 3);
                assertThat(describe(admin, "plain")).extracting(DescribeDestinations.Destination::replicationFactor,
                        DescribeDestinations.Destination::minInsyncReplicas).containsExactly(3, 2);

                // Raising it on an existing queue goes through the metadata as well.
                admin.alterDestination(new AlterDestination.Request(DestinationType.QUEUE, "flexible", 0,
                        AlterDestination.UNCHANGED, AlterDestination.UNCHANGED,
                        Map.of(Destinations.MIN_INSYNC_REPLICAS, "3")));
                assertThat(describe(admin, "flexible").minInsyncReplicas()).isEqualTo(3);

                refusesBadValuesNamingThem(admin);
            }
            try (Connection connection = new StrandConnectionFactory(url(first) + "?failoverTimeoutMs=0")
                    .createConnection()) {
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                for (String queue : List.of("strict", "flexible", "plain", "pair", "auto")) {
                    send(session, queue, "before");
                }
            }

            first.close();
            List<StrandBroker> survivors = new ArrayList<>(cluster.brokers());
            survivors.remove(first);
            StrandBroker next = InJvmCluster.awaitActive(survivors);
            try (StrandAdmin admin = StrandAdmin.connect(url(next), null, null)) {
                assertThat(describe(admin, "strict").minInsyncReplicas()).isEqualTo(3);
                assertThat(describe(admin, "flexible").minInsyncReplicas()).isEqualTo(3);
                assertThat(describe(admin, "auto")).as("created on first use, with the cluster's settings")
                        .extracting(DescribeDestinations.Destination::replicationFactor,
                                DescribeDestinations.Destination::minInsyncReplicas).containsExactly(3, 2);
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(describe(admin, "strict").partitions().get(0).isr()).hasSize(2));
            }
            try (Connection connection = new StrandConnectionFactory(url(next) + "?failoverTimeoutMs=0")
                    .createConnection()) {
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                for (String queue : List.of("strict", "flexible")) {
                    assertThatThrownBy(() -> send(session, queue, "two copies only")).as(queue)
                            .isInstanceOf(JMSException.class)
                            .hasMessageContaining("has 2 in-sync replica(s), 3 are required (min.insync.replicas)")
                            .extracting(e -> ((JMSException) e).getErrorCode()).isEqualTo("NOT_ENOUGH_REPLICAS");
                }
                send(session, "plain", "after");
                send(session, "auto", "after");
            }

            // The broker that left comes back and catches up: the queue that needs three copies takes writes again.
            StrandBroker returned = cluster.restart(cluster.brokers().indexOf(first) + 1);
            try (StrandAdmin admin = StrandAdmin.connect(url(next), null, null)) {
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                        assertThat(describe(admin, "strict").partitions().get(0).isr()).hasSize(3));
            }
            assertThat(returned.servesClients()).isFalse();
            try (Connection connection = new StrandConnectionFactory(url(next) + "?failoverTimeoutMs=0")
                    .createConnection()) {
                send(connection.createSession(false, Session.AUTO_ACKNOWLEDGE), "strict", "three copies again");
            }
        }
    }

    @Test
    void partitionsAddedToAQueueAreReplicatedAndOutliveAFailover() throws Exception {
        try (InJvmCluster cluster = InJvmCluster.start(dir, 3, new Properties())) {
            StrandBroker first = InJvmCluster.awaitActive(cluster.brokers());
            try (StrandAdmin admin = StrandAdmin.connect(url(first), null, null)) {
                admin.createDestination(DestinationType.QUEUE, "grown", 1);
                admin.alterDestination(new AlterDestination.Request(DestinationType.QUEUE, "grown", 3,
                        AlterDestination.UNCHANGED, AlterDestination.UNCHANGED, Map.of()));
                List<DescribeDestinations.Partition> partitions = describe(admin, "grown").partitions();
                assertThat(partitions).hasSize(3).allSatisfy(p -> {
                    assertThat(p.replicas()).hasSize(3);
                    assertThat(p.leader()).as("the active broker leads the new partitions too")
                            .isEqualTo(partitions.get(0).leader());
                });
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(describe(admin, "grown")
                        .partitions()).allSatisfy(p -> assertThat(p.isr()).hasSize(3)));
                assertRefused(() -> admin.alterDestination(new AlterDestination.Request(DestinationType.QUEUE, "grown",
                        2, AlterDestination.UNCHANGED, AlterDestination.UNCHANGED, Map.of())), ErrorCode.INVALID_REQUEST,
                        "partitions can be added, never removed");
            }
            List<String> sent = new ArrayList<>();
            try (Connection connection = new StrandConnectionFactory(url(first) + "?failoverTimeoutMs=0")
                    .createConnection()) {
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer producer = session.createProducer(session.createQueue("grown"));
                for (int i = 0; i < 30; i++) {
                    TextMessage message = session.createTextMessage("m" + i);
                    message.setStringProperty("JMSXGroupID", "g" + i); // groups spread over the partitions
                    producer.send(message);
                    sent.add("m" + i);
                }
            }
            try (StrandAdmin admin = StrandAdmin.connect(url(first), null, null)) {
                assertThat(describe(admin, "grown").partitions()).as("every partition took messages")
                        .allSatisfy(p -> assertThat(p.highWatermark()).isPositive());
            }

            first.close();
            List<StrandBroker> survivors = new ArrayList<>(cluster.brokers());
            survivors.remove(first);
            StrandBroker next = InJvmCluster.awaitActive(survivors);
            try (StrandAdmin admin = StrandAdmin.connect(url(next), null, null)) {
                assertThat(describe(admin, "grown").partitions()).hasSize(3);
            }
            List<String> received = new ArrayList<>();
            try (Connection connection = new StrandConnectionFactory(url(next) + "?failoverTimeoutMs=0")
                    .createConnection()) {
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = session.createConsumer(session.createQueue("grown"));
                connection.start();
                for (Message m = consumer.receive(10_000); m != null; m = consumer.receive(1_000)) {
                    received.add(((TextMessage) m).getText());
                }
            }
            assertThat(received).as("what was sent to every partition, from the next active broker")
                    .containsExactlyInAnyOrderElementsOf(sent);
        }
    }

    private static void refusesBadValuesNamingThem(StrandAdmin admin) {
        assertRefused(() -> admin.createDestination(DestinationType.QUEUE, "bad", 1,
                Map.of(Destinations.REPLICATION_FACTOR, "0")), ErrorCode.INVALID_REQUEST,
                "replication.factor=0 of queue bad must be at least 1");
        assertRefused(() -> admin.createDestination(DestinationType.QUEUE, "bad", 1,
                Map.of(Destinations.REPLICATION_FACTOR, "4")), ErrorCode.INVALID_REQUEST,
                "replication.factor=4 of queue bad is more than the 3 broker(s) registered in cluster 'test'");
        assertRefused(() -> admin.createDestination(DestinationType.QUEUE, "bad", 1,
                Map.of(Destinations.MIN_INSYNC_REPLICAS, "0")), ErrorCode.INVALID_REQUEST,
                "min.insync.replicas=0 of queue bad must be at least 1");
        assertRefused(() -> admin.createDestination(DestinationType.QUEUE, "bad", 1,
                Map.of(Destinations.REPLICATION_FACTOR, "2", Destinations.MIN_INSYNC_REPLICAS, "3")),
                ErrorCode.INVALID_REQUEST, "min.insync.replicas=3 of queue bad is more than its replication.factor=2");
        assertRefused(() -> admin.createDestination(DestinationType.QUEUE, "bad", 1,
                Map.of(Destinations.MIN_INSYNC_REPLICAS, "4")), ErrorCode.INVALID_REQUEST,
                "min.insync.replicas=4 of queue bad is more than its replication.factor=3 (the cluster's");
        assertThat(admin.describeDestinations(DestinationType.QUEUE, null))
                .extracting(DescribeDestinations.Destination::name).doesNotContain("bad");

        assertRefused(() -> admin.alterDestination(new AlterDestination.Request(DestinationType.QUEUE, "pair", 0,
                AlterDestination.UNCHANGED, AlterDestination.UNCHANGED, Map.of(Destinations.MIN_INSYNC_REPLICAS, "3"))),
                ErrorCode.INVALID_REQUEST, "min.insync.replicas=3 of queue pair is more than its replication.factor=2");
        assertRefused(() -> admin.alterDestination(new AlterDestination.Request(DestinationType.QUEUE, "pair", 0,
                AlterDestination.UNCHANGED, AlterDestination.UNCHANGED, Map.of(Destinations.REPLICATION_FACTOR, "3"))),
                ErrorCode.INVALID_REQUEST, "replication.factor=3 of queue pair: the replication factor (2 now) is "
                        + "changed by moving each partition to more or fewer brokers");
        assertRefused(() -> admin.alterDestination(new AlterDestination.Request(DestinationType.QUEUE, "pair", 0,
                AlterDestination.UNCHANGED, AlterDestination.UNCHANGED, Map.of(Destinations.REPLICATION_FACTOR, "3"))),
                ErrorCode.INVALID_REQUEST, "strand-admin cluster reassign pair -t queue");
        assertThat(describe(admin, "pair").minInsyncReplicas()).isEqualTo(2);
    }
}
