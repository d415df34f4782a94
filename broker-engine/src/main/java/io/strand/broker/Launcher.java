package io.strand.broker;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * {@code strand [config.properties]}: starts a broker from a properties file, or with the defaults
 * (127.0.0.1:61617, data under {@code ./data}) when none is given, logs one line when it is ready,
 * and on SIGTERM (or Ctrl-C) shuts down cleanly so the next start needs no recovery. A bad setting
 * stops the start with a message naming it and exit status 2.
 */
public final class Launcher {
    private Launcher() {
    }

    public static void main(String[] args) throws InterruptedException {
        BrokerConfig config;
        try {
            config = BrokerConfig.from(readProperties(args));
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("strand: " + e.getMessage());
            System.exit(2);
            return;
        }
        StrandBroker broker;
        try {
            broker = StrandBroker.start(config, null);
        } catch (RuntimeException e) {
            System.err.println("strand: cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "strand-shutdown"));
        stopped.await();
    }

    private static Properties readProperties(String[] args) throws IOException {
        Properties properties = new Properties();
        if (args.length > 1) {
            throw new IllegalArgumentException("usage: strand [config.properties]");
        }
        if (args.length == 1) {
            Path file = Path.of(args[0]);
            if (!Files.isReadable(file)) {
                throw new IllegalArgumentException("cannot read the configuration file " + file.toAbsolutePath());
            }
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(reader);
            }
        }
        return properties;
    }
}
