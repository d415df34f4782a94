package io.strand.jms.spi;

import java.util.Map;

/**
 * Starts brokers inside the client's JVM for {@code vm://name?dataDir=...} URLs. Found through
 * {@link java.util.ServiceLoader}; present only when the broker module is on the classpath.
 * Implementations are thread-safe.
 */
public interface EmbeddedBrokerFactory {
    /**
     * The running embedded broker called {@code name}, started with {@code options} (for example
     * {@code dataDir}) if none runs yet. Each call takes a reference; release it with
     * {@link EmbeddedBroker#release()}. The broker stops when the last reference is released.
     *
     * @throws IllegalArgumentException naming an unknown or invalid option
     */
    EmbeddedBroker acquire(String name, Map<String, String> options);
}
