package io.strand.jms.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.strand.protocol.FrameDecoder;
import io.strand.protocol.MalformedFrameException;
import java.util.concurrent.TimeUnit;

/**
 * The last handler of a client pipeline: hands each frame to its {@link WireConnection}, turns idle
 * periods into heartbeats, and turns a malformed frame, an I/O error or the channel closing into the
 * connection's failure. Runs on the event loop; one instance per channel.
 */
public final class ClientHandler extends ChannelInboundHandlerAdapter {
    private final WireConnection connection;

    public ClientHandler(WireConnection connection) {
        this.connection = connection;
    }

    /** Installs frame decoding, idle detection and this handler on a client channel. */
    public static void install(ChannelPipeline pipeline, WireConnection connection, ClientOptions options) {
        pipeline.addLast("frames", new FrameDecoder(options.maxFrameBytes()));
        pipeline.addLast("idle", new IdleStateHandler(0, 0, options.heartbeatMs(), TimeUnit.MILLISECONDS));
        pipeline.addLast("client", new ClientHandler(connection));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        final ByteBuf frame = (ByteBuf) msg;
        try {
            connection.onFrame(frame);
        } catch (MalformedFrameException e) {
            connection.fail(new ConnectionLostException("the broker at " + connection.description()
                    + " sent a malformed frame: " + e.getMessage(), e));
        } catch (RuntimeException e) {
            connection.fail(new ConnectionLostException("handling a frame from " + connection.description()
                    + " failed: " + e, e));
        } finally {
            frame.release();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            connection.onIdle();
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        final String what = cause instanceof MalformedFrameException || cause.getCause() instanceof MalformedFrameException
                ? "sent a malformed frame: " : "failed: ";
        final Throwable reason = cause.getCause() instanceof MalformedFrameException ? cause.getCause() : cause;
        connection.fail(new ConnectionLostException("the connection to " + connection.description() + " " + what
                + reason.getMessage(), reason));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        connection.fail(new ConnectionLostException("the connection to " + connection.description()
                + " was closed by the broker or the network", null));
    }
}
