/**
 * The Apache Kafka peer of the cluster throughput benchmark: {@link io.strand.bench.cluster.kafka.KafkaNodes}
 * starts a KRaft cluster from the Maven jars in {@code benchmarks/target/kafka-lib}, and
 * {@link io.strand.bench.cluster.kafka.KafkaThroughputLoad} runs W1 and W3 against it on that classpath.
 */
package io.strand.bench.cluster.kafka;
