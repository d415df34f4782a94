package io.strand.broker;

/**
 * The size of one queue partition's share-group state: what the queue costs in memory and in each
 * snapshot of the share-group log, however many records it holds.
 *
 * @param startOffset offsets below it are done
 * @param inFlight    records delivered and not done: held by a consumer or waiting for redelivery
 * @param doneRanges  ranges of done records above the start offset
 * @param delayed     records waiting for their delivery time (kept in memory only)
 */
public record QueueState(long startOffset, int inFlight, int doneRanges, int delayed) {
}
