/**
 * Replication of a partition's log from its leader to its followers (DESIGN.md §5, data plane):
 * followers fetch with {@code (fetchOffset, lastFetchedEpoch)}, truncate where their log diverged
 * from the leader's, and report how far their log is durable; the leader advances the high watermark
 * to the minimum durable end over the in-sync replicas and proposes ISR changes for the controller to
 * commit. Plain Java over {@link io.strand.log.PartitionLog}: no network or framework type, so the same
 * code runs in the broker and in a deterministic simulation.
 */
package io.strand.replication;
