package io.strand.console;

import io.strand.console.view.ThroughputHistory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Which broker the console operates: the system property {@code strand.console.broker}, else the
 * environment variable {@code STRAND_URL} (as for strand-admin), else the broker {@code ./strand} starts.
 * Read once, when the console starts.
 */
@ApplicationScoped
public class ConsoleSettings {
    public static final String BROKER_PROPERTY = "strand.console.broker";
    public static final String BROKER_VARIABLE = "STRAND_URL";
    public static final String DEFAULT_BROKER = "strand://127.0.0.1:61617";

    private final String brokerUrl;

    public ConsoleSettings() {
        this(fromEnvironment());
    }

    ConsoleSettings(String brokerUrl) {
        this.brokerUrl = brokerUrl;
    }

    private static String fromEnvironment() {
        String property = System.getProperty(BROKER_PROPERTY);
        String variable = System.getenv(BROKER_VARIABLE);
        return property != null && !property.isBlank() ? property.trim()
                : variable != null && !variable.isBlank() ? variable.trim() : DEFAULT_BROKER;
    }

    public String brokerUrl() {
        return brokerUrl;
    }

    /** One history for every viewer: rates do not depend on who looks. */
    @Produces
    @Singleton
    static ThroughputHistory throughputHistory() {
        return new ThroughputHistory();
    }
}
