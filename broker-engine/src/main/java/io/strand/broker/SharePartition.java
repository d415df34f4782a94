package io.strand.broker;

import io.strand.protocol.ErrorCode;
import io.strand.protocol.Shares;
import java.util.Collection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The share-group state of one partition read by competing consumers (a queue, or a shared topic
 * subscription): which records are done, which are held by a consumer, which wait for their
 * delivery time, and how often each was delivered (DESIGN.md §3).
 *
 * <p>Offsets below {@link #startOffset()} are done. Above it a record is done when it lies in the
 * done ranges, in flight when it has a delivery count (held by a consumer, or released and
 * available again), and otherwise available: never delivered. Done records are kept as ranges and
 * only delivered-but-not-done records have an entry, so a record that stays held, delayed or
 * unmatched costs one entry while the queue behind it drains: the state stays small and nothing
 * stalls.
 *
 * <p>Consumers scan the log with cursors of their own and ask this class, record by record, what
 * they may take. Records that become available behind the cursors — released by a consumer, or
 * whose delivery time came — are listed as {@linkplain #returnedOffsets returned}; when message-group
 * owners change, {@link #rewinds()} moves on and every consumer starts its scan again from the start.
 *
 * <p>Every change to what must survive a restart (deliveries and completions) is described as
 * {@link Change}s for the caller to persist, in order, before it tells anyone; replaying them with
 * {@link #apply} rebuilds the state with every held record available again — except the records held by
 * prepared XA transaction branches ({@link #PREPARED}), which stay held across a restart until the branch
 * is committed or rolled back. Delays and group owners are not persisted: they are found again by reading
 * the records.
 *
 * <p>Thread-safe: all methods synchronise on this object.
 */
final class SharePartition {
    /**
     * The delivery count that marks a record for the dead-letter queue: persisted when a consumer
     * rejects a record, so that a restart moves it there instead of delivering it again.
     */
    static final int DEAD_LETTER_COUNT = Integer.MAX_VALUE;
    /** The holder of records being moved to a dead-letter or expiry queue: no consumer may take them. */
    static final Object MOVER = new Object() {
        @Override
        public String toString() {
            return "the dead-letter mover";
        }
    };

    /**
     * The holder of records that a prepared XA transaction branch acknowledged: no consumer may take them until
     * the branch is committed (they are done) or rolled back (they are available again). The branch itself knows
     * which records are its own; here they only need to be kept from everyone else.
     */
    static final Object PREPARED = new Object() {
        @Override
        public String toString() {
            return "a prepared transaction branch";
        }
    };

    /**
     * One persisted change: offsets {@code first..last} are in flight with {@code deliveryCount}
     * deliveries so far, or done when the count is 0; in flight and held by a prepared transaction branch
     * when {@code prepared} is set.
     */
    record Change(long first, long last, int deliveryCount, boolean prepared) {
        Change(long first, long last, int deliveryCount) {
            this(first, last, deliveryCount, false);
        }
    }

    /**
     * An in-flight record: its deliveries so far, the consumer holding it (null when available) and
     * since when, and the consumer whose acquisition lock on it expired last, if any.
     */
    private static final class Slot {
        int deliveryCount;
        Object owner;
        long acquiredAtMs;
        Object expiredOwner;

        Slot(int deliveryCount, Object owner) {
            this.deliveryCount = deliveryCount;
            this.owner = owner;
        }
    }

    private final OffsetRanges done = new OffsetRanges();
    private final OffsetSlots<Slot> inFlight = new OffsetSlots<>();
    /** Available records that consumers' cursors may have passed. */
    private final TreeSet<Long> returned = new TreeSet<>();
    private final Map<Long, Long> delayedUntil = new HashMap<>();
    private final TreeMap<Long, List<Long>> dueAt = new TreeMap<>();
    private final Map<String, Object> groupOwners = new HashMap<>();
    private long startOffset;
    private long rewinds;
    private long wakeAt = Long.MAX_VALUE;

    SharePartition(long startOffset) {
        this.startOffset = startOffset;
    }

    synchronized long startOffset() {
        return startOffset;
    }

    synchronized int inFlightCount() {
        return inFlight.size();
    }

    /** Records held now by {@code owner}: delivered to it and not yet settled. */
    synchronized int heldBy(Object owner) {
        int held = 0;
        for (int i = inFlight.begin(); i < inFlight.end(); i++) {
            if (inFlight.valueAt(i).owner == owner) {
                held++;
            }
        }
        return held;
    }

    /** Records held now by anyone: a consumer, the dead-letter mover or a prepared transaction branch. */
    synchronized int heldCount() {
        int held = 0;
        for (int i = inFlight.begin(); i < inFlight.end(); i++) {
            if (inFlight.valueAt(i).owner != null) {
                held++;
            }
        }
        return held;
    }

    /** The first offset at or after {@code from} that waits for a consumer: neither done nor held by anyone. */
    synchronized long firstWaiting(long from) {
        long offset = done.firstAbsentFrom(Math.max(from, startOffset));
        for (Slot slot = inFlight.get(offset); slot != null && slot.owner != null; slot = inFlight.get(offset)) {
            offset = done.firstAbsentFrom(offset + 1);
        }
        return offset;
    }

    /** Ranges of done records above the start: what the persisted state costs besides in-flight records. */
    synchronized int doneRangeCount() {
        return done.rangeCount();
    }

    synchronized QueueState state() {
        return new QueueState(startOffset, inFlight.size(), done.rangeCount(), delayedUntil.size());
    }

    /** Changes whenever records behind the consumers' cursors became available in a way only a new scan finds. */
    synchronized long rewinds() {
        return rewinds;
    }

    /** Forgets records that retention removed from the log: they can no longer be delivered. */
    synchronized void trimTo(long logStartOffset) {
        if (logStartOffset <= startOffset) {
            return;
        }
        startOffset = logStartOffset;
        done.removeBelow(startOffset);
        inFlight.removeBelow(startOffset);
        returned.headSet(startOffset).clear();
        advanceStart();
    }

    /**
     * Makes records whose delivery time has come available again.
     *
     * @return the next time a delayed record becomes due, or {@link Long#MAX_VALUE}
     */
    synchronized long promoteDue(long now) {
        while (!dueAt.isEmpty() && dueAt.firstKey() <= now) {
            for (long offset : dueAt.pollFirstEntry().getValue()) {
                if (delayedUntil.remove(offset) != null && isUndecided(offset)) {
                    returned.add(offset);
                }
            }
        }
        return dueAt.isEmpty() ? Long.MAX_VALUE : dueAt.firstKey();
    }

    /**
     * Whether a wake-up at {@code time} still has to be scheduled: the first caller for a new
     * earliest due time gets true, so one timer serves all consumers.
     */
    synchronized boolean claimWakeUp(long time, long now) {
        if (wakeAt <= now) {
            wakeAt = Long.MAX_VALUE;
        }
        if (time >= wakeAt) {
            return false;
        }
        wakeAt = time;
        return true;
    }

    /** Up to {@code max} returned offsets, in order: the records a consumer should look at before its cursor. */
    synchronized List<Long> returnedOffsets(int max) {
        List<Long> offsets = new ArrayList<>(Math.min(max, returned.size()));
        for (Iterator<Long> it = returned.iterator(); it.hasNext() && offsets.size() < max; ) {
            offsets.add(it.next());
        }
        return offsets;
    }

    /** The first offset at or after {@code from} that is not done. */
    synchronized long firstNotDone(long from) {
        return done.firstAbsentFrom(Math.max(from, startOffset));
    }

    /** Whether a consumer may take the record now: not done, not held, not waiting for its delivery time. */
    synchronized boolean isAvailable(long offset) {
        // Scans ask this of every record they read: the emptiness checks spare the boxing lookups.
        if (!isUndecided(offset) || !delayedUntil.isEmpty() && delayedUntil.containsKey(offset)) {
            return false;
        }
        Slot slot = inFlight.isEmpty() ? null : inFlight.get(offset);
        return slot == null || slot.owner == null;
    }

    private boolean isUndecided(long offset) {
        return offset >= startOffset && !done.contains(offset);
    }

    /**
     * {@link #deliveryCount} of a record a consumer may take now, -1 for one it may not ({@link #isAvailable}):
     * both in one lookup, for scans that ask about every record.
     */
    synchronized int availableDeliveryCount(long offset) {
        if (!isUndecided(offset) || !delayedUntil.isEmpty() && delayedUntil.containsKey(offset)) {
            return -1;
        }
        Slot slot = inFlight.isEmpty() ? null : inFlight.get(offset);
        return slot == null ? 0 : slot.owner == null ? slot.deliveryCount : -1;
    }

    /** Deliveries of the record so far; 0 for a record never delivered. */
    synchronized int deliveryCount(long offset) {
        Slot slot = inFlight.get(offset);
        return slot == null ? 0 : slot.deliveryCount;
    }

    /** Whether an available record in {@code first..last} was delivered {@code count} times or more. */
    synchronized boolean anyAvailableDeliveredAtLeast(long first, long last, int count) {
        for (int i = inFlight.ceilingPosition(first); i < inFlight.end() && inFlight.offsetAt(i) <= last; i++) {
            Slot slot = inFlight.valueAt(i);
            if (slot.owner == null && slot.deliveryCount >= count) {
                return true;
            }
        }
        return false;
    }

    /** Holds back an available record until {@code deliveryTime}. */
    synchronized void delay(long offset, long deliveryTime) {
        if (delayedUntil.putIfAbsent(offset, deliveryTime) == null) {
            dueAt.computeIfAbsent(deliveryTime, t -> new ArrayList<>()).add(offset);
            returned.remove(offset);
        }
    }

    /** Whether {@code owner} may take a record of message group {@code group}: nobody else owns the group. */
    synchronized boolean mayTakeGroup(String group, Object owner) {
        Object current = groupOwners.get(group);
        return current == null || current == owner;
    }

    /**
     * Gives an available record to {@code owner}, and its message group when it has one; its delivery
     * count goes up by one.
     *
     * @param group   the record's message group, or null
     * @param changes receives what to persist
     * @return the record's delivery count including this delivery
     */
    synchronized int acquire(Object owner, long offset, String group, List<Change> changes) {
        if (!isAvailable(offset)) {
            throw new IllegalStateException("record " + offset + " is not available");
        }
        Slot slot = inFlight.computeIfAbsent(offset, o -> new Slot(0, null));
        slot.owner = owner;
        slot.acquiredAtMs = System.currentTimeMillis();
        slot.deliveryCount = slot.deliveryCount == DEAD_LETTER_COUNT ? DEAD_LETTER_COUNT : slot.deliveryCount + 1;
        returned.remove(offset);
        if (group != null && owner != MOVER) {
            groupOwners.put(group, owner);
        }
        addChange(changes, offset, slot.deliveryCount);
        return slot.deliveryCount;
    }

    /**
     * Marks a record done whoever holds it: it expired, or it now lives in a dead-letter or expiry queue.
     *
     * @param changes receives what to persist
     */
    synchronized void complete(long offset, List<Change> changes) {
        if (!isUndecided(offset)) {
            return;
        }
        markDone(offset);
        addChange(changes, offset, 0);
        advanceStart();
    }

    /**
     * Applies a consumer's outcomes to records it holds. Offsets below the start are done already and
     * ignored; other offsets it does not hold (never delivered, done, or held by another consumer after
     * a release) are refused with INVALID_REQUEST, so that a confused client cannot complete another
     * consumer's record. Rejected records pass to {@link #MOVER} for the dead-letter queue.
     *
     * <p>A record whose acquisition lock this consumer lost ({@link #expireLocks}) is not refused: an
     * acceptance still completes it while no other consumer holds it, and any other outcome no longer
     * applies, since the record is available or delivered elsewhere already.
     *
     * @param changes  receives what to persist
     * @param rejected receives the offsets rejected, for the caller to move to the dead-letter queue
     * @return whether any record became available again
     */
    synchronized boolean acknowledge(Object owner, List<Shares.AckRange> ranges, List<Change> changes,
                                     List<Long> rejected) {
        for (Shares.AckRange range : ranges) {
            long from = Math.max(range.firstOffset(), startOffset);
            for (long offset = from; offset <= range.lastOffset(); offset++) {
                offset = done.firstAbsentFrom(offset);
                if (offset > range.lastOffset()) {
                    break;
                }
                Slot slot = inFlight.get(offset);
                if (slot == null || (slot.owner != owner && slot.expiredOwner != owner)) {
                    throw new BrokerException(ErrorCode.INVALID_REQUEST, "record at offset " + offset
                            + " is not held by this consumer");
                }
            }
        }
        boolean released = false;
        for (Shares.AckRange range : ranges) {
            int position = inFlight.ceilingPosition(range.firstOffset());
            while (position < inFlight.end() && inFlight.offsetAt(position) <= range.lastOffset()) {
                long offset = inFlight.offsetAt(position);
                Slot slot = inFlight.valueAt(position);
                if (slot.owner != owner) { // its lock expired: only an acceptance of an untaken record applies
                    if (slot.owner != null || range.type() != Shares.AckType.ACCEPT) {
                        position++;
                        continue;
                    }
                    returned.remove(offset);
                }
                switch (range.type()) {
                    case ACCEPT -> {
                        position = inFlight.removeAt(position);
                        if (offset == startOffset) {
                            // The common in-order case: no range to add and drop again. Done ranges the start reaches
                            // are passed over here and dropped by advanceStart below.
                            startOffset = done.firstAbsentFrom(offset + 1);
                        } else {
                            done.add(offset, offset);
                        }
                        addChange(changes, offset, 0);
                    }
                    case RELEASE -> {
                        slot.owner = null;
                        returned.add(offset);
                        released = true;
                        position++;
                    }
                    case REJECT -> {
                        slot.owner = MOVER;
                        slot.deliveryCount = DEAD_LETTER_COUNT;
                        addChange(changes, offset, DEAD_LETTER_COUNT);
                        rejected.add(offset);
                        position++;
                    }
                }
            }
        }
        advanceStart();
        return released;
    }

    /**
     * Releases the records {@code owner} acquired at or before {@code acquiredAtOrBeforeMs}: their
     * acquisition lock expired. They become available with their delivery counts; {@code owner}'s
     * later outcomes for them are handled as {@link #acknowledge} says. Message groups stay with their
     * owner, which is still connected.
     *
     * @return how many records were released
     */
    synchronized int expireLocks(Object owner, long acquiredAtOrBeforeMs) {
        int released = 0;
        for (int i = inFlight.begin(); i < inFlight.end(); i++) {
            Slot slot = inFlight.valueAt(i);
            if (slot.owner == owner && slot.acquiredAtMs <= acquiredAtOrBeforeMs) {
                slot.owner = null;
                slot.expiredOwner = owner;
                returned.add(inFlight.offsetAt(i));
                released++;
            }
        }
        return released;
    }

    /** When the oldest record {@code owner} holds was acquired, or {@link Long#MAX_VALUE} when it holds none. */
    synchronized long oldestAcquisitionMs(Object owner) {
        long oldest = Long.MAX_VALUE;
        for (int i = inFlight.begin(); i < inFlight.end(); i++) {
            Slot slot = inFlight.valueAt(i);
            if (slot.owner == owner) {
                oldest = Math.min(oldest, slot.acquiredAtMs);
            }
        }
        return oldest;
    }

    /** Gives back a record the mover could not move, for a later attempt. */
    synchronized void releaseFromMover(long offset) {
        Slot slot = inFlight.get(offset);
        if (slot != null && slot.owner == MOVER) {
            slot.owner = null;
            returned.add(offset);
        }
    }

    /**
     * Makes every record {@code owner} holds available again and frees its message groups (its
     * consumer closed or its connection died).
     *
     * @return whether any record became available again
     */
    synchronized boolean releaseAll(Object owner) {
        boolean released = false;
        for (int i = inFlight.begin(); i < inFlight.end(); i++) {
            if (inFlight.valueAt(i).owner == owner) {
                inFlight.valueAt(i).owner = null;
                returned.add(inFlight.offsetAt(i));
                released = true;
            }
        }
        if (groupOwners.values().removeIf(o -> o == owner)) {
            rewinds++; // records of its groups that others skipped lie behind their cursors now
            released = true;
        }
        return released;
    }

    private void markDone(long offset) {
        inFlight.remove(offset);
        returned.remove(offset);
        Long due = delayedUntil.remove(offset);
        if (due != null) {
            List<Long> offsets = dueAt.get(due);
            offsets.remove(offset);
            if (offsets.isEmpty()) {
                dueAt.remove(due);
            }
        }
        done.add(offset, offset);
    }

    /** Moves the start past the done records at it, and drops the done ranges below it. */
    private void advanceStart() {
        startOffset = done.firstAbsentFrom(startOffset);
        done.removeBelow(startOffset);
    }

    private static void addChange(List<Change> changes, long offset, int deliveryCount) {
        addChange(changes, offset, deliveryCount, false);
    }

    private static void addChange(List<Change> changes, long offset, int deliveryCount, boolean prepared) {
        if (!changes.isEmpty()) {
            Change last = changes.get(changes.size() - 1);
            if (last.last() == offset - 1 && last.deliveryCount() == deliveryCount && last.prepared() == prepared) {
                changes.set(changes.size() - 1, new Change(last.first(), offset, deliveryCount, prepared));
                return;
            }
        }
        changes.add(new Change(offset, offset, deliveryCount, prepared));
    }

    /** Replays one persisted change; records in flight at a crash come back available. */
    synchronized void apply(Change change) {
        long first = Math.max(change.first(), startOffset);
        if (first > change.last()) {
            return;
        }
        if (change.deliveryCount() == 0) {
            inFlight.removeRange(first, change.last());
            returned.subSet(first, true, change.last(), true).clear();
            done.add(first, change.last());
            advanceStart();
            return;
        }
        for (long offset = first; offset <= change.last(); offset++) {
            inFlight.put(offset, new Slot(change.deliveryCount(), change.prepared() ? PREPARED : null));
            if (change.prepared()) {
                returned.remove(offset);
            } else {
                returned.add(offset);
            }
        }
    }

    /** The whole state as changes, for a snapshot: done ranges and every in-flight record with its count. */
    synchronized List<Change> snapshot() {
        List<Change> all = new ArrayList<>(done.rangeCount() + inFlight.size());
        done.forEach((first, last) -> all.add(new Change(first, last, 0)));
        inFlight.forEach((offset, slot) -> all.add(new Change(offset, offset, slot.deliveryCount,
                slot.owner == PREPARED)));
        return all;
    }

    // ---- prepared XA transaction branches ------------------------------------------------------

    /**
     * Takes records {@code owner} holds for a transaction branch being prepared: from now on no consumer, not even
     * {@code owner}, may take, settle or release them. Nothing is persisted yet: {@link #persistPrepared} does that
     * once the branch is prepared, and {@link #giveBackPrepared} undoes this if the prepare fails first. Every
     * offset is checked before any is taken, so a refusal changes nothing. Offsets below the start or done are
     * skipped, as an acknowledgement skips them; a record whose acquisition lock {@code owner} lost is taken if no
     * other consumer took it meanwhile, as an acceptance would be.
     *
     * @return the offsets taken, as ranges
     * @throws BrokerException INVALID_REQUEST if a record is held by someone else or by no one
     */
    synchronized List<Shares.OffsetRange> takeForPrepare(Object owner, List<Shares.AckRange> ranges) {
        List<Long> taken = new ArrayList<>();
        for (Shares.AckRange range : ranges) {
            for (long offset = Math.max(range.firstOffset(), startOffset); offset <= range.lastOffset(); offset++) {
                offset = done.firstAbsentFrom(offset);
                if (offset > range.lastOffset()) {
                    break;
                }
                Slot slot = inFlight.get(offset);
                boolean lostLockButUntaken = slot != null && slot.owner == null && slot.expiredOwner == owner;
                if (slot == null || (slot.owner != owner && !lostLockButUntaken)) {
                    throw new BrokerException(ErrorCode.INVALID_REQUEST, "record at offset " + offset
                            + " is not held by this consumer, so a transaction branch cannot acknowledge it");
                }
                taken.add(offset);
            }
        }
        for (long offset : taken) {
            inFlight.get(offset).owner = PREPARED;
            returned.remove(offset);
        }
        return asRanges(taken);
    }

    /** Offsets as ranges of consecutive offsets, in order. */
    static List<Shares.OffsetRange> asRanges(List<Long> offsets) {
        long[] sorted = offsets.stream().mapToLong(Long::longValue).sorted().distinct().toArray();
        List<Shares.OffsetRange> ranges = new ArrayList<>();
        int start = 0;
        for (int k = 1; k <= sorted.length; k++) {
            if (k == sorted.length || sorted[k] != sorted[k - 1] + 1) {
                ranges.add(new Shares.OffsetRange(sorted[start], sorted[k - 1]));
                start = k;
            }
        }
        return ranges;
    }

    /**
     * Describes the records held by prepared branches among {@code offsets} as changes to persist: from then on a
     * restart finds them held.
     */
    synchronized void persistPrepared(Collection<Shares.OffsetRange> offsets, List<Change> changes) {
        forEachPrepared(offsets, (offset, slot) -> addChange(changes, offset, slot.deliveryCount, true));
    }

    /**
     * Gives records taken by {@link #takeForPrepare} back, unpersisted, to the consumer they came from — or makes
     * them available when that consumer is gone: a prepare that failed before the branch was prepared.
     *
     * @param consumer the consumer that held them, or null when it is closed
     * @return whether any record became available
     */
    synchronized boolean giveBackPrepared(Collection<Shares.OffsetRange> offsets, Object consumer) {
        boolean[] released = {false};
        forEachPrepared(offsets, (offset, slot) -> {
            slot.owner = consumer;
            if (consumer == null) {
                returned.add(offset);
                released[0] = true;
            }
        });
        return released[0];
    }

    /** Completes records of a committed branch; those it no longer holds (trimmed, rewound) are left alone. */
    synchronized void completePrepared(Collection<Shares.OffsetRange> offsets, List<Change> changes) {
        forEachPrepared(offsets, (offset, slot) -> {
            markDone(offset);
            addChange(changes, offset, 0);
        });
        advanceStart();
    }

    /**
     * Makes the records of a rolled-back branch available again, with their delivery counts: the next delivery
     * is a redelivery and counts one more.
     *
     * @return whether any record became available
     */
    synchronized boolean releasePrepared(Collection<Shares.OffsetRange> offsets, List<Change> changes) {
        boolean[] released = {false};
        forEachPrepared(offsets, (offset, slot) -> {
            slot.owner = null;
            returned.add(offset);
            addChange(changes, offset, slot.deliveryCount, false);
            released[0] = true;
        });
        return released[0];
    }

    /**
     * After a restart, holds a prepared branch's record again when the share-group log missed its hold (the crash
     * came between the branch's record and the hold's): a record that is not done is held, with at least one
     * delivery counted.
     */
    synchronized void holdAgainForPrepared(long offset, List<Change> changes) {
        if (!isUndecided(offset)) {
            return;
        }
        Slot slot = inFlight.computeIfAbsent(offset, o -> new Slot(1, null));
        if (slot.owner == PREPARED) {
            return;
        }
        slot.owner = PREPARED;
        returned.remove(offset);
        addChange(changes, offset, slot.deliveryCount, true);
    }

    /** The offsets held by prepared branches now. */
    synchronized List<Long> preparedOffsets() {
        List<Long> offsets = new ArrayList<>();
        inFlight.forEach((offset, slot) -> {
            if (slot.owner == PREPARED) {
                offsets.add(offset);
            }
        });
        return offsets;
    }

    /** @return the number of records held by prepared branches */
    synchronized int preparedCount() {
        int count = 0;
        for (int i = inFlight.begin(); i < inFlight.end(); i++) {
            if (inFlight.valueAt(i).owner == PREPARED) {
                count++;
            }
        }
        return count;
    }

    @FunctionalInterface
    private interface SlotAction {
        void apply(long offset, Slot slot);
    }

    private void forEachPrepared(Collection<Shares.OffsetRange> offsets, SlotAction action) {
        for (Shares.OffsetRange range : offsets) {
            // Gathered first: the action may remove the slot (completion).
            List<Long> offsetsFound = new ArrayList<>();
            List<Slot> slotsFound = new ArrayList<>();
            for (int i = inFlight.ceilingPosition(range.firstOffset());
                 i < inFlight.end() && inFlight.offsetAt(i) <= range.lastOffset(); i++) {
                if (inFlight.valueAt(i).owner == PREPARED) {
                    offsetsFound.add(inFlight.offsetAt(i));
                    slotsFound.add(inFlight.valueAt(i));
                }
            }
            for (int i = 0; i < offsetsFound.size(); i++) {
                action.apply(offsetsFound.get(i), slotsFound.get(i));
            }
        }
    }

    /** Restores the start from a snapshot before its changes are applied. */
    synchronized void reset(long start) {
        done.clear();
        inFlight.clear();
        returned.clear();
        delayedUntil.clear();
        dueAt.clear();
        groupOwners.clear();
        startOffset = start;
        rewinds++;
    }
}
