/**
 * Cluster benchmarks, each a main run by a script in {@code scripts/}, never by the build:
 * {@link io.strand.bench.cluster.FailoverBench} (brokers killed with {@code kill -9} under a steady load, the pauses
 * clients see), {@link io.strand.bench.cluster.ThroughputBench} (a three-broker cluster against one broker and
 * against a three-broker Kafka) and {@link io.strand.bench.cluster.ScaleBench} (10,000 replicated partitions).
 * Brokers run in JVMs of their own from {@code broker-engine/target/strand-broker.jar}
 * ({@link io.strand.bench.cluster.StrandNodes}); what they are and whether they are in sync is read from their logs.
 * Figures and how to read them: benchmarks/README.md, section "Cluster".
 */
package io.strand.bench.cluster;
