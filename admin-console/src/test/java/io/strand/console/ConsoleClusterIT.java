package io.strand.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.strand.jms.StrandConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The console on Payara Micro operating a cluster of three brokers, each in its own JVM, through the multi-host URL
 * (which names a follower first, so the console has to follow the follower's NOT_LEADER answer): the overview lists
 * the brokers, the controller and the active broker, which leads every partition; a destination shows its leader,
 * replicas and in-sync replicas, which shrink while a follower is killed and grow back after its restart; and the
 * console answers through a kill of the active broker, its admin connection failing over to the broker that takes
 * over.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleClusterIT {
    private static final String QUEUE = "cluster.orders";
    private static final int PARTITIONS = 2;
    private static final Duration ISR_CHANGE = Duration.ofSeconds(60);

    private static ClusterBrokers cluster;
    private static PayaraConsole console;
    private static ConsoleClient client;
    private static String consoleUrl;

    @BeforeAll
    static void start() throws Exception {
        Path work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "console-cluster-it-");
        cluster = ClusterBrokers.start(work.resolve("brokers"));
        int active = cluster.awaitActive();
        List<Integer> followersFirst = new ArrayList<>();
        for (int id = 1; id <= ClusterBrokers.SIZE; id++) {
            if (id != active) {
                followersFirst.add(id);
            }
        }
        followersFirst.add(active);
        consoleUrl = cluster.url(followersFirst);
        Path artifacts = Path.of(System.getProperty("console.artifacts", "target/console-artifacts"));
        console = PayaraConsole.start(consoleUrl, work.resolve("console"), artifacts.resolve("payara-cluster.log"));
        client = new ConsoleClient(console.baseUrl());
        ConsoleClient.Answer session = client.get("session");
        assertThat(session.status()).as(String.valueOf(session.body())).isEqualTo(200);
        assertThat(session.object().get("mode").getAsString()).as("brokers without users").isEqualTo("open");

        ConsoleClient.Answer created = client.post("destinations",
                "{\"type\": \"queue\", \"name\": \"" + QUEUE + "\", \"partitions\": " + PARTITIONS + "}");
        assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
        try (Connection connection = new StrandConnectionFactory(cluster.url()).createConnection()) {
            Session jms = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = jms.createProducer(jms.createQueue(QUEUE));
            for (int i = 0; i < 10; i++) {
                producer.send(jms.createTextMessage("order-" + i));
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (console != null) {
            console.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static JsonObject overview() {
        ConsoleClient.Answer overview = client.get("overview");
        assertThat(overview.status()).as(String.valueOf(overview.body())).isEqualTo(200);
        return overview.object();
    }

    private static JsonObject destination() {
        ConsoleClient.Answer queue = client.get("destinations/queue/" + QUEUE);
        assertThat(queue.status()).as(String.valueOf(queue.body())).isEqualTo(200);
        return queue.object();
    }

    private static List<JsonObject> objects(JsonArray array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonElement::getAsJsonObject).toList();
    }

    private static List<Integer> ids(JsonArray array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonElement::getAsInt).toList();
    }

    private static JsonObject brokerOf(JsonObject overview, int id) {
        return objects(overview.getAsJsonArray("brokers")).stream().filter(b -> b.get("id").getAsInt() == id)
                .findFirst().orElseThrow(() -> new AssertionError("no broker " + id + " in " + overview));
    }

    private static JsonObject summary(JsonObject overview) {
        return objects(overview.getAsJsonArray("destinations")).stream()
                .filter(d -> d.get("name").getAsString().equals(QUEUE)).findFirst().orElseThrow();
    }

    /** Waits until every partition of the queue has all three brokers in sync. */
    private static void awaitFullyInSync() {
        await().atMost(ISR_CHANGE).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            for (JsonObject partition : objects(destination().getAsJsonArray("partitions"))) {
                assertThat(ids(partition.getAsJsonArray("isr"))).containsExactlyInAnyOrder(1, 2, 3);
                assertThat(partition.get("underReplicated").getAsBoolean()).isFalse();
            }
        });
    }

    @Test
    @Order(1)
    void theOverviewListsTheThreeBrokersTheControllerAndTheActiveBrokerThatLeadsEveryPartition() {
        int active = cluster.awaitActive();
        awaitFullyInSync();
        JsonObject overview = overview();

        assertThat(overview.get("brokerUrl").getAsString()).isEqualTo(consoleUrl);
        List<JsonObject> brokers = objects(overview.getAsJsonArray("brokers"));
        assertThat(brokers).extracting(b -> b.get("id").getAsInt()).containsExactlyInAnyOrder(1, 2, 3);
        for (JsonObject broker : brokers) {
            int id = broker.get("id").getAsInt();
            assertThat(broker.get("host").getAsString()).isEqualTo("127.0.0.1");
            assertThat(broker.get("port").getAsInt()).as("client port of broker %d", id).isEqualTo(cluster.port(id));
            assertThat(broker.get("replicasHeld").getAsInt()).as("partitions broker %d holds", id).isEqualTo(PARTITIONS);
            assertThat(broker.get("partitionsLed").getAsInt()).as("partitions broker %d leads", id)
                    .isEqualTo(id == active ? PARTITIONS : 0);
        }
        int controller = overview.get("controllerId").getAsInt();
        assertThat(controller).isIn(1, 2, 3);
        assertThat(brokers).filteredOn(b -> b.get("controller").getAsBoolean())
                .extracting(b -> b.get("id").getAsInt()).containsExactly(controller);
        assertThat(summary(overview).get("underReplicatedPartitions").getAsInt()).isZero();
        assertThat(summary(overview).get("messages").getAsLong()).isEqualTo(10);
    }

    @Test
    @Order(2)
    void aDestinationShowsItsLeaderReplicasAndInSyncReplicas() {
        int active = cluster.awaitActive();
        JsonObject queue = destination();

        List<JsonObject> partitions = objects(queue.getAsJsonArray("partitions"));
        assertThat(partitions).hasSize(PARTITIONS);
        for (JsonObject partition : partitions) {
            assertThat(partition.get("leader").getAsInt()).isEqualTo(active);
            assertThat(ids(partition.getAsJsonArray("replicas"))).containsExactlyInAnyOrder(1, 2, 3);
            assertThat(ids(partition.getAsJsonArray("isr"))).containsExactlyInAnyOrder(1, 2, 3);
            assertThat(partition.get("underReplicated").getAsBoolean()).isFalse();
        }
        assertThat(queue.get("messages").getAsLong()).isEqualTo(10);
    }

    @Test
    @Order(3)
    void aKilledFollowerLeavesTheInSyncReplicasAndComesBackInSyncAfterItsRestart() throws Exception {
        int active = cluster.awaitActive();
        int follower = active % ClusterBrokers.SIZE + 1;
        cluster.kill9(follower);

        await().atMost(ISR_CHANGE).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            for (JsonObject partition : objects(destination().getAsJsonArray("partitions"))) {
                assertThat(ids(partition.getAsJsonArray("isr"))).hasSize(2).doesNotContain(follower);
                assertThat(ids(partition.getAsJsonArray("replicas"))).containsExactlyInAnyOrder(1, 2, 3);
                assertThat(partition.get("underReplicated").getAsBoolean()).isTrue();
            }
        });
        JsonObject overview = overview();
        assertThat(summary(overview).get("underReplicatedPartitions").getAsInt()).isEqualTo(PARTITIONS);
        assertThat(objects(overview.getAsJsonArray("brokers"))).extracting(b -> b.get("id").getAsInt())
                .as("the live brokers").doesNotContain(follower).hasSize(2);

        cluster.launch(follower);
        awaitFullyInSync();
        assertThat(summary(overview()).get("underReplicatedPartitions").getAsInt()).isZero();
        assertThat(objects(overview().getAsJsonArray("brokers"))).hasSize(3);
    }

    @Test
    @Order(4)
    void theConsoleAnswersThroughAKillOfTheActiveBrokerByFailingOver() throws Exception {
        int active = cluster.awaitActive();
        awaitFullyInSync();
        cluster.kill9(active);

        // At once: the console's admin connection waits for the broker that takes over.
        JsonObject overview = overview();
        int next = cluster.awaitActive();
        assertThat(next).isNotEqualTo(active);
        assertThat(brokerOf(overview, next).get("partitionsLed").getAsInt()).isEqualTo(PARTITIONS);
        JsonObject queue = destination();
        assertThat(queue.get("messages").getAsLong()).as("nothing acknowledged is lost").isEqualTo(10);
        for (JsonObject partition : objects(queue.getAsJsonArray("partitions"))) {
            assertThat(partition.get("leader").getAsInt()).isEqualTo(next);
        }

        cluster.launch(active);
        awaitFullyInSync();
        assertThat(objects(overview().getAsJsonArray("brokers"))).extracting(b -> b.get("id").getAsInt())
                .containsExactlyInAnyOrder(1, 2, 3);
    }
}
