package io.strand.jms.client;

import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.LongPredicate;

/**
 * The records a topic subscriber put aside for their delivery time (JMS 3.1 §7.9) and that are not yet
 * acknowledged, by partition: what its cumulative acknowledgements must not pass.
 *
 * <p>A topic subscriber acknowledges a partition with one offset that stands for every record before it
 * ({@link AckStyle#CUMULATIVE}). A delayed record is handed out after records that came behind it, so an
 * acknowledgement of those would also cover the delayed one, and a durable subscription would lose it if the
 * consumer went away before it was due. An offset is therefore entered here when its record is put aside and
 * stays until the application acknowledged it (or the consumer closes with it still held: then it stays, so
 * nothing sent afterwards for the consumer passes it). {@link #highestAcknowledgeable} is the cap.
 *
 * <p>A record handed out in an XA transaction branch that is not yet decided caps the acknowledgements the same way
 * ({@link #heldForTransaction}): another branch, or the session outside any branch, acknowledging a later record
 * must not acknowledge it before its own branch commits.
 *
 * <p>It also remembers whether a record's credit was granted when it was put aside, so that taking it
 * later does not grant it a second time.
 *
 * <p>Thread-safe: the event loop puts records aside, the consuming thread hands them out, the session's
 * acknowledgements read the cap and settle offsets. It never calls out while holding its lock.
 */
public final class HeldBackOffsets {
    /** Per partition, each held-back offset and whether its credit was granted and it was not handed out since. */
    private final Map<Integer, NavigableMap<Long, Boolean>> byPartition = new HashMap<>();
    private boolean closed;

    /** A record of {@code partition} is put aside until its delivery time; its credit is granted now. */
    synchronized void heldBack(int partition, long offset) {
        byPartition.computeIfAbsent(partition, p -> new TreeMap<>()).put(offset, Boolean.TRUE);
    }

    /** A record handed out belongs to an XA branch not yet decided: acknowledgements stop below it until it is settled. */
    public synchronized void heldForTransaction(int partition, long offset) {
        byPartition.computeIfAbsent(partition, p -> new TreeMap<>()).putIfAbsent(offset, Boolean.FALSE);
    }

    /**
     * The record is being handed to the application.
     *
     * @return true if it was put aside and this is its first hand-out: its credit was granted already
     */
    synchronized boolean handOut(int partition, long offset) {
        final NavigableMap<Long, Boolean> offsets = byPartition.get(partition);
        if (offsets == null) {
            return false;
        }
        final Boolean creditGranted = offsets.replace(offset, Boolean.FALSE);
        return Boolean.TRUE.equals(creditGranted);
    }

    /** The record was acknowledged (or dropped for good, such as expired): later acknowledgements may pass it. */
    public synchronized void settled(int partition, long offset) {
        final NavigableMap<Long, Boolean> offsets = byPartition.get(partition);
        if (offsets != null && offsets.remove(offset) != null && offsets.isEmpty()) {
            byPartition.remove(partition);
        }
    }

    /** @return the highest offset a cumulative acknowledgement of {@code partition} may name now */
    public long highestAcknowledgeable(int partition) {
        return highestAcknowledgeable(partition, offset -> false);
    }

    /**
     * @param settling offsets being acknowledged together with the acknowledgement (a commit's own deliveries)
     * @return the highest offset a cumulative acknowledgement of {@code partition} may name: below the lowest
     *         held-back offset that {@code settling} does not settle; {@link Long#MAX_VALUE} when none is
     */
    public synchronized long highestAcknowledgeable(int partition, LongPredicate settling) {
        final NavigableMap<Long, Boolean> offsets = byPartition.get(partition);
        if (offsets != null) {
            for (long offset : offsets.keySet()) {
                if (!settling.test(offset)) {
                    return offset - 1;
                }
            }
        }
        return Long.MAX_VALUE;
    }

    /**
     * Forgets every held-back record: for a subscriber opened again on a new broker connection, where nothing it
     * held before can be acknowledged any more (its subscription pushes those records again).
     */
    synchronized void clear() {
        byPartition.clear();
    }

    /** The consumer closed: nothing more is acknowledged for it, and whatever it held back stays a cap. */
    synchronized void close() {
        closed = true;
    }

    /** @return whether the consumer closed; an acknowledgement deferred for it is not worth sending any more */
    public synchronized boolean isClosed() {
        return closed;
    }
}
