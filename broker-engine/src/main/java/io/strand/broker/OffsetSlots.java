package io.strand.broker;

import java.util.Arrays;
import java.util.function.LongFunction;

/**
 * Values by offset, in offset order, kept in two sorted arrays between a head and a tail index: the records a
 * share partition has in flight. Offsets are acquired mostly in rising order and settled mostly from the lowest
 * up, so adding after the last and removing the first cost no search and no shift; a lookup is a binary search
 * over primitive longs. What is in flight is bounded by what consumers hold, so the shift an insertion or removal
 * in the middle costs stays small. A tree map did the same with a boxed key and an entry object per record, and
 * a pointer chase per lookup that showed in every scan.
 *
 * <p>Positions ({@link #begin}, {@link #ceilingPosition}, {@link #offsetAt}, {@link #valueAt}, {@link #removeAt}) let a
 * caller walk a range and remove as it goes; they are valid until the next change other than through {@link #removeAt}.
 * Not thread-safe.
 */
final class OffsetSlots<V> {
    @FunctionalInterface
    interface Visitor<V> {
        void visit(long offset, V value);
    }

    private static final int INITIAL_CAPACITY = 16;

    private long[] offsets = new long[INITIAL_CAPACITY];
    private Object[] values = new Object[INITIAL_CAPACITY];
    /** The entries lie in [head, tail) of both arrays. */
    private int head;
    private int tail;

    int size() {
        return tail - head;
    }

    boolean isEmpty() {
        return tail == head;
    }

    V get(long offset) {
        int at = search(offset);
        return at >= 0 ? valueAt(at) : null;
    }

    /** The value at {@code offset}, added from {@code create} when there was none. */
    V computeIfAbsent(long offset, LongFunction<V> create) {
        int at = search(offset);
        if (at >= 0) {
            return valueAt(at);
        }
        V value = create.apply(offset);
        insert(-at - 1, offset, value);
        return value;
    }

    void put(long offset, V value) {
        int at = search(offset);
        if (at >= 0) {
            values[at] = value;
        } else {
            insert(-at - 1, offset, value);
        }
    }

    V remove(long offset) {
        int at = search(offset);
        if (at < 0) {
            return null;
        }
        V value = valueAt(at);
        removeAt(at);
        return value;
    }

    /** Removes every entry below {@code offset}. */
    void removeBelow(long offset) {
        int end = ceilingPosition(offset);
        Arrays.fill(values, head, end, null);
        head = end;
        resetWhenEmpty();
    }

    /** Removes every entry in {@code first..last}. */
    void removeRange(long first, long last) {
        int from = ceilingPosition(first);
        int to = last == Long.MAX_VALUE ? tail : ceilingPosition(last + 1);
        if (from >= to) {
            return;
        }
        System.arraycopy(offsets, to, offsets, from, tail - to);
        System.arraycopy(values, to, values, from, tail - to);
        int newTail = tail - (to - from);
        Arrays.fill(values, newTail, tail, null);
        tail = newTail;
        resetWhenEmpty();
    }

    void clear() {
        Arrays.fill(values, head, tail, null);
        head = 0;
        tail = 0;
    }

    /** Visits every entry in offset order; the visitor must not change this set. */
    void forEach(Visitor<V> visitor) {
        for (int i = head; i < tail; i++) {
            visitor.visit(offsets[i], valueAt(i));
        }
    }

    /** The position of the first entry at or after {@code offset}: {@link #end()} when there is none. */
    int ceilingPosition(long offset) {
        int at = search(offset);
        return at >= 0 ? at : -at - 1;
    }

    /** The position of the first entry. */
    int begin() {
        return head;
    }

    /** The position after the last entry. */
    int end() {
        return tail;
    }

    long offsetAt(int position) {
        return offsets[position];
    }

    @SuppressWarnings("unchecked")
    V valueAt(int position) {
        return (V) values[position];
    }

    /**
     * Removes the entry at {@code position}, shifting whichever side of it is shorter.
     *
     * @return the position of the entry that followed it (or {@link #end()})
     */
    int removeAt(int position) {
        if (position - head < tail - 1 - position) {
            System.arraycopy(offsets, head, offsets, head + 1, position - head);
            System.arraycopy(values, head, values, head + 1, position - head);
            values[head] = null;
            head++;
            return position + 1; // an entry follows: the other side was the shorter one
        }
        System.arraycopy(offsets, position + 1, offsets, position, tail - 1 - position);
        System.arraycopy(values, position + 1, values, position, tail - 1 - position);
        tail--;
        values[tail] = null;
        resetWhenEmpty();
        return isEmpty() ? tail : position;
    }

    /** Binary search in [head, tail): the position of {@code offset}, or -(insertion position) - 1. */
    private int search(long offset) {
        if (tail == head || offset > offsets[tail - 1]) {
            return -tail - 1; // the common case: past the last
        }
        return Arrays.binarySearch(offsets, head, tail, offset);
    }

    private void insert(int position, long offset, V value) {
        if (position == tail && tail < offsets.length) {
            offsets[tail] = offset;
            values[tail] = value;
            tail++;
            return;
        }
        if (position == head && head > 0) {
            head--;
            offsets[head] = offset;
            values[head] = value;
            return;
        }
        if (tail == offsets.length) {
            position = makeRoomAtTail(position);
        }
        System.arraycopy(offsets, position, offsets, position + 1, tail - position);
        System.arraycopy(values, position, values, position + 1, tail - position);
        offsets[position] = offset;
        values[position] = value;
        tail++;
    }

    /** Moves the entries to the front, growing the arrays when more than half full; returns the moved position. */
    private int makeRoomAtTail(int position) {
        int size = size();
        if (size * 2 >= offsets.length) {
            offsets = Arrays.copyOf(offsets, offsets.length * 2);
            values = Arrays.copyOf(values, values.length * 2);
        }
        if (head > 0) {
            System.arraycopy(offsets, head, offsets, 0, size);
            System.arraycopy(values, head, values, 0, size);
            Arrays.fill(values, size, tail, null);
            position -= head;
            head = 0;
            tail = size;
        }
        return position;
    }

    private void resetWhenEmpty() {
        if (head == tail) {
            head = 0;
            tail = 0;
        }
    }
}
