package io.strand.broker;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.strand.protocol.FrameHeader;
import io.strand.protocol.ResponseStatus;
import java.util.function.Consumer;

/** Writes response frames: the request's api, version and correlation id, then the body. */
final class Responses {
    private Responses() {
    }

    /** Sends a response whose body {@code body} writes; safe to call from any thread. */
    static void send(Channel channel, FrameHeader request, Consumer<ByteBuf> body) {
        ByteBuf out = channel.alloc().buffer();
        FrameHeader header = new FrameHeader(request.apiKey(), request.version(), request.correlationId());
        int start = header.begin(out);
        body.accept(out);
        FrameHeader.finish(out, start);
        channel.writeAndFlush(out, channel.voidPromise());
        RequestClock.answered(channel, request);
    }

    /** Sends the status-only response: success for status apis, or the error of any api. */
    static void status(Channel channel, FrameHeader request, ResponseStatus status) {
        send(channel, request, status::writeTo);
    }
}
