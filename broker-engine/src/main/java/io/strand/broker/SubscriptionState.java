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
 *   int8   format version (1; 0 ends after the positions)
 *   utf    topic
 *   bool   has selector, then utf selector
 *   bool   noLocal
 *   int32  partition count, then one int64 position per partition (-1 = not started)
 *   int32  partition count, then one int64 delivered mark per partition (format 1)
 * </pre>
 *
 * <p>A record of format 0 has no delivered marks: they read as the positions (nothing known to be delivered
 * beyond what was acknowledged).
 *
 * @param positions the offset after the last acknowledged record of each partition
 * @param delivered the offset after the last record pushed to a consumer of each partition, acknowledged or not
 *                  (-1 = none): records from the position up to it are redeliveries
 */
record SubscriptionState(String clientId, String name, String topic, String selector, boolean noLocal,
                         long[] positions, long[] delivered) {
    private static final byte FORMAT = 1;
    private static final byte FORMAT_WITHOUT_DELIVERED = 0;
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
            out.writeInt(delivered.length);
            for (long mark : delivered) {
                out.writeLong(mark);
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
            if (format != FORMAT && format != FORMAT_WITHOUT_DELIVERED) {
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
            long[] delivered = positions.clone();
            if (format == FORMAT) {
                if (in.readInt() != count) {
                    throw new IllegalStateException("subscription record of " + id
                            + " has delivered marks for another number of partitions than positions");
                }
                for (int i = 0; i < count; i++) {
                    delivered[i] = in.readLong();
                }
            }
            return new SubscriptionState(id.substring(0, separator), id.substring(separator + 1), topic, selector,
                    noLocal, positions, delivered);
        } catch (IOException e) {
            throw new IllegalStateException("subscription record of " + id + " is truncated", e);
        }
    }
}
