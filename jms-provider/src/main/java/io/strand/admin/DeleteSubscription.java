package io.strand.admin;

import io.netty.buffer.ByteBuf;
import io.strand.protocol.FrameReader;
import io.strand.protocol.FrameWriter;

/**
 * Removes the durable subscription, or the shared durable subscription, {@code name} of client {@code clientId}
 * (null: a shared subscription opened without a client id); answered with a status alone. One with active
 * consumers is refused with SUBSCRIPTION_IN_USE, a shared non-durable one with INVALID_REQUEST: it ends with its last
 * consumer.
 */
public final class DeleteSubscription {
    private DeleteSubscription() {
    }

    public record Request(String clientId, String name) {
        public void writeTo(ByteBuf out) {
            FrameWriter.writeNullableString(out, clientId);
            FrameWriter.writeNullableString(out, name);
        }

        public static Request readFrom(FrameReader in) {
            Request r = new Request(in.readNullableString("client id"), in.readString("subscription"));
            in.end("delete subscription request");
            return r;
        }
    }
}
