package io.strand.console;

import static io.strand.console.ConsoleServer.ADMIN;
import static io.strand.console.ConsoleServer.ADMIN_PASSWORD;
import static io.strand.console.ConsoleServer.VIEWER;
import static io.strand.console.ConsoleServer.VIEWER_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.strand.jms.StrandConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The REST API over HTTP, the console deployed on a real Payara Micro against a real broker: logins and
 * roles, every page, every change, and the error of each bad request. Each test uses names of its own.
 */
@ExtendWith(ConsoleServer.class)
class ConsoleApiIT {
    private static ConsoleServer.Running console;
    private static ConsoleClient admin;
    private static ConsoleClient viewer;

    @BeforeAll
    static void logIn(ConsoleServer.Running running) {
        console = running;
        admin = ConsoleClient.loggedIn(console, ADMIN, ADMIN_PASSWORD);
        viewer = ConsoleClient.loggedIn(console, VIEWER, VIEWER_PASSWORD);
    }

    private static long number(JsonElement json, String field) {
        return json.getAsJsonObject().get(field).getAsLong();
    }

    /** Whether a field is null, which the API may write or leave out. */
    private static boolean isNull(JsonObject json, String field) {
        return json.get(field) == null || json.get(field).isJsonNull();
    }

    @Test
    void aSessionNeedsALoginWithABrokerUser() {
        ConsoleClient anonymous = new ConsoleClient(console);
        ConsoleClient.Answer session = anonymous.get("session");
        assertThat(session.status()).isEqualTo(200);
        assertThat(session.object().get("mode").getAsString()).isEqualTo("login");
        assertThat(session.object().get("broker").getAsString()).isEqualTo(console.broker().url());
        assertThat(anonymous.get("overview").status()).isEqualTo(401);

        ConsoleClient.Answer refused = anonymous.post("session", "{\"user\": \"admin\", \"password\": \"guess\"}");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.error()).isEqualTo("user name or password not accepted by the broker");
        assertThat(anonymous.post("session", "{\"password\": \"x\"}").status()).isEqualTo(400);

        ConsoleClient.Answer loggedIn = anonymous.post("session", "{\"user\": \"viewer\", \"password\": \"viewer-secret\"}");
        assertThat(loggedIn.status()).isEqualTo(200);
        assertThat(loggedIn.object().get("mode").getAsString()).isEqualTo("user");
        assertThat(loggedIn.object().get("user").getAsString()).isEqualTo(VIEWER);
        assertThat(loggedIn.object().get("admin").getAsBoolean()).isFalse();
        assertThat(anonymous.get("overview").status()).isEqualTo(200);

