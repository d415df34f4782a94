package io.strand.console;

import io.strand.broker.BrokerConfig;
import io.strand.broker.StrandBroker;
import io.strand.jms.StrandConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.util.Properties;

/** A real broker on 127.0.0.1 (any free port) for the console's tests, and a JMS client to feed it. */
public final class TestBroker implements AutoCloseable {
    private final StrandBroker broker;

    private TestBroker(StrandBroker broker) {
        this.broker = broker;
    }

    /** @param settings broker settings as key, value, key, value... */
    public static TestBroker start(Path dataDir, String... settings) {
        Properties properties = new Properties();
        properties.setProperty(BrokerConfig.HOST, "127.0.0.1");
        properties.setProperty(BrokerConfig.PORT, "0");
        properties.setProperty(BrokerConfig.DATA_DIR, dataDir.toString());
        for (int i = 0; i < settings.length; i += 2) {
            properties.setProperty(settings[i], settings[i + 1]);
        }
        return new TestBroker(StrandBroker.start(BrokerConfig.from(properties), null));
    }

    public String url() {
        return "strand://127.0.0.1:" + broker.address().getPort();
    }

    /** Sends text messages to a queue (or topic) as {@code user}, each with the property {@code origin}. */
    public void send(String user, String password, String destination, boolean topic, String... texts)
            throws JMSException {
        try (Connection connection = new StrandConnectionFactory(url()).createConnection(user, password)) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(topic ? session.createTopic(destination)
                    : session.createQueue(destination));
            for (String text : texts) {
                TextMessage message = session.createTextMessage(text);
                message.setStringProperty("origin", "console-test");
                producer.send(message);
            }
        }
    }

    @Override
    public void close() {
        broker.close();
    }
}
