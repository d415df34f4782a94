package io.strand.jms.client;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.JMSException;
import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

class ConnectorTest {
    @Test
    void shouldSayBrokerEngineMustBeOnClasspathWhenNoEmbeddedBrokerIsFound() {
        final ClassLoader empty = new URLClassLoader(new URL[0], null);
        assertThatThrownBy(() -> Connector.findEmbeddedBrokerFactory(empty)).isInstanceOf(JMSException.class)
                .hasMessageContaining("broker-engine").hasMessageContaining("classpath");
    }

    @Test
    void shouldNameEveryHostThatFailed() {
        final ConnectionUrl url = ConnectionUrl.parse("strand://127.0.0.1:1,127.0.0.1:2?connectTimeoutMs=2000");
        assertThatThrownBy(() -> Connector.connect(url, ClientOptions.from(url))).isInstanceOf(JMSException.class)
                .hasMessageContaining("cannot connect to any broker of strand://127.0.0.1:1,127.0.0.1:2")
                .hasMessageContaining("127.0.0.1:1:").hasMessageContaining("127.0.0.1:2:");
    }
}
