package io.strand.bench.broker;

import io.strand.broker.Launcher;
import io.strand.jms.StrandConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A broker holding N destinations with one message each (and a durable subscription on the first,
 * so that a message is waiting for it), restarted after a clean stop and after {@code kill -9}. For
 * each restart it reports the time from launching the broker JVM to the first message delivered to
 * the subscriber, and the broker's heap after a full GC ({@code jcmd GC.heap_info} is not needed:
 * the broker is asked to log it with {@code -Xlog:gc}). Everything runs on 127.0.0.1.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.strand.bench.broker.BrokerRestartScale [destinations]</pre>
 */
public final class BrokerRestartScale {
    private BrokerRestartScale() {
    }

    public static void main(String[] args) throws Exception {
        int destinations = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Path dir = Files.createTempDirectory("strand-broker-scale-");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path config = dir.resolve("broker.properties");
        Files.writeString(config, "port=" + port + "\ndata.dir=" + dir.resolve("data") + "\n");
        StrandConnectionFactory factory = new StrandConnectionFactory("strand://127.0.0.1:" + port);
        try {
            Process broker = launch(config);
            populate(factory, destinations);
            stop(broker, false);
            System.out.printf("populated %d destinations with one message each%n", destinations);

            long start = System.nanoTime();
            broker = launch(config);
            long firstMs = firstDelivery(factory, start);
            System.out.printf("after a clean stop: first message delivered %d ms after launch; %s%n", firstMs,
                    heapAfterGc(broker));
            stop(broker, true);

            start = System.nanoTime();
            broker = launch(config);
            firstMs = firstDelivery(factory, start);
            System.out.printf("after kill -9: first message delivered %d ms after launch; %s%n", firstMs,
                    heapAfterGc(broker));
            stop(broker, false);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static Process launch(Path config) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                Launcher.class.getName(), config.toString()).redirectErrorStream(true).start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = lines.readLine()) != null) {
            if (line.contains(" ready on strand://")) {
                Thread drain = new Thread(() -> {
                    try {
                        lines.lines().forEach(l -> { });
                    } catch (UncheckedIOException endOfBroker) {
                        // The broker's output closes when it stops or is killed.
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return process;
            }
        }
        throw new IllegalStateException("the broker exited before it was ready");
    }

    private static void populate(StrandConnectionFactory factory, int destinations) throws JMSException {
        try (Connection connection = factory.createConnection()) {
            connection.setClientID("scale");
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createDurableSubscriber(session.createTopic("dest-0"), "first").close();
            MessageProducer producer = session.createProducer(null);
            for (int i = 0; i < destinations; i++) {
                Topic topic = session.createTopic("dest-" + i);
                producer.send(topic, session.createTextMessage("message of destination " + i));
            }
        }
    }

    private static long firstDelivery(StrandConnectionFactory factory, long launchedNs) throws JMSException {
        while (true) {
            try (Connection connection = factory.createConnection()) {
                connection.setClientID("scale");
                Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
                MessageConsumer consumer = session.createDurableSubscriber(session.createTopic("dest-0"), "first");
                connection.start();
                Message message = consumer.receive(30_000);
                if (message == null) {
                    throw new IllegalStateException("no message for the durable subscriber within 30 s");
                }
                return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - launchedNs);
            } catch (JMSException e) {
                if (System.nanoTime() - launchedNs > TimeUnit.SECONDS.toNanos(60)) {
                    throw e;
                }
            }
        }
    }

    private static String heapAfterGc(Process broker) throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(broker.pid()), "GC.run").redirectErrorStream(true).start();
        jcmd.waitFor(30, TimeUnit.SECONDS);
        Process info = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(broker.pid()), "GC.heap_info").redirectErrorStream(true).start();
        String text = new String(info.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        info.waitFor(30, TimeUnit.SECONDS);
        for (String line : text.split("\n")) {
            if (line.contains("garbage-first heap")) {
                return "broker heap after full GC: " + line.trim();
            }
        }
        return "broker heap: " + text.trim();
    }

    private static void stop(Process broker, boolean kill9) throws InterruptedException {
        if (kill9) {
            broker.destroyForcibly();
        } else {
            broker.destroy();
        }
        if (!broker.waitFor(60, TimeUnit.SECONDS)) {
            broker.destroyForcibly();
        }
    }
}
