/**
 * The JMS system benchmark: {@link io.strand.bench.jms.JmsSystemBenchmark} runs the same JMS workloads
 * (single-consumer drains, competing consumers, a selector) against ActiveMQ Artemis and Strand, each
 * broker and each load generator in a JVM of its own on that broker's classpath
 * ({@link io.strand.bench.jms.Classpaths}), and reports medians over rounds with the ratio Strand/Artemis
 * ({@link io.strand.bench.jms.Summary}). How to run it and what the figures mean: benchmarks/README.md.
 */
package io.strand.bench.jms;
