package io.strand.jms.client;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The idempotent-producer identity of a connection's produce batches (DESIGN.md §5): per partition a producer id and
 * the next sequence number. The broker remembers each producer's last few batches per partition and answers a batch
 * it appended already with its first offsets instead of appending it again, so a batch sent again after a failover
 * (its answer lost with the connection) is never duplicated, whichever broker gets it.
 *
 * <p>The identity belongs to the JMS connection, not to one broker connection: it stays the same across failovers,
 * which is what lets the broker recognise a batch it has seen. A transacted session stamps its commits' batches with
 * one of its own. Producer ids are random in the upper quarter of the positive longs; the broker stamps the batches
 * of an XA branch's commit with transaction ids, which it takes from the clock (milliseconds times 1000, far below
 * that range), so the two never meet.
 *
 * <p>A batch the broker refused (not appended: too large, unknown destination...) leaves a gap in the sequence that
 * the broker would refuse every later batch for. The partition then starts over with a fresh producer id at sequence
 * 0, as a new producer; batches sent behind the refused one under the old id are refused too, which keeps a producer's
 * order (no later message of it is appended in front of one that failed).
 *
 * <p>Thread-safe: stamping is called under the {@link ProduceAccumulator}'s lock, in send order; every method locks
 * this object.
 */
public final class ProducerSequences {
    /** Producer id, epoch and first sequence of one batch. */
    public record Stamp(long producerId, short epoch, int baseSequence) {
    }

    private static final class Next {
        long producerId = newProducerId();
        int sequence;
    }

    private final Map<ProduceAccumulator.PartitionKey, Next> partitions = new HashMap<>();

    /**
     * Takes the stamp of the next batch of a partition.
     *
     * @param records the batch's record count, at least 1
     */
    public synchronized Stamp next(ProduceAccumulator.PartitionKey partition, int records) {
        if (records < 1) {
            throw new IllegalArgumentException("records=" + records);
        }
        final Next next = partitions.computeIfAbsent(partition, p -> new Next());
        final Stamp stamp = new Stamp(next.producerId, (short) 0, next.sequence);
        // Sequences wrap to 0 after Integer.MAX_VALUE, as the broker counts them.
        next.sequence = (int) (((long) next.sequence + records) % ((long) Integer.MAX_VALUE + 1));
        return stamp;
    }

    /** The broker refused a batch stamped with {@code producerId}: the partition starts over as a new producer. */
    public synchronized void refused(ProduceAccumulator.PartitionKey partition, long producerId) {
        final Next next = partitions.get(partition);
        if (next != null && next.producerId == producerId) {
            partitions.put(partition, new Next());
        }
    }

    private static long newProducerId() {
        return (1L << 62) | ThreadLocalRandom.current().nextLong(1L << 62);
    }
}
