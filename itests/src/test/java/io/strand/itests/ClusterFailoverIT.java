package io.strand.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.strand.itests.app.ReplyMdb;
import io.strand.itests.app.Received;
import io.strand.itests.app.Sender;
import io.strand.itests.app.TestApi;
import io.strand.jms.StrandConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The resource adapter on Payara Micro against a cluster of three brokers, each in its own JVM, named by the
 * multi-host URL. While messages flow, the active broker is killed with SIGKILL and started again, several times;
 * the adapter's connections fail over to the broker that takes over, without the application being redeployed.
 *
 * <ul>
 * <li>Inbound: an MDB answers every request with a reply sent in the XA transaction that consumes the request. Every
 *     request is answered exactly once, none is lost, a request comes again only marked redelivered, and the bean
 *     goes on consuming after each kill.</li>
 * <li>Outbound: an EJB sends in container transactions while the active broker dies; a send whose call returned is
 *     never lost nor doubled.</li>
 * </ul>
 */
@ExtendWith({StrandClusterExtension.class, ArquillianExtension.class})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFailoverIT {
    private static final int KILLS = 3;
    /** Deliveries the bean must make after a kill before the next one: it consumes again, without a redeploy. */
    private static final int DELIVERIES_BETWEEN_KILLS = 40;
    private static final Duration PROGRESS = Duration.ofSeconds(90);

    @Deployment(testable = false)
    static WebArchive application() {
        return ShrinkWrap.create(WebArchive.class, "cluster.war")
                .addClasses(ReplyMdb.class, Received.class, Sender.class, TestApi.class, TestApi.Endpoints.class);
    }

    @ArquillianResource
    private URL base;

    @Test
    @Order(1)
    void everyRequestIsAnsweredExactlyOnceThroughKillsOfTheActiveBroker() throws Exception {
        final BrokerCluster cluster = StrandClusterExtension.cluster();
        final TestClient client = new TestClient(base);
        final List<String> sent = new CopyOnWriteArrayList<>();
        final Set<String> inDoubt = ConcurrentHashMap.newKeySet();
        final AtomicBoolean producing = new AtomicBoolean(true);
        final AtomicReference<Throwable> producerFailure = new AtomicReference<>();
        final Thread producer = new Thread(() -> produceRequests(cluster.url(), producing, sent, inDoubt,
                producerFailure), "request-producer");
        producer.start();
        final List<String> killed = new ArrayList<>();
        try {
            for (int kill = 1; kill <= KILLS; kill++) {
                awaitMoreDeliveries(client, "before kill " + kill);
                cluster.awaitInSync("requests", "replies");
                final long deliveriesAtKill = requestsDelivered(client);
                final int id = cluster.killActiveAndRestart();
                killed.add("broker " + id + " after " + deliveriesAtKill + " requests");
            }
            awaitMoreDeliveries(client, "after the last kill");
        } finally {
            producing.set(false);
            producer.join(120_000);
        }
        assertThat(producerFailure.get()).as("the producer failed").isNull();
        assertThat(sent).as("requests sent").hasSizeGreaterThan(KILLS * DELIVERIES_BETWEEN_KILLS);

        final Map<String, Integer> replies = new HashMap<>();
        try (Connection connection = new StrandConnectionFactory(cluster.url()).createConnection()) {
            final Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            final MessageConsumer consumer = session.createConsumer(session.createQueue("replies"));
            connection.start();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(10)).untilAsserted(() -> {
                drain(consumer, replies, 200);
                assertThat(replies.keySet()).as("requests answered").containsAll(sent);
            });
            drain(consumer, replies, 3_000); // a duplicate may come after the last one expected
        }

        final Map<String, Integer> firstDeliveries = new HashMap<>();
        final List<String> deliveries = client.received("requests");
        for (String delivery : deliveries) {
            if (!delivery.endsWith(" redelivered")) {
                firstDeliveries.merge(delivery, 1, Integer::sum);
            }
        }
        System.out.printf("ClusterFailoverIT: %d requests sent (%d in doubt), %d deliveries (%d redelivered), %d replies;"
                + " killed %s%n", sent.size(), inDoubt.size(), deliveries.size(),
                deliveries.stream().filter(d -> d.endsWith(" redelivered")).count(),
                replies.values().stream().mapToInt(Integer::intValue).sum(), killed);

        assertThat(replies.keySet()).as("every request sent is answered").containsAll(sent);
        replies.forEach((text, count) -> {
            assertThat(sent.contains(text) || inDoubt.contains(text)).as("a reply to %s, never sent", text).isTrue();
            assertThat(count).as("replies to %s", text).isEqualTo(1);
        });
        firstDeliveries.forEach((text, count) -> assertThat(count)
                .as("deliveries of %s not marked redelivered", text).isEqualTo(1));
    }

    /** Sends requests on the cluster's URL until told to stop; a send that throws is in doubt. */
    private static void produceRequests(String url, AtomicBoolean producing, List<String> sent, Set<String> inDoubt,
                                        AtomicReference<Throwable> failure) {
        try (Connection connection = new StrandConnectionFactory(url).createConnection()) {
            final Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            final MessageProducer producer = session.createProducer(session.createQueue("requests"));
            for (int i = 0; producing.get(); i++) {
                final String text = "request-" + i;
                try {
                    producer.send(session.createTextMessage(text));
                    sent.add(text);
                } catch (JMSException e) {
                    inDoubt.add(text);
                }
                Thread.sleep(10);
            }
        } catch (JMSException | RuntimeException e) {
            failure.set(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until the bean got {@value #DELIVERIES_BETWEEN_KILLS} more requests than now, not counting repeats. */
    private static void awaitMoreDeliveries(TestClient client, String when) throws Exception {
        final long before = requestsDelivered(client);
        await(when).atMost(PROGRESS).pollInterval(Duration.ofMillis(200))
                .until(() -> requestsDelivered(client) >= before + DELIVERIES_BETWEEN_KILLS);
    }

    private static long requestsDelivered(TestClient client) throws Exception {
        return client.received("requests").stream().map(d -> d.replace(" redelivered", "")).distinct().count();
    }

    /** Receives until none comes within {@code quietMs}, counting each text. */
    private static void drain(MessageConsumer consumer, Map<String, Integer> counts, long quietMs) throws JMSException {
        TextMessage message;
        while ((message = (TextMessage) consumer.receive(quietMs)) != null) {
            counts.merge(message.getText(), 1, Integer::sum);
        }
    }

    @Test
    @Order(2)
    void aSendInAContainerTransactionThatReturnedSurvivesAKillOfTheActiveBroker() throws Exception {
        final BrokerCluster cluster = StrandClusterExtension.cluster();
        final TestClient client = new TestClient(base);
        final List<String> acknowledged = new CopyOnWriteArrayList<>();
        final List<String> failed = new CopyOnWriteArrayList<>();
        final AtomicBoolean sending = new AtomicBoolean(true);
        final AtomicReference<Throwable> senderFailure = new AtomicReference<>();
        final Thread sender = new Thread(() -> {
            try {
                for (int i = 0; sending.get(); i++) {
                    final String text = "outbound-" + i;
                    final TestClient.Response response = client.send("destination", "outbound", "text", text);
                    (response.status() == 200 ? acknowledged : failed).add(text);
                }
            } catch (Exception e) {
                senderFailure.set(e);
            }
        }, "outbound-sender");
        sender.start();
        final List<String> killed = new ArrayList<>();
        try {
            for (int kill = 1; kill <= 2; kill++) {
                awaitMoreSends(acknowledged, "before kill " + kill);
                cluster.awaitInSync("outbound");
                killed.add("broker " + cluster.killActiveAndRestart() + " after " + acknowledged.size() + " sends");
            }
            awaitMoreSends(acknowledged, "after the last kill");
        } finally {
            sending.set(false);
            sender.join(120_000);
        }
        assertThat(senderFailure.get()).as("the sender failed").isNull();

        final Map<String, Integer> received = new HashMap<>();
        try (Connection connection = new StrandConnectionFactory(cluster.url()).createConnection()) {
            final Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            final MessageConsumer consumer = session.createConsumer(session.createQueue("outbound"));
            connection.start();
            drain(consumer, received, 3_000);
        }
        System.out.printf("ClusterFailoverIT: %d sends returned, %d failed, %d received; killed %s%n",
                acknowledged.size(), failed.size(), received.values().stream().mapToInt(Integer::intValue).sum(),
                killed);

        assertThat(received.keySet()).as("every send whose call returned").containsAll(acknowledged);
        received.forEach((text, count) -> {
            assertThat(acknowledged.contains(text) || failed.contains(text)).as("%s was never sent", text).isTrue();
            assertThat(count).as("copies of %s", text).isEqualTo(1);
        });
    }

    private static void awaitMoreSends(List<String> acknowledged, String when) {
        final int before = acknowledged.size();
        await(when).atMost(PROGRESS).pollInterval(Duration.ofMillis(100))
                .until(() -> acknowledged.size() >= before + DELIVERIES_BETWEEN_KILLS);
    }
}
