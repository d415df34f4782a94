package io.strand.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.strand.broker.BrokerConfig;
import io.strand.broker.StrandBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The two brokers an end-to-end test class runs its tests against: one listening on 127.0.0.1 for
 * {@code strand://}, and one embedded for {@code vm://}, both with the same broker settings. The
 * embedded broker starts with its first connection and stops with its last; {@link #stop} checks that
 * it stopped cleanly, which also proves every test closed its connections.
 */
final class TwoTransports {
    private final Path dir;
    private final String vmName;
    private final Map<String, String> brokerSettings;
    private final StrandBroker tcpBroker;

    /**
     * @param dir            the test class's temporary directory
     * @param vmName         the embedded broker's name, unique per test class
     * @param brokerSettings broker settings for both brokers
     */
    TwoTransports(Path dir, String vmName, Map<String, String> brokerSettings) {
        this.dir = dir;
        this.vmName = vmName;
        this.brokerSettings = brokerSettings;
        Properties properties = new Properties();
        properties.setProperty(BrokerConfig.PORT, "0");
        properties.setProperty(BrokerConfig.DATA_DIR, dir.resolve("tcp").toString());
        properties.putAll(brokerSettings);
        this.tcpBroker = StrandBroker.start(BrokerConfig.from(properties), null);
    }

    /** @param transport {@code tcp} or {@code vm} */
    StrandConnectionFactory factory(String transport) {
        return factory(transport, "");
    }

    /**
     * @param transport     {@code tcp} or {@code vm}
     * @param clientOptions client URL options without the leading {@code ?}, such as {@code prefetch=1}
     */
    StrandConnectionFactory factory(String transport, String clientOptions) {
        if (transport.equals("tcp")) {
            return new StrandConnectionFactory("strand://127.0.0.1:" + tcpBroker.address().getPort()
                    + (clientOptions.isEmpty() ? "" : "?" + clientOptions));
        }
        String settings = brokerSettings.entrySet().stream().map(e -> "&" + e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining());
        return new StrandConnectionFactory("vm://" + vmName + "?dataDir=" + dir.resolve("vm") + settings
                + (clientOptions.isEmpty() ? "" : "&" + clientOptions));
    }

    void stop() {
        tcpBroker.close();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(dir.resolve("vm").resolve(".clean-shutdown")).exists());
    }
}
