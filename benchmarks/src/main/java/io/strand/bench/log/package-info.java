/**
 * JMH benchmarks of the log: append and read throughput against this machine's own limits
 * (sequential write bandwidth and {@code force()} rate, measured by {@link io.strand.bench.log.DiskLimitsBenchmark}),
 * and {@link io.strand.bench.log.LogManagerScale}, a program that measures opening 10,000 partitions.
 */
package io.strand.bench.log;
