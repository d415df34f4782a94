package io.strand.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.strand.itests.app.InboxMdb;
import io.strand.itests.app.NewsMdb;
import io.strand.itests.app.PoisonMdb;
import io.strand.itests.app.Received;
import io.strand.itests.app.Sender;
import io.strand.itests.app.TestApi;
import io.strand.jms.StrandConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import java.net.URL;
import java.time.Duration;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The resource adapter deployed on Payara Micro against a broker in its own JVM: sends in container transactions
 * (XA, and a pool using local transactions), the simplified API and the injected JMSContext, message-driven beans
 * on a queue, on a durable topic subscription and one that always fails (their deliveries are transacted: XA), the
 * JMS 3.1 §12 rules, and reconnection after the broker is killed.
 */
@ExtendWith({StrandBrokerExtension.class, ArquillianExtension.class})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MessagingIT {
    private static final Duration DELIVERY = Duration.ofSeconds(30);

    @Deployment(testable = false)
    static WebArchive application() {
        // The adapter's classes are not packaged: they come from the deployed .rar.
        return ShrinkWrap.create(WebArchive.class, "itests.war")
                .addClasses(TestApi.class, TestApi.Endpoints.class, Sender.class, Received.class, InboxMdb.class,
                        NewsMdb.class, PoisonMdb.class);
    }

    @ArquillianResource
    private URL base;

    private TestClient client;

    @BeforeEach
    void client() {
        client = new TestClient(base);
    }

    @Test
    @Order(1)
    void aMessageSentInACommittedTransactionReachesTheQueueBean() throws Exception {
        assertThat(client.send("destination", "inbox", "text", "committed-1").status()).isEqualTo(200);

        await().atMost(DELIVERY).untilAsserted(() -> assertThat(client.received("inbox")).contains("committed-1"));
    }

    @Test
    @Order(2)
    void aMessageSentInARolledBackTransactionIsNeverDelivered() throws Exception {
        assertThat(client.send("destination", "inbox", "text", "rolled-back-1", "outcome", "rollback").status())
                .isEqualTo(200);
        assertThat(client.send("destination", "inbox", "text", "after-rollback-1").status()).isEqualTo(200);

        await().atMost(DELIVERY).untilAsserted(() -> assertThat(client.received("inbox")).contains("after-rollback-1"));
        Thread.sleep(1000);
        assertThat(client.received("inbox")).doesNotContain("rolled-back-1");
    }

    @Test
    @Order(3)
    void aFactoryPooledWithLocalTransactionsCommitsAndRollsBackWithTheContainer() throws Exception {
        assertThat(client.send("destination", "inbox", "text", "local-rolled-back", "api", "local", "outcome",
                "rollback").status()).isEqualTo(200);
        assertThat(client.send("destination", "inbox", "text", "local-committed", "api", "local").status()).isEqualTo(200);

        await().atMost(DELIVERY).untilAsserted(() -> assertThat(client.received("inbox")).contains("local-committed"));
        Thread.sleep(1000);
        assertThat(client.received("inbox")).doesNotContain("local-rolled-back");
    }

    @Test
    @Order(3)
    void theSimplifiedApiAnInjectedContextAndAnAdministeredQueueSendThroughThePool() throws Exception {
        assertThat(client.send("destination", "inbox", "text", "via-context", "api", "context").status()).isEqualTo(200);
        final TestClient.Response injected = client.send("destination", "inbox", "text", "via-injected", "api", "injected");
        assertThat(injected.status()).as(injected.body()).isEqualTo(200);
        assertThat(client.send("text", "via-administered-queue", "api", "administered").status()).isEqualTo(200);

        await().atMost(DELIVERY).untilAsserted(() -> assertThat(client.received("inbox"))
                .contains("via-context", "via-injected", "via-administered-queue"));
    }

    @Test
    @Order(4)
    void aDurableTopicSubscriptionBeanReceivesWhatIsPublished() throws Exception {
        assertThat(client.send("destination", "news", "topic", "true", "text", "headline-1").status()).isEqualTo(200);

        await().atMost(DELIVERY).untilAsserted(() -> assertThat(client.received("news")).containsExactly("headline-1"));
    }

    @Test
    @Order(5)
    void aMessageWhoseBeanAlwaysFailsIsRedeliveredThenDeadLettered() throws Exception {
        assertThat(client.send("destination", "poison", "text", "bad-1").status()).isEqualTo(200);

        final int attempts = StrandBrokerExtension.MAX_DELIVERY_ATTEMPTS;
        await().atMost(DELIVERY).untilAsserted(() -> assertThat(client.received("poison")).hasSize(attempts));
        assertThat(client.received("poison")).containsExactly("bad-1#1", "bad-1#2", "bad-1#3");
        try (JMSContext broker = new StrandConnectionFactory(StrandBrokerExtension.broker().url()).createContext()) {
            final Message dead = broker.createConsumer(broker.createQueue("DLQ.poison")).receive(20_000);
            assertThat(dead).isNotNull();
            assertThat(dead.getBody(String.class)).isEqualTo("bad-1");
        }
        Thread.sleep(1000);
        assertThat(client.received("poison")).hasSize(attempts);
    }

    @Test
    @Order(6)
    void whatJms31Section12ForbidsInAContainerThrowsIllegalStateException() throws Exception {
        final TestClient.Response response = client.call("GET", "api/forbidden");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body().split("\n")).containsExactly(
                "setClientID=IllegalStateException",
                "setExceptionListener=IllegalStateException",
                "stop=IllegalStateException",
                "secondSession=IllegalStateException",
                "setMessageListener=IllegalStateException",
                "commit=TransactionInProgressException");
    }

    @Test
    @Order(7)
    void afterTheBrokerIsKilledAndRestartedBeansAndSendersCarryOn() throws Exception {
        final BrokerProcess broker = StrandBrokerExtension.broker();
        broker.kill9();
        broker.launch();

        // Pooled connections broken by the kill are dropped; a send may fail until then.
        await().atMost(DELIVERY).pollInterval(Duration.ofMillis(500))
                .until(() -> client.send("destination", "inbox", "text", "after-restart-1").status() == 200);
        assertThat(client.send("destination", "news", "topic", "true", "text", "headline-2").status()).isEqualTo(200);

        await().atMost(DELIVERY).untilAsserted(() -> assertThat(client.received("inbox")).contains("after-restart-1"));
        await().atMost(DELIVERY).untilAsserted(() -> assertThat(client.received("news"))
                .containsExactly("headline-1", "headline-2"));
    }
}
