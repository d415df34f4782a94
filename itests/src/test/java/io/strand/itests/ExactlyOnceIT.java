package io.strand.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.strand.itests.app.LedgerApi;
import io.strand.itests.app.LedgerMdb;
import io.strand.jms.StrandConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.Queue;
import java.net.URL;
import java.time.Duration;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Exactly-once processing through XA: an MDB books every message of a batch as a database row in the same XA
 * transaction that consumes it, while the broker is killed with SIGKILL and restarted in the middle of the batch.
 * Every payment must be booked once: none lost (the broker keeps what was sent), none twice (a delivery whose
 * transaction did not commit is rolled back in the database too).
 */
@ExtendWith({StrandBrokerExtension.class, ArquillianExtension.class})
class ExactlyOnceIT {
    private static final int PAYMENTS = 300;

    @Deployment(testable = false)
    static WebArchive application() {
        return ShrinkWrap.create(WebArchive.class, "ledger.war")
                .addClasses(LedgerMdb.class, LedgerApi.class, LedgerApi.Rows.class);
    }

    @ArquillianResource
    private URL base;

    @Test
    void aBatchIsBookedExactlyOnceAcrossABrokerKilledMidBatch() throws Exception {
        final TestClient client = new TestClient(base);
        final BrokerProcess broker = StrandBrokerExtension.broker();
        assertThat(rows(client)).isEqualTo(new long[] {0, 0});
        try (JMSContext context = new StrandConnectionFactory(broker.url()).createContext()) {
            final Queue payments = context.createQueue("payments");
            final JMSProducer producer = context.createProducer();
            for (int i = 0; i < PAYMENTS; i++) {
                producer.send(payments, "payment-" + i);
            }
        }

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> rows(client)[0] >= PAYMENTS / 5);
        broker.kill9();
        final long[] atKill = rows(client);
        broker.launch();

        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(rows(client)[1]).isEqualTo(PAYMENTS));
        Thread.sleep(2000);
        assertThat(atKill[0]).as("rows booked when the broker was killed").isLessThan(PAYMENTS);
        assertThat(rows(client)).as("rows and distinct payments").isEqualTo(new long[] {PAYMENTS, PAYMENTS});
    }

    private static long[] rows(TestClient client) throws Exception {
        final TestClient.Response response = client.call("GET", "ledger/rows");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        final String[] counts = response.body().trim().split(" ");
        return new long[] {Long.parseLong(counts[0]), Long.parseLong(counts[1])};
    }
}
