package io.strand.broker;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;

/**
 * The I/O machinery of the TCP listener: Linux's native epoll transport where it loads, Java NIO elsewhere.
 * Epoll costs fewer system calls per request and wakes an event loop through an eventfd instead of NIO's
 * selector wakeup, which is most of a small synchronous send's broker time besides the fsync.
 */
enum ListenerTransport {
    EPOLL(EpollServerSocketChannel.class) {
        @Override
        IoHandlerFactory ioHandlerFactory() {
            return EpollIoHandler.newFactory();
        }
    },
    NIO(NioServerSocketChannel.class) {
        @Override
        IoHandlerFactory ioHandlerFactory() {
            return NioIoHandler.newFactory();
        }
    };

    private final Class<? extends ServerChannel> serverChannelType;

    ListenerTransport(Class<? extends ServerChannel> serverChannelType) {
        this.serverChannelType = serverChannelType;
    }

    /** Epoll when its native library loads on this machine, else NIO. */
    static ListenerTransport best() {
        return Epoll.isAvailable() ? EPOLL : NIO;
    }

    /** Why epoll is not used, for the startup log; null when it is. */
    static String whyNotEpoll() {
        Throwable cause = Epoll.unavailabilityCause();
        return cause == null ? null : cause.toString();
    }

    abstract IoHandlerFactory ioHandlerFactory();

    EventLoopGroup newGroup(int threads) {
        return new MultiThreadIoEventLoopGroup(threads, ioHandlerFactory());
    }

    Class<? extends ServerChannel> serverChannelType() {
        return serverChannelType;
    }
}
