package io.strand.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.strand.broker.BrokerConfig;
import io.strand.broker.StrandBroker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The load tools in this JVM against a real broker on 127.0.0.1: what they send arrives, and they report it. */
class StrandPerfCliTest {
    @TempDir
    Path dataDir;
    private StrandBroker broker;

    record Run(int status, String out, String err) {
    }

    @BeforeEach
    void start() {
        Properties properties = new Properties();
        properties.setProperty(BrokerConfig.PORT, "0");
        properties.setProperty(BrokerConfig.HOST, "127.0.0.1");
        properties.setProperty(BrokerConfig.DATA_DIR, dataDir.toString());
        broker = StrandBroker.start(BrokerConfig.from(properties), null);
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine line = StrandPerfCli.commandLine();
        line.setOut(new PrintWriter(out));
        line.setErr(new PrintWriter(err));
        String[] withUrl = new String[args.length + 2];
        System.arraycopy(args, 0, withUrl, 0, args.length);
        withUrl[args.length] = "--url";
        withUrl[args.length + 1] = "strand://127.0.0.1:" + broker.address().getPort();
        return new Run(line.execute(withUrl), out.toString(), err.toString());
    }

    @Test
    void producesAndConsumesWithProgressAndALatencySummary() {
        Run produced = run("produce", "--queue", "load", "-n", "300", "-s", "256", "--progress-ms", "1");
        assertThat(produced.status()).as(produced.err()).isZero();
        assertThat(produced.out()).contains("sending 300 messages of 256 bytes to queue load")
                .containsPattern("s  sent [0-9,]+  [0-9,]+ msg/s  send p50 [0-9.]+ms  p99 [0-9.]+ms")
                .containsPattern("sent: +300").contains("LATENCIES")
                .containsPattern("LATENCY +COUNT +MIN MSEC +MEAN MSEC +P50 MSEC +P90 MSEC +P99 MSEC +P999 MSEC +MAX MSEC")
                .containsPattern("send +300 ");

        Run consumed = run("consume", "--queue", "load", "-n", "300", "-o", "json");
        assertThat(consumed.status()).as(consumed.err()).isZero();
        assertThat(consumed.out()).contains("\"received\": 300").contains("\"latency\": \"end-to-end\"")
                .contains("\"count\": 300").contains("\"p99Msec\": ");
    }

    @Test
    void paysAttentionToRateTransactionsAndPersistence() {
        long before = System.nanoTime();
        Run paced = run("produce", "--topic", "paced", "-n", "20", "-r", "100", "--transacted", "--batch", "5",
                "--non-persistent", "--progress-ms", "0");
        long tookMs = (System.nanoTime() - before) / 1_000_000;
        assertThat(paced.status()).as(paced.err()).isZero();
        assertThat(tookMs).as("20 messages at 100/s take 190 ms at least").isGreaterThanOrEqualTo(190);
        assertThat(paced.out()).containsPattern("persistent: +false").containsPattern("transacted: +true")
                .containsPattern("commit +4 ");

        run("produce", "--queue", "tx", "-n", "10", "--transacted", "--batch", "3", "--progress-ms", "0");
        Run consumed = run("consume", "--queue", "tx", "-n", "10", "--transacted", "--batch", "4");
        assertThat(consumed.status()).as(consumed.err()).isZero();
        assertThat(consumed.out()).containsPattern("received: +10");
    }

    @Test
    void reportsWhenFewerMessagesArriveThanAskedFor() {
        run("produce", "--queue", "short", "-n", "3", "--progress-ms", "0");
        Run consumed = run("consume", "--queue", "short", "-n", "5", "--idle-ms", "300");
        assertThat(consumed.status()).isEqualTo(1);
        assertThat(consumed.out()).containsPattern("received: +3");
        assertThat(consumed.err()).contains("received 3 of 5 messages; none arrived for 300 ms");

        Run noTarget = run("produce", "-n", "3");
        assertThat(noTarget.status()).isEqualTo(2);
        assertThat(noTarget.err()).contains("--queue").contains("--topic");
        // failoverTimeoutMs=0: one try, instead of trying again for the default failover deadline of 30 s.
        Run unreachable = new Run(StrandPerfCli.commandLine().execute("produce", "--queue", "q", "--url",
                "strand://127.0.0.1:1?failoverTimeoutMs=0"), "", "");
        assertThat(unreachable.status()).isEqualTo(1);
    }
}
