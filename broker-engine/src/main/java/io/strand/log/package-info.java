/**
 * The partitioned log: Strand's storage core (DESIGN.md §2).
 *
 * <p>A partition ({@link io.strand.log.PartitionLog}) is a directory of segments; each segment
 * ({@link io.strand.log.LogSegment}) is a {@code .log} file of record batches with a sparse
 * {@code .index} and a {@code .timeindex}. The {@link io.strand.log.LogManager} owns every
 * partition of a data directory: loading and crash recovery, retention, flushing, checkpoints,
 * the budget of open file handles and the lock that keeps a second broker out.
 *
 * <p>Leader epochs and the high watermark live here from the start, so that replication adds a
 * protocol on top and does not reshape the log. Internal to the broker; this package imports no
 * Netty, JGroups or Jakarta type (checked by {@code ArchitectureTest}).
 */
package io.strand.log;
