package io.strand.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.strand.broker.StrandBroker;
import io.strand.jms.StrandConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster's next active broker replays its copy of the share-group state log while clients wait, so a follower's
 * copy must shrink as the leader's snapshots shrink the leader's: it rolls segments of the same small size and drops
 * those wholly below the leader's log start.
 */
class FollowerInternalLogClusterTest {
    private static final int MESSAGES = 6_000;

    @TempDir
    Path dir;

    /** The base offset of the oldest segment a broker keeps of the share-group state log. */
    private long oldestShareGroupSegment(int brokerId) {
        File[] segments = dir.resolve("broker-" + brokerId).resolve("$sharegroups-0").toFile()
                .listFiles((d, name) -> name.endsWith(".log"));
        return segments == null || segments.length == 0 ? 0 : Arrays.stream(segments)
                .mapToLong(f -> Long.parseLong(f.getName().substring(0, 20))).min().orElse(0);
    }

    @Test
    void followersDropTheShareGroupRecordsThatTheLeadersSnapshotsReplaced() throws Exception {
        try (InJvmCluster cluster = InJvmCluster.start(dir, 3, new Properties())) {
            StrandBroker active = InJvmCluster.awaitActive(cluster.brokers());
            try (Connection connection = new StrandConnectionFactory("strand://127.0.0.1:"
                    + active.address().getPort()).createConnection()) {
                connection.start();
                Session sending = connection.createSession(true, Session.SESSION_TRANSACTED);
                Queue queue = sending.createQueue("acknowledged");
                MessageProducer producer = sending.createProducer(queue);
                producer.setDeliveryMode(DeliveryMode.PERSISTENT);
                for (int i = 0; i < MESSAGES; i++) {
                    producer.send(sending.createTextMessage("m" + i));
                    if (i % 500 == 499) {
                        sending.commit();
                    }
                }
                // Each acknowledgement of its own is a share-group record: enough of them roll several segments.
                Session receiving = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
                MessageConsumer consumer = receiving.createConsumer(queue);
                for (int i = 0; i < MESSAGES; i++) {
                    Message received = consumer.receive(30_000);
                    assertThat(received).as("message %d", i).isNotNull();
                    received.acknowledge();
                }
            }
            int activeId = cluster.brokers().indexOf(active) + 1;
            assertThat(oldestShareGroupSegment(activeId)).as("the leader's snapshots deleted old segments")
                    .isPositive();
            for (int follower = 1; follower <= 3; follower++) {
                int id = follower;
                if (id != activeId) {
                    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(oldestShareGroupSegment(id))
                            .as("the oldest share-group segment broker %d keeps", id).isPositive());
                }
            }
        }
    }
}
