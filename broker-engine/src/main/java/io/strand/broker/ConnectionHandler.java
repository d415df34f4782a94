package io.strand.broker;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleStateEvent;
import io.strand.log.LogStorageException;
import io.strand.log.OffsetOutOfRangeException;
import io.strand.log.ProducerSequenceException;
import io.strand.protocol.ApiKey;
import io.strand.protocol.ErrorCode;
import io.strand.protocol.FrameHeader;
import io.strand.protocol.FrameReader;
import io.strand.protocol.Handshake;
import io.strand.protocol.MalformedFrameException;
import io.strand.protocol.ResponseStatus;
import io.strand.record.CorruptRecordException;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: checks each frame's header, insists on the handshake first, hands the
 * request to the {@link RequestRouter}, and turns every refusal into the error response of that
 * request. A frame that cannot be parsed gets MALFORMED_REQUEST and the connection goes on (the
 * frame's length still told where the next one starts); a stream that cannot be framed any more
 * (a bad length) closes this connection only. Every problem is logged once with the peer's address.
 *
 * <p>Threading: runs on the connection's event loop.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionHandler.class);

    private final Router router;
    private final RequestClock.Timers timers;
    private ClientConnection connection;

    /** @param timers the broker's request timers, or null when it has no metrics */
    ConnectionHandler(Router router, RequestClock.Timers timers) {
        this.router = router;
        this.timers = timers;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        connection = new ClientConnection(ctx.channel());
        RequestClock.attach(ctx.channel(), timers);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        FrameHeader header = null;
        try {
            FrameReader in = new FrameReader(frame);
            header = FrameHeader.read(in);
            ApiKey api = ApiKey.forId(header.apiKey());
            if (api == null || api == ApiKey.DELIVER || api == ApiKey.SHARE_DELIVER) {
                reject(header, ErrorCode.UNSUPPORTED_API, "api " + header.apiKey() + " is not a request this broker serves");
                return;
            }
            if (header.version() < Handshake.MIN_VERSION || header.version() > Handshake.MAX_VERSION) {
                reject(header, ErrorCode.UNSUPPORTED_VERSION, api + " version " + header.version()
                        + " is not supported; this broker speaks " + Handshake.MIN_VERSION + " to " + Handshake.MAX_VERSION);
                return;
            }
            if (!connection.handshaken() && api != ApiKey.HANDSHAKE) {
                reject(header, ErrorCode.HANDSHAKE_REQUIRED, api + " before the handshake; closing the connection");
                ctx.close();
                return;
            }
            RequestClock.arrived(ctx.channel(), header);
            router.route(connection, api, header, in);
        } catch (MalformedFrameException e) {
            malformed(header, e);
        } catch (BrokerException e) {
            reject(header, e.error(), e.getMessage());
        } catch (CorruptRecordException e) {
            reject(header, ErrorCode.CORRUPT_RECORDS, e.getMessage());
        } catch (ProducerSequenceException e) {
            reject(header, ErrorCode.INVALID_REQUEST, "batch refused: " + e.getMessage());
        } catch (OffsetOutOfRangeException e) {
            reject(header, ErrorCode.OFFSET_OUT_OF_RANGE, e.getMessage());
        } catch (LogStorageException e) {
            reject(header, ErrorCode.STORAGE_ERROR, e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("request {} from {} failed", header, ctx.channel().remoteAddress(), e);
            reject(header, ErrorCode.UNKNOWN_SERVER_ERROR, "the broker failed on this request: " + e);
        } finally {
            frame.release();
        }
    }

    private void malformed(FrameHeader header, MalformedFrameException e) {
        LOG.warn("malformed frame from {}: {}", connection.remoteAddress(), e.getMessage());
        if (header != null) {
            Responses.status(connection.channel(), header, ResponseStatus.of(ErrorCode.MALFORMED_REQUEST, e.getMessage()));
        } else {
            connection.channel().close();
        }
    }

    private void reject(FrameHeader header, ErrorCode error, String message) {
        if (header == null) {
            connection.channel().close();
            return;
        }
        LOG.debug("refused {} from {}: {}", header, connection.remoteAddress(), message);
        Responses.status(connection.channel(), header, ResponseStatus.of(error, message));
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            connection.resumeDeliveries();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            LOG.warn("closing the connection from {}: nothing received within the idle timeout", ctx.channel().remoteAddress());
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        router.disconnected(connection);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof DecoderException && cause.getCause() instanceof MalformedFrameException) {
            LOG.warn("closing the connection from {}: {}", ctx.channel().remoteAddress(), cause.getCause().getMessage());
        } else if (cause instanceof IOException) {
            LOG.debug("connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        } else {
            LOG.warn("closing the connection from {} after an error", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }
}
