package io.strand.broker;

import io.strand.log.LogManager;
import io.strand.log.TopicPartition;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * A value too large for one batch of an internal log — a commit record or a prepared XA branch holds whole record
 * batches — stored as chunks that each fit in one. A log's batch limit also bounds its crash recovery when the
 * broker starts, where a larger batch would count as corrupt. The value of each chunk:
 *
 * <pre>
 *   int8   format (0)
 *   int32  chunk count
 *   the chunk's bytes of the encoded value
 * </pre>
 *
 * The key is the owner's business; it names the chunk's index. Stateless, except {@link Assembly}.
 */
final class Chunks {
    private static final byte FORMAT = 0;
    /** Room in a batch for its header, the record framing and the chunk's own fields. */
    private static final int OVERHEAD = 256;

    private Chunks() {
    }

    /** The most bytes of a value one chunk of the internal log {@code topic} holds. */
    static int chunkBytes(LogManager logs, String topic) {
        // The broker's default batch limit, which the log keeps and which its crash recovery applies at start.
        int maxBatchBytes = logs.getOrCreateLog(new TopicPartition(topic, 0)).config().maxBatchBytes();
        return Math.max(1, maxBatchBytes - OVERHEAD);
    }

    /** The chunk values of {@code encoded}, at least one. */
    static List<byte[]> split(byte[] encoded, int chunkBytes) {
        int count = Math.max(1, (encoded.length + chunkBytes - 1) / chunkBytes);
        List<byte[]> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int from = i * chunkBytes;
            values.add(value(count, encoded, from, Math.min(encoded.length, from + chunkBytes)));
        }
        return values;
    }

    private static byte[] value(int count, byte[] bytes, int from, int to) {
        return ByteBuffer.allocate(1 + 4 + to - from).put(FORMAT).putInt(count).put(Arrays.copyOfRange(bytes, from, to))
                .array();
    }

    /** The chunks of one value found while replaying a log, in any order. Not thread-safe. */
    static final class Assembly {
        private final TreeMap<Integer, byte[]> parts = new TreeMap<>();
        private int count;

        /**
         * Adds the chunk at {@code index}.
         *
         * @param what names the value, for the message of a malformed chunk
         * @throws IllegalStateException if the chunk is malformed
         */
        void add(int index, ByteBuffer value, String what) {
            ByteBuffer v = value.duplicate();
            if (v.remaining() < 5 || v.get() != FORMAT) {
                throw new IllegalStateException("chunk " + index + " of " + what + " has an unknown format");
            }
            count = v.getInt();
            byte[] bytes = new byte[v.remaining()];
            v.get(bytes);
            parts.put(index, bytes);
        }

        /** @return whether every chunk, and no other, was found */
        boolean isComplete() {
            return !parts.isEmpty() && parts.size() == count && parts.firstKey() == 0 && parts.lastKey() == count - 1;
        }

        int found() {
            return parts.size();
        }

        int count() {
            return count;
        }

        /** @return the value, put together; call only when complete */
        byte[] whole() {
            int size = 0;
            for (byte[] part : parts.values()) {
                size += part.length;
            }
            ByteBuffer whole = ByteBuffer.allocate(size);
            parts.values().forEach(whole::put);
            return whole.array();
        }

        /** @return the chunk values, to be appended again by a snapshot; call only when complete */
        List<byte[]> values() {
            List<byte[]> values = new ArrayList<>(parts.size());
            for (byte[] part : parts.values()) {
                values.add(value(count, part, 0, part.length));
            }
            return values;
        }
    }
}
