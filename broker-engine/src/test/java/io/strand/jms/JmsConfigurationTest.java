package io.strand.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strand.broker.BrokerConfig;
import io.strand.broker.StrandBroker;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.Properties;
import javax.naming.Context;
import javax.naming.InitialContext;
import javax.naming.NameNotFoundException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Administered objects from JNDI against a real broker, and a broker that does not auto-create destinations. */
class JmsConfigurationTest {
    @TempDir
    Path dir;

    private StrandBroker start(boolean autoCreate) {
        Properties properties = new Properties();
        properties.setProperty(BrokerConfig.PORT, "0");
        properties.setProperty(BrokerConfig.DATA_DIR, dir.toString());
        properties.setProperty(BrokerConfig.AUTO_CREATE, Boolean.toString(autoCreate));
        return StrandBroker.start(BrokerConfig.from(properties), null);
    }

    @Test
    void jndiNamesWithSlashesResolveToWorkingObjects() throws Exception {
        try (StrandBroker broker = start(true)) {
            Hashtable<String, String> environment = new Hashtable<>();
            environment.put(Context.INITIAL_CONTEXT_FACTORY, "io.strand.jms.jndi.StrandInitialContextFactory");
            environment.put("connectionFactory.jms/cf", "strand://127.0.0.1:" + broker.address().getPort());
            environment.put("topic.jms/prices", "prices");
            InitialContext context = new InitialContext(environment);

            ConnectionFactory factory = (ConnectionFactory) context.lookup("jms/cf");
            Topic topic = (Topic) context.lookup("jms/prices");
            assertThat(topic.getTopicName()).isEqualTo("prices");
            assertThatThrownBy(() -> context.lookup("jms/missing")).isInstanceOf(NameNotFoundException.class);
            try (Connection connection = factory.createConnection()) {
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = session.createConsumer(topic);
                connection.start();
                session.createProducer(topic).send(session.createTextMessage("via jndi"));
                assertThat(((TextMessage) consumer.receive(10_000)).getText()).isEqualTo("via jndi");
            }
        }
    }

    @Test
    void unknownDestinationIsInvalidWhenAutoCreationIsOff() throws Exception {
        try (StrandBroker broker = start(false);
             Connection connection = new StrandConnectionFactory("strand://127.0.0.1:" + broker.address().getPort())
                     .createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic missing = session.createTopic("missing");
            assertThatThrownBy(() -> session.createConsumer(missing)).isInstanceOf(InvalidDestinationException.class)
                    .hasMessageContaining("missing");
            assertThatThrownBy(() -> session.createProducer(missing).send(session.createTextMessage("x")))
                    .isInstanceOf(InvalidDestinationException.class).hasMessageContaining("missing");
        }
    }
}
