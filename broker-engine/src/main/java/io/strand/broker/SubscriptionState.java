package io.strand.broker;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The stored form of a durable subscription, as one record of the internal subscriptions log.
 * Key: {@code clientId NUL name} in UTF-8. Value (null for a removed subscription):
 *
 * <pre>
 *   int8   format version (0)
 *   utf    topic
 *   bool   has selector, then utf selector
 *   bool   noLocal
 *   int32  partition count, then one int64 position per partition (-1 = not started)
 * </pre>
 *
 * @param positions the offset after the last acknowledged record of each partition
 */
record SubscriptionState(String clientId, String name, String topic, String selector, boolean noLocal,
                         long[] positions) {
    private static final byte FORMAT = 0;
    private static final int MAX_PARTITIONS = 10_000;

    byte[] key() {
        return key(clientId, name);
    }

    static byte[] key(String clientId, String name) {
        return (clientId + '\0' + name).getBytes(StandardCharsets.UTF_8);
    }

    byte[] value() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + positions.length * 8);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeUTF(topic);
            out.writeBoolean(selector != null);
            if (selector != null) {
                out.writeUTF(selector);
            }
            out.writeBoolean(noLocal);
            out.writeInt(positions.length);
            for (long position : positions) {
                out.writeLong(position);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Decodes a stored record; the message of the exception names what was wrong. */
    static SubscriptionState decode(ByteBuffer key, ByteBuffer value) {
        String id = StandardCharsets.UTF_8.decode(key.duplicate()).toString();
        int separator = id.indexOf('\0');
        if (separator < 0) {
            throw new IllegalStateException("subscription record key '" + id + "' has no separator");
        }
        byte[] bytes = new byte[value.remaining()];
        value.duplicate().get(bytes);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte format = in.readByte();
            if (format != FORMAT) {
                throw new IllegalStateException("subscription record of " + id + " has unknown format " + format);
            }
            String topic = in.readUTF();
            String selector = in.readBoolean() ? in.readUTF() : null;
            boolean noLocal = in.readBoolean();
            int count = in.readInt();
            if (count < 0 || count > MAX_PARTITIONS) {
                throw new IllegalStateException("subscription record of " + id + " has " + count + " partitions");
            }
            long[] positions = new long[count];
            for (int i = 0; i < count; i++) {
                positions[i] = in.readLong();
            }
            return new SubscriptionState(id.substring(0, separator), id.substring(separator + 1), topic, selector,
                    noLocal, positions);
        } catch (IOException e) {
            throw new IllegalStateException("subscription record of " + id + " is truncated", e);
        }
    }
}
