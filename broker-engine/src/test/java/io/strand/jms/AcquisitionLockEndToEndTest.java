package io.strand.jms;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * With {@code acquisition.lock.ms} set, a message a live consumer holds unacknowledged longer than
 * the lock goes to another consumer, marked redelivered; the late acknowledgement of the first
 * consumer does no harm and the message is not delivered a third time.
 */
class AcquisitionLockEndToEndTest {
    private static final long WAIT_MS = 10_000;

    @TempDir
    static Path dir;
    private static TwoTransports brokers;

    @BeforeAll
    static void startBrokers() {
        brokers = new TwoTransports(dir, "locks", Map.of("acquisition.lock.ms", "500"));
    }

    @AfterAll
    static void stopBrokers() {
        brokers.stop();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void aMessageHeldPastTheLockGoesToAnotherConsumer(String transport) throws Exception {
        StrandConnectionFactory factory = brokers.factory(transport, "prefetch=1");
        try (Connection slow = factory.createConnection(); Connection fast = factory.createConnection()) {
            Session slowSession = slow.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Queue queue = slowSession.createQueue("work-" + UUID.randomUUID().toString().substring(0, 8));
            slowSession.createProducer(queue).send(slowSession.createTextMessage("job"));
            MessageConsumer slowConsumer = slowSession.createConsumer(queue);
            slow.start();
            Message held = slowConsumer.receive(WAIT_MS);
            assertThat(((TextMessage) held).getText()).isEqualTo("job");

            Session fastSession = fast.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer fastConsumer = fastSession.createConsumer(queue);
            fast.start();
            Message again = fastConsumer.receive(WAIT_MS);
            assertThat(again).as("released once the lock expired").isNotNull();
            assertThat(((TextMessage) again).getText()).isEqualTo("job");
            assertThat(again.getJMSRedelivered()).isTrue();
            assertThat(again.getIntProperty("JMSXDeliveryCount")).isEqualTo(2);

            held.acknowledge(); // late: the record is another consumer's now; nothing breaks
            again.acknowledge();
            slowConsumer.close();
            fastConsumer.close();
            MessageConsumer check = fastSession.createConsumer(queue);
            assertThat(check.receive(1500)).as("settled: not delivered a third time").isNull();
        }
    }
}
