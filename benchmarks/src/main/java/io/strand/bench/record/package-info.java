/**
 * JMH benchmarks of the record-batch format: encoding and decoding batches of 1 KiB records (16 and 64 KiB
 * batches, no compression and LZ4) and the CRC-32C over a batch. Each reports a {@code bytes} counter next to
 * its operations, so JMH prints record-payload bytes per second (divide by 10^6 for MB/s).
 */
package io.strand.bench.record;
