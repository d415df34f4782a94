package io.strand.jms;

import static org.assertj.core.api.Assertions.assertThat;

import io.strand.broker.BrokerConfig;
import io.strand.broker.StrandBroker;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a shared subscription's share group knows of its messages outlives a broker restart. */
class SharedSubscriptionRestartTest {
    private static final long WAIT_MS = 10_000;

    @TempDir
    Path dataDir;

    private StrandBroker start() {
        Properties properties = new Properties();
        properties.setProperty(BrokerConfig.PORT, "0");
        properties.setProperty(BrokerConfig.HOST, "127.0.0.1");
        properties.setProperty(BrokerConfig.DATA_DIR, dataDir.toString());
        properties.setProperty(BrokerConfig.MAX_DELIVERY_ATTEMPTS, "5");
        return StrandBroker.start(BrokerConfig.from(properties), null);
    }

    private static StrandConnectionFactory factory(StrandBroker broker) {
        return new StrandConnectionFactory("strand://127.0.0.1:" + broker.address().getPort());
    }

    @Test
    void aRecoveredMessagesDeliveryCountSurvivesARestart() throws Exception {
        try (StrandBroker broker = start(); Connection connection = factory(broker).createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Topic topic = session.createTopic("ledger");
            MessageConsumer consumer = session.createSharedDurableConsumer(topic, "posting");
            session.createProducer(topic).send(session.createTextMessage("entry"));
            assertThat(consumer.receive(WAIT_MS).getIntProperty("JMSXDeliveryCount")).isEqualTo(1);
            session.recover(); // counted on the broker as the second delivery
            assertThat(consumer.receive(WAIT_MS).getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
        }
        try (StrandBroker broker = start(); Connection connection = factory(broker).createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Message again = session.createSharedDurableConsumer(session.createTopic("ledger"), "posting")
                    .receive(WAIT_MS);
            assertThat(((TextMessage) again).getText()).isEqualTo("entry");
            assertThat(again.getIntProperty("JMSXDeliveryCount")).isEqualTo(3);
            assertThat(again.getJMSRedelivered()).isTrue();
        }
    }
}
