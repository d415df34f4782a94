package io.strand.jms;

import io.strand.jms.spi.EmbeddedBroker;
import io.strand.jms.spi.EmbeddedBrokerFactory;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Registered in the test resources for ServiceLoader: vm://name URLs reach a {@link FakeBroker}. */
public final class TestEmbeddedBrokerFactory implements EmbeddedBrokerFactory {
    static final Map<String, FakeBroker> BROKERS = new ConcurrentHashMap<>();
    static final Map<String, Map<String, String>> OPTIONS = new ConcurrentHashMap<>();
    /** Releases per broker name: tests of one class may run in any order. */
    static final Map<String, AtomicInteger> RELEASED = new ConcurrentHashMap<>();

    @Override
    public EmbeddedBroker acquire(String name, Map<String, String> options) {
        if (options.containsKey("bogus")) {
            throw new IllegalArgumentException("unknown broker setting 'bogus'");
        }
        OPTIONS.put(name, Map.copyOf(options));
        final FakeBroker broker = BROKERS.computeIfAbsent(name, n -> {
            try {
                return new FakeBroker();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        return new EmbeddedBroker() {
            @Override
            public SocketAddress address() {
                return broker.address();
            }

            @Override
            public void release() {
                RELEASED.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
            }
        };
    }
}
