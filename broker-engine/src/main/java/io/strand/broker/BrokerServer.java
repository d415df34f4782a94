package io.strand.broker;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.strand.protocol.FrameDecoder;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The broker's listeners: TCP on the configured host and port, and optionally an in-JVM listener
 * (Netty's local transport) for {@code vm://} clients of an embedded broker. Both speak the same
 * protocol through the same handlers.
 */
final class BrokerServer implements AutoCloseable {
    private final ListenerTransport transport = ListenerTransport.best();
    private final EventLoopGroup bossGroup = transport.newGroup(1);
    private final EventLoopGroup workerGroup = transport.newGroup(0);
    private final EventLoopGroup localGroup = new MultiThreadIoEventLoopGroup(LocalIoHandler.newFactory());
    /** Every open client connection, so that leaks show and shutdown closes them all. */
    private final ChannelGroup connections = new DefaultChannelGroup("strand-connections", GlobalEventExecutor.INSTANCE);
    private final Channel tcpChannel;
    private final Channel localChannel;

    /** @param timers the broker's request timers, or null when it has no metrics */
    BrokerServer(BrokerConfig config, Router router, String localName, RequestClock.Timers timers) {
        try {
            ServerBootstrap tcp = new ServerBootstrap()
                    .group(bossGroup, workerGroup)
                    .channel(transport.serverChannelType())
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            connections.add(ch);
                            ch.pipeline().addLast(idleTimeout(config), new FrameDecoder(config.maxFrameBytes()),
                                    new ConnectionHandler(router, timers));
                        }
                    });
            tcpChannel = tcp.bind(config.host(), config.port()).syncUninterruptibly().channel();
            if (localName != null) {
                ServerBootstrap local = new ServerBootstrap()
                        .group(localGroup)
                        .channel(LocalServerChannel.class)
                        .childHandler(new ChannelInitializer<Channel>() {
                            @Override
                            protected void initChannel(Channel ch) {
                                connections.add(ch);
                                ch.pipeline().addLast(new FrameDecoder(config.maxFrameBytes()),
                                        new ConnectionHandler(router, timers));
                            }
                        });
                localChannel = local.bind(new LocalAddress(localName)).syncUninterruptibly().channel();
            } else {
                localChannel = null;
            }
        } catch (RuntimeException e) {
            shutdownGroups();
            throw new IllegalStateException("cannot listen on " + config.host() + ":" + config.port() + ": " + e, e);
        }
    }

    /** Closes a connection that sent nothing, not even a heartbeat, for the configured time: its client is gone. */
    private static IdleStateHandler idleTimeout(BrokerConfig config) {
        return new IdleStateHandler(config.idleTimeoutMs(), 0, 0, TimeUnit.MILLISECONDS);
    }

    /** The TCP listener's I/O transport, and why epoll is not used when it is not: for the startup log. */
    String transportName() {
        return transport == ListenerTransport.EPOLL ? "epoll"
                : "nio, epoll unavailable: " + ListenerTransport.whyNotEpoll();
    }

    InetSocketAddress tcpAddress() {
        return (InetSocketAddress) tcpChannel.localAddress();
    }

    LocalAddress localAddress() {
        return localChannel == null ? null : (LocalAddress) localChannel.localAddress();
    }

    /** Client connections open now (closed ones leave the group by themselves). */
    int openConnections() {
        return connections.size();
    }

    @Override
    public void close() {
        tcpChannel.close().syncUninterruptibly();
        connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        if (localChannel != null) {
            localChannel.close().syncUninterruptibly();
        }
        shutdownGroups();
    }

    private void shutdownGroups() {
        bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        localGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
