package io.strand.admin;

import io.netty.buffer.ByteBuf;
import io.strand.protocol.DestinationType;
import io.strand.protocol.FrameReader;
import io.strand.protocol.MalformedFrameException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;

/** Encodings the admin messages share: lists, optional destination types, the versions they change in. Stateless. */
final class AdminWire {
    /** Most elements of one list in an admin message. */
    static final int MAX_ELEMENTS = 1_000_000;
    /**
     * The first protocol version whose describe answers carry sessions and consumer figures
     * ({@link DescribeConnections}) and shared subscriptions ({@link DescribeSubscriptions}), and whose redrive
     * moves dead letters back to shared subscriptions ({@link RedriveDeadLetters}).
     */
    static final short SESSIONS_VERSION = 3;
    /** The first protocol version whose described partitions name their in-sync replicas. */
    static final short ISR_VERSION = 4;

    private AdminWire() {
    }

    static <T> void writeList(ByteBuf out, List<T> items, BiConsumer<T, ByteBuf> writer) {
        out.writeInt(items.size());
        items.forEach(item -> writer.accept(item, out));
    }

    static <T> List<T> readList(FrameReader in, String field, int minElementBytes, Function<FrameReader, T> reader) {
        int count = in.readCount(field, MAX_ELEMENTS, minElementBytes);
        List<T> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            items.add(reader.apply(in));
        }
        return List.copyOf(items);
    }

    /** A destination type, or -1 for none (every type). */
    static void writeOptionalType(ByteBuf out, DestinationType type) {
        out.writeByte(type == null ? -1 : type.id);
    }

    static DestinationType readOptionalType(FrameReader in, String field) {
        byte id = in.readInt8(field);
        return id == -1 ? null : DestinationType.forId(id);
    }

    static void checkNotNegative(String field, long value) {
        if (value < 0) {
            throw new MalformedFrameException(field + " is " + value + ", it must not be negative");
        }
    }
}
