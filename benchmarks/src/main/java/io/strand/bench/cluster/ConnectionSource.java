package io.strand.bench.cluster;

import io.strand.jms.StrandConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import java.util.List;

/** Where the failover benchmark's clients get a connection to the cluster from, again after each failure. */
public interface ConnectionSource {
    Connection open() throws JMSException;

    /**
     * The client's own failover: one factory with every broker in its URL
     * ({@code strand://h1:p1,h2:p2,h3:p3}), which finds the active broker and reconnects by itself.
     */
    static ConnectionSource productFailover(String multiHostUrl) {
        StrandConnectionFactory factory = new StrandConnectionFactory(multiHostUrl);
        return factory::createConnection;
    }

    /**
     * Without client failover: tries each broker's URL in turn (a broker that is not the active one refuses
     * the handshake) until one accepts, for {@code timeoutMs} at most. For developing against a client that
     * cannot fail over itself; the figures reported come from {@link #productFailover}.
     */
    static ConnectionSource reconnecting(List<String> urls, long timeoutMs) {
        List<StrandConnectionFactory> factories = urls.stream().map(StrandConnectionFactory::new).toList();
        return () -> {
            long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
            JMSException last = null;
            while (System.nanoTime() < deadline) {
                for (StrandConnectionFactory factory : factories) {
                    try {
                        Connection connection = factory.createConnection();
                        try {
                            connection.createSession(false, jakarta.jms.Session.AUTO_ACKNOWLEDGE).close();
                            return connection;
                        } catch (JMSException notActive) {
                            connection.close();
                            throw notActive;
                        }
                    } catch (JMSException e) {
                        last = e;
                    }
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            JMSException failed = new JMSException("no broker accepted a connection within " + timeoutMs + " ms");
            if (last != null) {
                failed.setLinkedException(last);
            }
            throw failed;
        };
    }
}
