package io.strand.admin;

import io.netty.buffer.ByteBuf;
import io.strand.protocol.FrameReader;
import io.strand.protocol.FrameWriter;

/** Removes the durable subscription {@code name} of client {@code clientId}; answered with a status alone. */
public final class DeleteSubscription {
    private DeleteSubscription() {
    }

    public record Request(String clientId, String name) {
        public void writeTo(ByteBuf out) {
            FrameWriter.writeNullableString(out, clientId);
            FrameWriter.writeNullableString(out, name);
        }

        public static Request readFrom(FrameReader in) {
            Request r = new Request(in.readString("client id"), in.readString("subscription"));
            in.end("delete subscription request");
            return r;
        }
    }
}
