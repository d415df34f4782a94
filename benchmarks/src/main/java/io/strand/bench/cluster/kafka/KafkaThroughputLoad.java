package io.strand.bench.cluster.kafka;

import io.strand.bench.cluster.CpuWindow;
import io.strand.bench.cluster.ThroughputLoads;
import io.strand.bench.cluster.ThroughputRow;
import io.strand.bench.jms.process.Flags;
import io.strand.bench.jms.process.OrphanGuard;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The throughput benchmark's load generator for Kafka (a JVM of its own on {@code target/kafka-lib}): W1 and W3 as
 * the shared whole-system harness runs them against Kafka, on topics of one partition replicated to
 * {@code --replication} brokers with {@code min.insync.replicas} {@code --min-isr}. W1: {@code acks=all},
 * {@code linger.ms=5}, {@code batch.size=65536}, no compression, idempotence on (the default), for
 * {@code --w1-sec}, then {@code flush()}. W3: a consumer group subscribes and polls the backlog, timed from the
 * first record to the last. Warm-up first, unreported: W1 for {@code --warmup-sec}, then its drain.
 */
public final class KafkaThroughputLoad {
    private static final Set<String> FLAGS = Set.of("bootstrap", "brokers", "replication", "min-isr", "warmup-sec",
            "w1-sec", "pids", "payload", "max-messages");

    private KafkaThroughputLoad() {
    }

    public static void main(String[] args) throws Exception {
        OrphanGuard.start();
        Flags flags = Flags.parse(args, FLAGS);
        String bootstrap = flags.required("bootstrap");
        int brokers = flags.integer("brokers", 3, 1);
        short replication = (short) flags.integer("replication", 3, 1);
        int minIsr = flags.integer("min-isr", 2, 1);
        int warmupSec = flags.integer("warmup-sec", 20, 0);
        int w1Sec = flags.integer("w1-sec", 10, 1);
        long max = flags.number("max-messages", 5_000_000, 1);
        Map<String, Long> pids = ThroughputLoads.pids(flags.string("pids", ""));
        byte[][] payloads = ThroughputLoads.payloads(flags.integer("payload", 1024, 1));

        Properties adminProps = new Properties();
        adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(adminProps)) {
            awaitBrokers(admin, brokers);
            createTopic(admin, "warmup", replication, minIsr);
            long warm = produce(bootstrap, "warmup", payloads, warmupSec, max, null).messages();
            drain(bootstrap, "warmup", warm, null);
            createTopic(admin, "bench.w1", replication, minIsr);
            pids = byRole(pids, leaderOf(admin, "bench.w1"));
            ThroughputRow w1 = produce(bootstrap, "bench.w1", payloads, w1Sec, max, pids);
            System.out.println(ThroughputRow.PREFIX + w1.toLine());
            System.out.println(ThroughputRow.PREFIX + drain(bootstrap, "bench.w1", w1.messages(), pids).toLine());
        }
        System.exit(0);
    }

    private static void awaitBrokers(Admin admin, int brokers) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            try {
                if (admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size() >= brokers) {
                    return;
                }
            } catch (ExecutionException | TimeoutException e) {
                // not up yet
            }
            Thread.sleep(200);
        }
        throw new TimeoutException("fewer than " + brokers + " Kafka brokers registered within 120 s");
    }

    /** Creates the topic and waits until its partition has every replica in sync. */
    private static void createTopic(Admin admin, String topic, short replication, int minIsr) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, 1, replication)
                .configs(Map.of("min.insync.replicas", Integer.toString(minIsr))))).all().get(60, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS)
                        .get(topic);
                if (d.partitions().get(0).leader() != null && d.partitions().get(0).isr().size() == replication) {
                    return;
                }
            } catch (ExecutionException e) {
                // not known everywhere yet
            }
            Thread.sleep(50);
        }
        throw new TimeoutException("topic " + topic + " has not all replicas in sync");
    }

    private static int leaderOf(Admin admin, String topic) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic).partitions()
                .get(0).leader().id();
    }

    /**
     * Names the nodes' processes ({@code kafka-<id>}) by their part in the measured topic: {@code leader}, and
     * {@code follower-a}, {@code follower-b}, ... for the others, as the Strand rows name theirs.
     */
    private static Map<String, Long> byRole(Map<String, Long> pids, int leader) {
        Map<String, Long> named = new java.util.LinkedHashMap<>();
        char follower = 'a';
        for (Map.Entry<String, Long> e : pids.entrySet()) {
            if (e.getKey().equals("kafka-" + leader)) {
                named.put("leader", e.getValue());
            } else {
                named.put("follower-" + follower++, e.getValue());
            }
        }
        return named;
    }

    private static ThroughputRow produce(String bootstrap, String topic, byte[][] payloads, int seconds, long max,
                                         Map<String, Long> pids) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(64 * 1024));
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        AtomicLong failed = new AtomicLong();
        Callback callback = (metadata, exception) -> {
            if (exception != null) {
                failed.incrementAndGet();
            }
        };
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            producer.partitionsFor(topic); // metadata outside the timed part
            CpuWindow cpu = pids == null ? null : CpuWindow.open(pids);
            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(seconds);
            long sent = 0;
            while (sent < max && ((sent & 1023) != 0 || System.nanoTime() < end)) {
                producer.send(new ProducerRecord<>(topic, payloads[(int) (sent % payloads.length)]), callback);
                sent++;
            }
            producer.flush();
            double elapsed = (System.nanoTime() - start) / 1e9;
            return new ThroughputRow("W1", sent, elapsed, cpu == null ? Map.of() : cpu.close(),
                    failed.get() > 0 ? "FAILED sends " + failed.get() : "");
        }
    }

    private static ThroughputRow drain(String bootstrap, String topic, long expected, Map<String, Long> pids) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "drain-" + topic);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(topic));
            CpuWindow cpu = pids == null ? null : CpuWindow.open(pids);
            long got = 0;
            long first = 0;
            long checksum = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (got < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (got == 0) {
                        first = System.nanoTime();
                    }
                    checksum += record.value().length;
                    got++;
                }
            }
            double elapsed = (System.nanoTime() - first) / 1e9;
            consumer.commitSync(Duration.ofSeconds(30));
            String note = got < expected ? "INCOMPLETE got " + got + " of " + expected : "bytes " + checksum;
            return new ThroughputRow("W3", got, elapsed, cpu == null ? Map.of() : cpu.close(), note);
        }
    }
}
