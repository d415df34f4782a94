package io.strand.jms.client;

import io.netty.buffer.ByteBuf;
import io.strand.protocol.ApiKey;
import io.strand.protocol.FrameReader;
import io.strand.protocol.ResponseStatus;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * One request of a {@link ClusterConnection} that means the same on any broker connection, from the moment it is
 * taken until it is answered or fails for good: its encoded body, kept so that it can be sent again on the next
 * connection, and where it was sent last.
 *
 * <p>Threading: {@link #sentOn} is guarded by the connection that holds the request; the rest is immutable.
 */
final class UnboundRequest<T> {
    /** The order requests were taken in: they wait, and are sent again, in this order. */
    final long sequence;
    final ApiKey api;
    /** The encoded body; released once the request is settled. */
    final ByteBuf body;
    final Function<FrameReader, T> parser;
    final Function<T, ResponseStatus> status;
    /** Whether the broker may get it twice, so that it is sent again when its connection is lost on its way. */
    final boolean idempotent;
    final CompletableFuture<T> result = new CompletableFuture<>();
    /** The broker connection it was sent on last and waits for an answer from; null while waiting to be sent. */
    WireConnection sentOn;

    UnboundRequest(long sequence, ApiKey api, ByteBuf body, Function<FrameReader, T> parser,
                   Function<T, ResponseStatus> status, boolean idempotent) {
        this.sequence = sequence;
        this.api = api;
        this.body = body;
        this.parser = parser;
        this.status = status;
        this.idempotent = idempotent;
    }

    /** Sends it on a connection; the caller holds the connection's lock, so requests leave in the order taken. */
    CompletableFuture<T> sendOn(WireConnection on) {
        sentOn = on;
        return on.send(api, out -> out.writeBytes(body, body.readerIndex(), body.readableBytes()), parser, status);
    }
}
