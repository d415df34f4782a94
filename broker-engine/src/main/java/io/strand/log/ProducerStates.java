package io.strand.log;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * What a partition knows of its idempotent producers (DESIGN.md §5): for each producer id its latest
 * epoch and its last few batches (sequences and offsets). A leader checks each batch against it, so a
 * batch a producer sends again after a lost answer or a leader change is recognised and answered with
 * the offsets it got the first time instead of being appended twice.
 *
 * <p>The state is rebuilt from the batch headers in the log whenever it is needed and not known (at the
 * first producer batch after a start, and after a truncation), so it needs no file of its own and is
 * always what the log says.
 *
 * <p>A producer that wrote nothing for {@link #EXPIRATION_MS} is forgotten (Kafka's default
 * {@code producer.id.expiration.ms}): every connection that fails over gets a producer id of its own, so a
 * broker serving many short connections would otherwise keep them all. The state exists to recognise a batch sent
 * again, which a client does within its failover deadline (seconds), so a day is far beyond what it is needed for.
 *
 * <p>Not thread-safe: the partition calls it under its write lock.
 */
final class ProducerStates {
    /** Batches remembered per producer: a producer has at most this many in flight. */
    static final int CACHED_BATCHES = 5;
    /** A producer silent this long is forgotten. */
    static final long EXPIRATION_MS = 24L * 3600 * 1000;
    /** Expired producers are looked for once per this many recorded batches, which keeps the cost per batch low. */
    private static final int RECORDS_PER_EXPIRY_CHECK = 1024;

    /** One batch of a producer: its sequences and where it went. */
    record BatchMetadata(int firstSequence, int lastSequence, long firstOffset, long lastOffset) {
    }

    private static final class Entry {
        short epoch;
        long lastWriteMs;
        final ArrayDeque<BatchMetadata> batches = new ArrayDeque<>();
    }

    private final Map<Long, Entry> producers = new HashMap<>();
    private boolean known;
    private int recordsSinceExpiryCheck;

    boolean isKnown() {
        return known;
    }

    /** Forgets everything: the next use rebuilds from the log. */
    void invalidate() {
        producers.clear();
        known = false;
    }

    /** The log was read from its start into this state. */
    void markKnown() {
        known = true;
    }

    /**
     * Checks a batch before a leader appends it.
     *
     * @return the batch's first append when it is a duplicate of one of the producer's recent batches,
     *         or null when it is new and in order
     * @throws ProducerSequenceException when its epoch is fenced or its sequence out of order
     */
    BatchMetadata check(long producerId, short epoch, int firstSequence, int lastSequence) {
        Entry entry = producers.get(producerId);
        if (entry == null) {
            return null; // a producer this partition has not seen (or whose batches retention removed)
        }
        if (epoch < entry.epoch) {
            throw new ProducerSequenceException(ProducerSequenceException.Reason.FENCED_EPOCH, "producer " + producerId
                    + " sent epoch " + epoch + " but epoch " + entry.epoch + " of it has written here already");
        }
        if (epoch > entry.epoch) {
            if (firstSequence != 0) {
                throw new ProducerSequenceException(ProducerSequenceException.Reason.OUT_OF_ORDER_SEQUENCE, "producer "
                        + producerId + " starts epoch " + epoch + " at sequence " + firstSequence + " instead of 0");
            }
            return null;
        }
        for (BatchMetadata batch : entry.batches) {
            if (batch.firstSequence() == firstSequence && batch.lastSequence() == lastSequence) {
                return batch;
            }
        }
        int expected = next(entry.batches.getLast().lastSequence());
        if (firstSequence != expected) {
            throw new ProducerSequenceException(ProducerSequenceException.Reason.OUT_OF_ORDER_SEQUENCE, "producer "
                    + producerId + " epoch " + epoch + " sent sequence " + firstSequence + "; the next is " + expected);
        }
        return null;
    }

    /**
     * Whether the producer wrote the batch that starts at {@code firstSequence} in {@code epoch}: its latest batch in
     * that epoch ends at or after it. Sequences wrap, so "at or after" means less than half the sequence space ahead.
     * A producer that wrote nothing since that batch (or retention removed all it wrote) reads as not having written it.
     */
    boolean wrote(long producerId, short epoch, int firstSequence) {
        Entry entry = producers.get(producerId);
        if (entry == null || entry.epoch != epoch || entry.batches.isEmpty()) {
            return false;
        }
        long space = (long) Integer.MAX_VALUE + 1;
        long ahead = Math.floorMod((long) entry.batches.getLast().lastSequence() - firstSequence, space);
        return ahead < space / 2;
    }

    /**
     * Notes a batch that is now in the log.
     *
     * @param writtenMs when it was written: now for an append, the batch's timestamp when the state is rebuilt
     * @param nowMs     the time now, against which silent producers expire
     */
    void record(long producerId, short epoch, int firstSequence, int lastSequence, long firstOffset, long lastOffset,
                long writtenMs, long nowMs) {
        if (writtenMs < nowMs - EXPIRATION_MS) {
            return; // a batch read back at a rebuild, from a producer that is expired already
        }
        expireSilentProducers(nowMs);
        Entry entry = producers.computeIfAbsent(producerId, id -> new Entry());
        entry.lastWriteMs = Math.max(entry.lastWriteMs, writtenMs);
        if (epoch != entry.epoch) {
            entry.batches.clear();
            entry.epoch = epoch;
        }
        entry.batches.addLast(new BatchMetadata(firstSequence, lastSequence, firstOffset, lastOffset));
        if (entry.batches.size() > CACHED_BATCHES) {
            entry.batches.removeFirst();
        }
    }

    private void expireSilentProducers(long nowMs) {
        if (++recordsSinceExpiryCheck < RECORDS_PER_EXPIRY_CHECK) {
            return;
        }
        recordsSinceExpiryCheck = 0;
        producers.values().removeIf(entry -> entry.lastWriteMs < nowMs - EXPIRATION_MS);
    }

    /** How many producers are remembered. */
    int size() {
        return producers.size();
    }

    /** The sequence after {@code sequence}: sequences wrap to 0 after {@link Integer#MAX_VALUE}. */
    static int next(int sequence) {
        return sequence == Integer.MAX_VALUE ? 0 : sequence + 1;
    }

    /** The last sequence of a batch of {@code recordCount} records starting at {@code firstSequence}. */
    static int lastSequence(int firstSequence, int recordCount) {
        long last = (long) firstSequence + recordCount - 1;
        return (int) (last > Integer.MAX_VALUE ? last - Integer.MAX_VALUE - 1 : last);
    }
}
