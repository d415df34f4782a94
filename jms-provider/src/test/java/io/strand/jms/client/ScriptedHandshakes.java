package io.strand.jms.client;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import io.strand.protocol.ApiKey;
import io.strand.protocol.FrameDecoder;
import io.strand.protocol.FrameHeader;
import io.strand.protocol.FrameReader;
import io.strand.protocol.Handshake;
import io.strand.protocol.ResponseStatus;
import io.strand.protocol.StatusResponse;
import jakarta.jms.JMSException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongFunction;

/**
 * Brokers of a cluster that only answer handshakes, each as its script says, on Netty's in-JVM transport: for tests of
 * how a client searches a cluster. A script gets the milliseconds since the cluster was made and answers with a
 * {@link Reply}: what to answer and how long to hold it first (as a broker holds a handshake while its cluster has no
 * active broker). Hosts without a broker refuse the connection. The {@link #dialer} connects to them.
 */
final class ScriptedHandshakes implements AutoCloseable {
    private static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(2, LocalIoHandler.newFactory());
    private static final AtomicInteger COUNT = new AtomicInteger();

    /** An answer to a handshake, sent after {@code holdMs}; a null answer is never sent. */
    record Reply(long holdMs, Handshake.Response answer) {
        static Reply accept() {
            return new Reply(0, new Handshake.Response(ResponseStatus.OK, Handshake.MAX_VERSION, 1, "active"));
        }

        static Reply notLeader(String leaderEndpoint) {
            return new Reply(0, Handshake.Response.notLeader("not the active broker", leaderEndpoint));
        }

        static Reply never() {
            return new Reply(0, null);
        }

        Reply heldFor(long ms) {
            return new Reply(ms, answer);
        }
    }

    /** One scripted broker: its handshakes and connections. */
    static final class Broker {
        final AtomicInteger handshakes = new AtomicInteger();
        final AtomicInteger connections = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();
        private final LongFunction<Reply> script;
        private final LocalAddress address = new LocalAddress("scripted-broker-" + COUNT.incrementAndGet());
        private Channel server;

        private Broker(LongFunction<Reply> script) {
            this.script = script;
        }
    }

    private final long startNs = System.nanoTime();
    private final Map<Integer, Broker> brokers = new ConcurrentHashMap<>();

    /** Starts a broker for {@code host:port} (the host name is ignored: brokers are told apart by port). */
    Broker add(int port, LongFunction<Reply> script) throws InterruptedException {
        final Broker broker = new Broker(script);
        broker.server = new ServerBootstrap().group(GROUP).channel(LocalServerChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        broker.connections.incrementAndGet();
                        ch.closeFuture().addListener(f -> broker.closed.incrementAndGet());
                        ch.pipeline().addLast(new FrameDecoder(1 << 20), new Answering(broker));
                    }
                }).bind(broker.address).sync().channel();
        brokers.put(port, broker);
        return broker;
    }

    long elapsedMs() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
    }

    /** Connects to the scripted broker of the host's port, or refuses as a host that is down. */
    ClusterConnector.Dialer dialer(ClientOptions options) {
        return (host, connectTimeoutMs) -> {
            final Broker broker = brokers.get(host.port());
            if (broker == null) {
                throw new JMSException("Connection refused: " + host);
            }
            return Connector.connectLocal(broker.address, "strand://" + host, options);
        };
    }

    @Override
    public void close() {
        for (Broker broker : brokers.values()) {
            broker.server.close().syncUninterruptibly();
        }
    }

    /** Answers one connection's requests in order, as a broker does: nothing passes a held handshake. */
    private final class Answering extends SimpleChannelInboundHandler<ByteBuf> {
        private final Broker broker;
        /** When the last answer goes out; {@link Long#MAX_VALUE} after a handshake never answered. */
        private long answeredUntilMs;

        Answering(Broker broker) {
            this.broker = broker;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            final FrameHeader header = FrameHeader.read(new FrameReader(frame));
            final long nowMs = elapsedMs();
            if (header.apiKey() == ApiKey.HANDSHAKE.id) {
                broker.handshakes.incrementAndGet();
                final Reply reply = broker.script.apply(nowMs);
                answerAt(ctx, header, reply.answer(), reply.answer() == null ? Long.MAX_VALUE : nowMs + reply.holdMs());
            } else if (header.apiKey() == ApiKey.HEARTBEAT.id) {
                answerAt(ctx, header, new StatusResponse(ResponseStatus.OK), nowMs);
            }
        }

        private void answerAt(ChannelHandlerContext ctx, FrameHeader request, Object response, long atMs) {
            answeredUntilMs = Math.max(answeredUntilMs, atMs);
            if (answeredUntilMs == Long.MAX_VALUE) {
                return;
            }
            ctx.executor().schedule(() -> answer(ctx, request, response), answeredUntilMs - elapsedMs(),
                    TimeUnit.MILLISECONDS);
        }

        private void answer(ChannelHandlerContext ctx, FrameHeader request, Object response) {
            final ByteBuf out = ctx.alloc().buffer();
            final int start = new FrameHeader(request.apiKey(), request.version(), request.correlationId()).begin(out);
            if (response instanceof Handshake.Response handshake) {
                handshake.writeTo(out);
            } else {
                ((StatusResponse) response).writeTo(out);
            }
            FrameHeader.finish(out, start);
            ctx.writeAndFlush(out);
        }
    }
}
