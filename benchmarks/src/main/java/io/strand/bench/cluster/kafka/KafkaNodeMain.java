package io.strand.bench.cluster.kafka;

import io.strand.bench.jms.process.OrphanGuard;

/**
 * A Kafka broker's JVM: the benchmarks' {@link OrphanGuard}, then Kafka's own entry point {@code kafka.Kafka} with
 * its arguments (the server properties file). Runs on {@code target/kafka-lib} plus {@code target/classes};
 * Kafka is called by name so that this module compiles without the Kafka server.
 */
public final class KafkaNodeMain {
    private KafkaNodeMain() {
    }

    public static void main(String[] args) throws Exception {
        OrphanGuard.start();
        Class.forName("kafka.Kafka").getMethod("main", String[].class).invoke(null, (Object) args);
    }
}