        assertThat(anonymous.delete("session").status()).isEqualTo(204);
        assertThat(anonymous.get("overview").status()).as("logged out").isEqualTo(401);
        assertThat(admin.get("session").object().get("admin").getAsBoolean()).isTrue();
    }

    @Test
    void aReadOnlyUserSeesEverythingAndChangesNothing() throws Exception {
        console.broker().send(ADMIN, ADMIN_PASSWORD, "ro.orders", false, "one");
        assertThat(viewer.get("overview").status()).isEqualTo(200);
        assertThat(viewer.get("destinations/queue/ro.orders").status()).isEqualTo(200);
        assertThat(viewer.get("destinations/queue/ro.orders/messages").status()).isEqualTo(200);
        assertThat(viewer.get("connections").status()).isEqualTo(200);
        assertThat(viewer.get("dead-letters").status()).isEqualTo(200);
        assertThat(viewer.get("subscriptions").status()).isEqualTo(200);

        ConsoleClient.Answer create = viewer.post("destinations", "{\"type\": \"queue\", \"name\": \"ro.new\"}");
        assertThat(create.status()).isEqualTo(403);
        assertThat(create.error()).contains("only the broker's admins (auth.admins)");
        assertThat(viewer.post("destinations/queue/ro.orders/purge", "{}").status()).isEqualTo(403);
        assertThat(viewer.post("destinations/queue/ro.orders/rewind", "{\"offset\": 0}").status()).isEqualTo(403);
        assertThat(viewer.post("dead-letters/DLQ.ro.orders/redrive", "{}").status()).isEqualTo(403);
        assertThat(viewer.delete("destinations/queue/ro.orders").status()).isEqualTo(403);
        assertThat(admin.get("destinations/queue/ro.orders").object().get("messages").getAsLong()).isEqualTo(1);
    }

    @Test
    void theOverviewShowsTheBrokerItsDestinationsAndTheirLag() throws Exception {
        console.broker().send(ADMIN, ADMIN_PASSWORD, "ov.orders", false, "a", "b", "c");
        JsonObject overview = admin.get("overview").object();
        assertThat(overview.get("brokerUrl").getAsString()).isEqualTo(console.broker().url());
        JsonObject broker = overview.getAsJsonArray("brokers").get(0).getAsJsonObject();
        assertThat(broker.get("id").getAsInt()).isZero();
        assertThat(broker.get("controller").getAsBoolean()).isTrue();
        JsonObject orders = StreamSupport.stream(overview.getAsJsonArray("destinations").spliterator(), false)
                .map(JsonElement::getAsJsonObject).filter(d -> d.get("name").getAsString().equals("ov.orders"))
                .findFirst().orElseThrow();
        assertThat(orders.get("type").getAsString()).isEqualTo("queue");
        assertThat(number(orders, "messages")).isEqualTo(3);
        assertThat(number(orders, "lag")).isEqualTo(3);
        assertThat(number(overview.getAsJsonObject("totals"), "connections")).isGreaterThanOrEqualTo(2);
    }

    @Test
    void anAdminCreatesAltersBrowsesPurgesRewindsAndDeletesAQueue() throws Exception {
        ConsoleClient.Answer created = admin.post("destinations",
                "{\"type\": \"queue\", \"name\": \"adm.orders\", \"partitions\": 2}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.object().getAsJsonArray("partitions")).hasSize(2);

        console.broker().send(ADMIN, ADMIN_PASSWORD, "adm.orders", false, "order 1", "order 2", "order 3");
        JsonObject queue = admin.get("destinations/queue/adm.orders").object();
        assertThat(number(queue, "messages")).isEqualTo(3);
        assertThat(number(queue.getAsJsonObject("queue"), "lag")).isEqualTo(3);
        int partition = StreamSupport.stream(queue.getAsJsonArray("partitions").spliterator(), false)
                .map(JsonElement::getAsJsonObject).filter(p -> p.get("messages").getAsLong() == 3)
                .findFirst().orElseThrow().get("partition").getAsInt();

        JsonObject page = admin.get("destinations/queue/adm.orders/messages?partition=" + partition + "&newest=false")
                .object();
        assertThat(page.getAsJsonArray("messages")).hasSize(3);
        JsonObject first = page.getAsJsonArray("messages").get(0).getAsJsonObject();
        assertThat(first.get("bodyPreview").getAsString()).isEqualTo("order 1");
        assertThat(first.getAsJsonObject("properties").get("origin").getAsString()).isEqualTo("console-test");
        assertThat(admin.get("destinations/queue/adm.orders/messages?partition=" + partition + "&fromOffset=2")
                .object().getAsJsonArray("messages")).hasSize(1);

        JsonObject altered = admin.post("destinations/queue/adm.orders/settings",
                "{\"partitions\": 3, \"retentionMs\": 3600000}").object();
        assertThat(altered.getAsJsonArray("partitions")).hasSize(3);
        assertThat(number(altered, "retentionMs")).isEqualTo(3_600_000);

        assertThat(number(admin.post("destinations/queue/adm.orders/purge", "{}").body(), "messages")).isEqualTo(3);
        assertThat(number(admin.get("destinations/queue/adm.orders").object().getAsJsonObject("queue"), "lag")).isZero();
        ConsoleClient.Answer rewound = admin.post("destinations/queue/adm.orders/rewind", "{\"offset\": 0}");
        assertThat(rewound.status()).isEqualTo(200);
        assertThat(rewound.body().getAsJsonArray()).hasSize(3);
        assertThat(number(admin.get("destinations/queue/adm.orders").object().getAsJsonObject("queue"), "lag"))
                .as("the purged messages are back").isEqualTo(3);

        assertThat(admin.delete("destinations/queue/adm.orders").status()).isEqualTo(204);
        assertThat(admin.get("destinations/queue/adm.orders").status()).isEqualTo(404);
    }

    @Test
    void aBadRequestIsRefusedNamingTheProblem() {
        ConsoleClient.Answer badType = admin.post("destinations", "{\"type\": \"stream\", \"name\": \"x\"}");
        assertThat(badType.status()).isEqualTo(400);
        assertThat(badType.error()).isEqualTo("type 'stream' is neither queue nor topic");
        ConsoleClient.Answer badName = admin.post("destinations", "{\"type\": \"queue\", \"name\": \"no/slash\"}");
        assertThat(badName.status()).isEqualTo(400);
        assertThat(badName.error()).contains("no/slash");

        assertThat(admin.post("destinations", "{\"type\": \"queue\", \"name\": \"bad.twice\"}").status()).isEqualTo(201);
        ConsoleClient.Answer twice = admin.post("destinations", "{\"type\": \"queue\", \"name\": \"bad.twice\"}");
        assertThat(twice.status()).isEqualTo(409);
        assertThat(twice.error()).contains("bad.twice");

        assertThat(admin.get("destinations/queue/bad.missing").status()).isEqualTo(404);
        assertThat(admin.get("destinations/queue/bad.twice/messages?max=0").error()).contains("1 to 1000");
        ConsoleClient.Answer both = admin.post("destinations/queue/bad.twice/rewind", "{\"offset\": 0, \"timeMs\": 5}");
        assertThat(both.status()).isEqualTo(400);
        assertThat(both.error()).contains("exactly one");
        ConsoleClient.Answer outside = admin.post("destinations/queue/bad.twice/rewind", "{\"offset\": 99}");
        assertThat(outside.status()).isEqualTo(400);
        assertThat(outside.error()).contains("99");
        assertThat(admin.post("destinations/queue/bad.twice/settings", "{\"partitions\": 0, \"retentionMs\": -7}")
                .status()).isEqualTo(400);
        assertThat(admin.postForm("destinations", "type=queue&name=forged").status())
                .as("no HTML form of another site can make a change").isEqualTo(415);
        assertThat(admin.get("destinations/queue/forged").status()).isEqualTo(404);
    }

    @Test
    void showsRewindsAndDeletesDurableSubscriptions() throws Exception {
        try (Connection connection = new StrandConnectionFactory(console.broker().url())
                .createConnection(ADMIN, ADMIN_PASSWORD)) {
            connection.setClientID("it-reports");
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createDurableSubscriber(session.createTopic("sub.prices"), "daily").close();
        }
        console.broker().send(ADMIN, ADMIN_PASSWORD, "sub.prices", true, "1.0", "1.1");
        JsonObject subscription = admin.get("subscriptions?topic=sub.prices").body().getAsJsonArray().get(0)
                .getAsJsonObject();
        assertThat(subscription.get("clientId").getAsString()).isEqualTo("it-reports");
        assertThat(number(subscription, "lag")).isEqualTo(2);
        assertThat(number(subscription, "oldestAgeMs")).isGreaterThanOrEqualTo(0);
        JsonObject topic = admin.get("destinations/topic/sub.prices").object();
        assertThat(topic.getAsJsonArray("subscriptions")).hasSize(1);

        assertThat(admin.post("subscriptions/it-reports/daily/rewind", "{\"offset\": 2}").status()).isEqualTo(200);
        assertThat(number(admin.get("subscriptions?topic=sub.prices").body().getAsJsonArray().get(0), "lag")).isZero();
        assertThat(admin.delete("subscriptions/it-reports/daily").status()).isEqualTo(204);
        assertThat(admin.get("subscriptions?topic=sub.prices").body().getAsJsonArray()).isEmpty();
        assertThat(admin.delete("subscriptions/it-reports/daily").status()).isEqualTo(404);
    }

    @Test
    void redrivesDeadLettersBackToTheirQueue() throws Exception {
        console.broker().send(ADMIN, ADMIN_PASSWORD, "dl.payments", false, "poison");
        try (Connection connection = new StrandConnectionFactory(console.broker().url())
                .createConnection(ADMIN, ADMIN_PASSWORD)) {
            connection.start();
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            assertThat(session.createConsumer(session.createQueue("dl.payments")).receive(10_000)).isNotNull();
            session.rollback();
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                StreamSupport.stream(admin.get("dead-letters").body().getAsJsonArray().spliterator(), false)
                        .map(JsonElement::getAsJsonObject)
                        .filter(q -> q.get("name").getAsString().equals("DLQ.dl.payments"))
                        .mapToLong(q -> q.get("messages").getAsLong()).sum()).isEqualTo(1));
        JsonObject redriven = admin.post("dead-letters/DLQ.dl.payments/redrive", "{\"max\": 10}").object();
        assertThat(number(redriven, "moved")).isEqualTo(1);
        assertThat(number(redriven.getAsJsonObject("toQueues"), "dl.payments")).isEqualTo(1);
        assertThat(number(admin.get("destinations/queue/dl.payments").object().getAsJsonObject("queue"), "lag"))
                .isEqualTo(1);
    }

    @Test
    void listsConnectionsByClientIdWithEachSessionsConsumersRateInFlightAndLag() throws Exception {
        console.broker().send(ADMIN, ADMIN_PASSWORD, "con.orders", false, "o1", "o2", "o3");
        try (Connection connection = new StrandConnectionFactory(console.broker().url() + "?prefetch=2")
                .createConnection(ADMIN, ADMIN_PASSWORD)) {
            connection.setClientID("it-shop");
            connection.start();
            Session receiving = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            receiving.createConsumer(receiving.createQueue("con.orders"));
            Session subscribing = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            subscribing.createSharedDurableConsumer(subscribing.createTopic("con.events"), "audit");
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                JsonObject shop = StreamSupport.stream(viewer.get("connections").body().getAsJsonArray().spliterator(),
                                false).map(JsonElement::getAsJsonObject)
                        .filter(g -> !isNull(g, "clientId") && g.get("clientId").getAsString().equals("it-shop"))
                        .findFirst().orElseThrow();
                assertThat(number(shop, "consumers")).isEqualTo(2);
                assertThat(number(shop, "inFlight")).isEqualTo(2);
                JsonObject sessions = shop.getAsJsonArray("connections").get(0).getAsJsonObject();
                assertThat(sessions.get("user").getAsString()).isEqualTo(ADMIN);
                JsonObject first = sessions.getAsJsonArray("sessions").get(0).getAsJsonObject();
                assertThat(first.get("id").getAsInt()).isZero();
                JsonObject queue = first.getAsJsonArray("consumers").get(0).getAsJsonObject();
                assertThat(queue.get("kind").getAsString()).isEqualTo("queue");
                assertThat(number(queue, "inFlight")).isEqualTo(2);
                assertThat(number(queue, "lag")).isEqualTo(1);
                assertThat(queue.get("deliveryRate").getAsDouble()).isPositive();
                JsonObject shared = sessions.getAsJsonArray("sessions").get(1).getAsJsonObject()
                        .getAsJsonArray("consumers").get(0).getAsJsonObject();
                assertThat(shared.get("kind").getAsString()).isEqualTo("shared-durable");
                assertThat(shared.get("subscription").getAsString()).isEqualTo("audit");
            });
        }
    }

    @Test
    void showsRedrivesAndDeletesSharedSubscriptions() throws Exception {
        try (Connection connection = new StrandConnectionFactory(console.broker().url())
                .createConnection(ADMIN, ADMIN_PASSWORD)) {
            connection.start();
            Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer counter = session.createSharedDurableConsumer(session.createTopic("sh.clicks"), "counter");
            console.broker().send(ADMIN, ADMIN_PASSWORD, "sh.clicks", true, "c1");
            assertThat(counter.receive(10_000)).isNotNull();
            JsonObject subscription = admin.get("subscriptions?topic=sh.clicks").body().getAsJsonArray().get(0)
                    .getAsJsonObject();
            assertThat(subscription.get("kind").getAsString()).isEqualTo("shared-durable");
            assertThat(isNull(subscription, "clientId")).isTrue();
            assertThat(subscription.getAsJsonArray("members")).hasSize(1);
            assertThat(subscription.get("deadLetterQueue").getAsString()).isEqualTo("DLQ.sh.clicks");
            ConsoleClient.Answer inUse = admin.delete("subscriptions/-/counter");
            assertThat(inUse.status()).isEqualTo(409);
            assertThat(inUse.error()).contains("active consumer");
            session.recover(); // max.delivery.attempts=1: to DLQ.sh.clicks
            assertThat(counter.receive(300)).isNull();
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonObject dlq = StreamSupport.stream(admin.get("dead-letters").body().getAsJsonArray().spliterator(), false)
                    .map(JsonElement::getAsJsonObject)
                    .filter(q -> q.get("name").getAsString().equals("DLQ.sh.clicks")).findFirst().orElseThrow();
            assertThat(number(dlq, "messages")).isEqualTo(1);
            assertThat(dlq.getAsJsonArray("sourceSubscriptions").get(0).getAsJsonObject().get("subscription")
                    .getAsString()).isEqualTo("counter");
        });
        JsonObject redriven = admin.post("dead-letters/DLQ.sh.clicks/redrive", "{}").object();
        assertThat(number(redriven, "moved")).isEqualTo(1);
        JsonObject moved = redriven.getAsJsonArray("toSubscriptions").get(0).getAsJsonObject();
        assertThat(moved.get("topic").getAsString()).isEqualTo("sh.clicks");
        assertThat(moved.get("subscription").getAsString()).isEqualTo("counter");
        assertThat(number(admin.get("subscriptions?topic=sh.clicks").body().getAsJsonArray().get(0), "lag"))
                .isEqualTo(1);

        assertThat(viewer.delete("subscriptions/-/counter").status()).isEqualTo(403);
        assertThat(admin.delete("subscriptions/-/counter").status()).isEqualTo(204);
        assertThat(admin.get("subscriptions?topic=sh.clicks").body().getAsJsonArray()).isEmpty();
        assertThat(admin.delete("subscriptions/-/counter").status()).isEqualTo(404);
    }

    @Test
    void servesTheWebUiAndItsChartLibrary() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> index = http.send(HttpRequest.newBuilder(URI.create(console.baseUrl())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(index.statusCode()).isEqualTo(200);
        String chartPath = index.body().replaceAll("(?s).*src=\"(webjars/chart\\.js/[^\"]+)\".*", "$1");
        assertThat(chartPath).startsWith("webjars/chart.js/").endsWith("/dist/chart.umd.min.js");
        HttpResponse<String> chart = http.send(HttpRequest.newBuilder(URI.create(console.baseUrl() + chartPath)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(chart.statusCode()).isEqualTo(200);
        assertThat(chart.body()).contains("Chart");
    }
}
