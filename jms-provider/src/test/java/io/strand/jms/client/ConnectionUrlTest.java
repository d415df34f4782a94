package io.strand.jms.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strand.jms.StrandConnectionFactory;
import io.strand.record.CompressionType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConnectionUrlTest {
    @Test
    void shouldParseHostListAndOptions() {
        final ConnectionUrl url = ConnectionUrl.parse("strand://b1:61617,b2.example.com:7000,[::1]:9?clientId=app&prefetch=50");
        assertThat(url.isVm()).isFalse();
        assertThat(url.hosts()).containsExactly(new ConnectionUrl.HostPort("b1", 61617),
                new ConnectionUrl.HostPort("b2.example.com", 7000), new ConnectionUrl.HostPort("::1", 9));
        final ClientOptions options = ClientOptions.from(url);
        assertThat(options.clientId()).isEqualTo("app");
        assertThat(options.prefetch()).isEqualTo(50);
        assertThat(url.toString()).isEqualTo("strand://b1:61617,b2.example.com:7000,[::1]:9");
    }

    @Test
    void shouldUseDefaultsWithoutOptions() {
        final ClientOptions o = ClientOptions.from(ConnectionUrl.parse("strand://localhost:61617"));
        assertThat(o.clientId()).isNull();
        assertThat(o.prefetch()).isEqualTo(1000);
        assertThat(o.lingerMs()).isZero();
        assertThat(o.batchBytes()).isEqualTo(64 * 1024);
        assertThat(o.heartbeatMs()).isEqualTo(10_000);
        assertThat(o.compression()).isEqualTo(CompressionType.LZ4);
        assertThat(o.maxUnconfirmedSendBytes()).isEqualTo(32L << 20);
    }

    @Test
    void shouldReadTheLimitOfUnconfirmedSends() {
        final ClientOptions o = ClientOptions.from(ConnectionUrl.parse("strand://a:1?maxUnconfirmedSendBytes=1048576"));
        assertThat(o.maxUnconfirmedSendBytes()).isEqualTo(1 << 20);
        assertThat(o.withClientId("x").maxUnconfirmedSendBytes()).isEqualTo(1 << 20);
    }

    @Test
    void shouldReadTheFailoverOptions() {
        final ClientOptions defaults = ClientOptions.from(ConnectionUrl.parse("strand://a:1,b:2"));
        assertThat(defaults.failoverTimeoutMs()).isEqualTo(30_000);
        assertThat(defaults.reconnectBackoffMs()).isEqualTo(100);
        assertThat(defaults.reconnectBackoffMaxMs()).isEqualTo(500);
        assertThat(defaults.callTimeoutMs()).as("a failover, then the broker's answer").isEqualTo(60_000);

        final ClientOptions set = ClientOptions.from(ConnectionUrl.parse(
                "strand://a:1?failoverTimeoutMs=0&reconnectBackoffMs=5&reconnectBackoffMaxMs=50&clientID=x"));
        assertThat(set.failoverTimeoutMs()).isZero();
        assertThat(set.reconnectBackoffMs()).isEqualTo(5);
        assertThat(set.reconnectBackoffMaxMs()).isEqualTo(50);
        assertThat(set.withClientId("y").failoverTimeoutMs()).isZero();

        final ClientOptions slowStart = ClientOptions.from(ConnectionUrl.parse("strand://a:1?reconnectBackoffMs=1000"));
        assertThat(slowStart.reconnectBackoffMaxMs()).as("never below the first backoff").isEqualTo(1000);
    }

    @Test
    void shouldParseTheEndpointABrokerNamesForAnother() {
        assertThat(ConnectionUrl.HostPort.parse("10.0.0.7:61617")).isEqualTo(new ConnectionUrl.HostPort("10.0.0.7", 61617));
        assertThat(ConnectionUrl.HostPort.parse("[::1]:9")).isEqualTo(new ConnectionUrl.HostPort("::1", 9));
        assertThatThrownBy(() -> ConnectionUrl.HostPort.parse("broker-2")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no port");
        assertThatThrownBy(() -> ConnectionUrl.HostPort.parse(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void shouldParseVmUrlAndPassUnknownOptionsToTheBroker() {
        final ConnectionUrl url = ConnectionUrl.parse("vm://embedded?dataDir=%2Ftmp%2Fstrand&prefetch=10");
        assertThat(url.isVm()).isTrue();
        assertThat(url.vmName()).isEqualTo("embedded");
        final ClientOptions o = ClientOptions.from(url);
        assertThat(o.prefetch()).isEqualTo(10);
        assertThat(o.brokerOptions()).isEqualTo(Map.of("dataDir", "/tmp/strand"));
        assertThat(ConnectionUrl.parse("vm://").vmName()).isEqualTo(ConnectionUrl.DEFAULT_VM_NAME);
        assertThat(ConnectionUrl.parse("VM://x/").vmName()).isEqualTo("x");
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', value = {
            "''                                      | connection URL is empty",
            "localhost:61617                         | no scheme",
            "tcp://localhost:61617                   | unknown scheme 'tcp'",
            "strand://                               | no host",
            "strand://localhost                      | has no port",
            "strand://localhost:http                 | port 'http' of host 'localhost' is not a number",
            "strand://localhost:70000                | port 70000 of host 'localhost' is outside [1, 65535]",
            "strand://a:1,,b:2                       | empty host in the host list",
            "strand://[::1:5                         | must be written [address]:port",
            "strand://a:1?prefetch                   | option 'prefetch' is not of the form key=value",
            "strand://a:1?prefetch=1&prefetch=2      | option 'prefetch' is given twice",
            "strand://a:1?bogus=1                    | unknown option(s) [bogus]",
            "strand://a:1?prefetch=0                 | option prefetch=0",
            "strand://a:1?prefetch=many              | option prefetch=many",
            "strand://a:1?compression=gzip           | option compression=gzip",
            "strand://a:1?heartbeatMs=50             | option heartbeatMs=50 in strand://a:1 is outside [1000, 3600000]",
            "strand://a:1?clientId=                  | option clientId must not be empty",
            "strand://a:1?maxUnconfirmedSendBytes=10 | option maxUnconfirmedSendBytes=10 in strand://a:1 is outside [1024,",
            "strand://a:1?failoverTimeoutMs=-1       | option failoverTimeoutMs=-1",
            "strand://a:1?reconnectBackoffMs=0       | option reconnectBackoffMs=0",
            "strand://a:1?reconnectBackoffMs=500&reconnectBackoffMaxMs=100 | reconnectBackoffMaxMs=100 in strand://a:1 is below reconnectBackoffMs=500",
            "vm://bad/name                           | embedded broker name 'bad/name'",
    })
    void shouldRejectBadUrlsWithAClearMessage(String url, String expected) {
        assertThatThrownBy(() -> ClientOptions.from(ConnectionUrl.parse(url)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(expected);
    }

    @Test
    void shouldCheckUrlWhenFactoryIsConfigured() {
        assertThatThrownBy(() -> new StrandConnectionFactory("strand://host")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid connection URL 'strand://host'");
        final StrandConnectionFactory factory = new StrandConnectionFactory();
        assertThatThrownBy(() -> factory.setUrl("nope")).hasMessageContaining("no scheme");
        factory.setUrl(" strand://h:1 ");
        assertThat(factory.getUrl()).isEqualTo("strand://h:1");
        assertThat(List.of(factory.toString())).containsExactly("StrandConnectionFactory[strand://h:1]");
    }
}
