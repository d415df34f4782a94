package io.strand.protocol;

import io.netty.buffer.ByteBuf;

/**
 * The response of the apis that answer with a status alone: create and delete destination, open,
 * close and credit a consumer, acknowledge, unsubscribe, heartbeat. Also the generic error response
 * of every api (see the package documentation).
 */
public record StatusResponse(ResponseStatus status) {
    public void writeTo(ByteBuf out) {
        status.writeTo(out);
    }

    public static StatusResponse readFrom(FrameReader in) {
        StatusResponse r = new StatusResponse(ResponseStatus.readFrom(in));
        in.end("status response");
        return r;
    }
}
