package io.strand.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.strand.broker.StrandBroker;
import io.strand.jms.StrandConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every broker of a cluster serves its Prometheus metrics: the active broker the destinations with their replicas and
 * in-sync replicas, a standby that it is one; when the active broker goes, the next one reports the destinations, with
 * a partition under-replicated while the broker that left is away.
 */
class ClusterMetricsTest {
    @TempDir
    Path dir;

    private static String scrape(StrandBroker broker) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + broker.metricsAddress().getPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static String partitionTags(String queue) {
        return "{destination=\"" + queue + "\",partition=\"0\",type=\"queue\"}";
    }

    @Test
    void theActiveBrokerReportsTheDestinationsAndTheStandbysThatTheyAreStandbys() throws Exception {
        Properties settings = new Properties();
        settings.setProperty("metrics.port", "0");
        try (InJvmCluster cluster = InJvmCluster.start(dir, 3, settings)) {
            StrandBroker active = InJvmCluster.awaitActive(cluster.brokers());
            try (Connection connection = new StrandConnectionFactory("strand://127.0.0.1:" + active.address().getPort()
                    + "?failoverTimeoutMs=0").createConnection()) {
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer producer = session.createProducer(session.createQueue("metered"));
                for (int i = 0; i < 3; i++) {
                    producer.send(session.createTextMessage("m" + i));
                }
            }
            String tags = partitionTags("metered");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(scrape(active))
                    .contains("strand_broker_active 1.0")
                    .contains("strand_destination_messages" + tags + " 3.0")
                    .contains("strand_partition_replicas" + tags + " 3.0")
                    .contains("strand_partition_in_sync_replicas" + tags + " 3.0")
                    .contains("strand_partition_under_replicated" + tags + " 0.0")
                    .contains("strand_destination_in_records_total" + tags + " 3.0"));
            List<StrandBroker> standbys = new ArrayList<>(cluster.brokers());
            standbys.remove(active);
            for (StrandBroker standby : standbys) {
                assertThat(scrape(standby)).contains("strand_broker_active 0.0")
                        .doesNotContain("strand_destination_messages{").contains("jvm_memory_used_bytes");
            }

            active.close();
            StrandBroker next = InJvmCluster.awaitActive(standbys);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(scrape(next))
                    .contains("strand_broker_active 1.0")
                    .contains("strand_destination_messages" + tags + " 3.0")
                    .contains("strand_partition_replicas" + tags + " 3.0")
                    .contains("strand_partition_in_sync_replicas" + tags + " 2.0")
                    .contains("strand_partition_under_replicated" + tags + " 1.0"));
        }
    }
}
