package io.strand.broker;

import io.strand.jms.spi.EmbeddedBroker;
import io.strand.jms.spi.EmbeddedBrokerFactory;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Brokers embedded in the client's JVM for {@code vm://name?dataDir=...} URLs, registered with
 * {@link java.util.ServiceLoader}. One broker per name, shared by reference count: the first
 * acquire starts it (TCP listener on a free loopback port plus an in-JVM listener named
 * {@code strand-<name>}), the last release stops it cleanly. Options are the broker's settings
 * ({@code dataDir} stands for {@code data.dir}; the default is {@code ./data/<name>}).
 */
public final class EmbeddedBrokers implements EmbeddedBrokerFactory {
    private static final Map<String, Running> RUNNING = new HashMap<>();

    @Override
    public EmbeddedBroker acquire(String name, Map<String, String> options) {
        synchronized (RUNNING) {
            Running running = RUNNING.get(name);
            if (running == null) {
                running = new Running(name, StrandBroker.start(configFor(name, options), "strand-" + name));
                RUNNING.put(name, running);
            }
            running.references++;
            return running.reference();
        }
    }

    private static BrokerConfig configFor(String name, Map<String, String> options) {
        Properties properties = new Properties();
        properties.setProperty(BrokerConfig.PORT, "0");
        properties.setProperty(BrokerConfig.DATA_DIR, Path.of("data", name).toString());
        options.forEach((key, value) -> properties.setProperty(key.equals("dataDir") ? BrokerConfig.DATA_DIR : key,
                value));
        return BrokerConfig.from(properties);
    }

    /** A running embedded broker and how many references to it are out. */
    private static final class Running {
        private final String name;
        private final StrandBroker broker;
        private int references;

        Running(String name, StrandBroker broker) {
            this.name = name;
            this.broker = broker;
        }

        EmbeddedBroker reference() {
            return new EmbeddedBroker() {
                private boolean released;

                @Override
                public SocketAddress address() {
                    return broker.localAddress();
                }

                @Override
                public void release() {
                    synchronized (RUNNING) {
                        if (released) {
                            return;
                        }
                        released = true;
                        if (--references == 0) {
                            RUNNING.remove(name);
                            broker.close();
                        }
                    }
                }
            };
        }
    }
}
