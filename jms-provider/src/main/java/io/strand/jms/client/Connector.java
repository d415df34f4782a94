package io.strand.jms.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.strand.jms.spi.EmbeddedBroker;
import io.strand.jms.spi.EmbeddedBrokerFactory;
import jakarta.jms.JMSException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Iterator;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;

/**
 * Opens a {@link WireConnection} for a {@link ConnectionUrl}: over TCP to one host
 * ({@link #connectTcp(ConnectionUrl.HostPort, ClientOptions, long)}: what a {@link ClusterConnector} searches the
 * cluster with), or to the first reachable host of a {@code strand://} URL, or over Netty's in-JVM transport to an
 * embedded broker found with
 * {@link ServiceLoader} for a {@code vm://} URL. It only connects; the handshake is the caller's.
 *
 * <p>The event loop groups are shared by all connections of the JVM and made of daemon threads, so a
 * forgotten connection never keeps the JVM alive. Thread-safe.
 */
public final class Connector {
    private static final class Groups {
        static final EventLoopGroup TCP = new MultiThreadIoEventLoopGroup(0,
                new DefaultThreadFactory("strand-client", true), NioIoHandler.newFactory());
    }

    private static final class LocalGroups {
        static final EventLoopGroup LOCAL = new MultiThreadIoEventLoopGroup(0,
                new DefaultThreadFactory("strand-client-vm", true), LocalIoHandler.newFactory());
    }

    private Connector() {
    }

    /**
     * @throws JMSException naming every host tried and why it failed, or that no embedded broker is
     *                      on the classpath
     */
    public static WireConnection connect(ConnectionUrl url, ClientOptions options) throws JMSException {
        return url.isVm() ? connectVm(url, options) : connectTcp(url, options);
    }

    private static WireConnection connectTcp(ConnectionUrl url, ClientOptions options) throws JMSException {
        final StringBuilder failures = new StringBuilder();
        for (ConnectionUrl.HostPort host : url.hosts()) {
            try {
                return connectTcp(host, options, options.connectTimeoutMs());
            } catch (JMSException e) {
                failures.append(failures.length() == 0 ? "" : "; ").append(host).append(": ").append(e.getMessage());
            }
        }
        throw new JMSException("cannot connect to any broker of " + url + " (" + failures + ")");
    }

    /**
     * Connects over TCP to one broker.
     *
     * @param connectTimeoutMs how long the TCP connect may take
     * @throws JMSException saying why the host could not be reached
     */
    public static WireConnection connectTcp(ConnectionUrl.HostPort host, ClientOptions options, long connectTimeoutMs)
            throws JMSException {
        return open(Groups.TCP, NioSocketChannel.class, new InetSocketAddress(host.host(), host.port()),
                "strand://" + host, options, connectTimeoutMs);
    }

    private static WireConnection connectVm(ConnectionUrl url, ClientOptions options) throws JMSException {
        final EmbeddedBrokerFactory factory = findEmbeddedBrokerFactory();
        final EmbeddedBroker broker;
        try {
            broker = factory.acquire(url.vmName(), options.brokerOptions());
        } catch (IllegalArgumentException e) {
            throw JmsErrors.withCause(new JMSException("cannot start embedded broker for " + url + ": "
                    + e.getMessage()), e);
        } catch (RuntimeException e) {
            throw JmsErrors.withCause(new JMSException("embedded broker for " + url + " failed to start: " + e), e);
        }
        try {
            final WireConnection connection = open(LocalGroups.LOCAL, LocalChannel.class, broker.address(),
                    url.toString(), options, options.connectTimeoutMs());
            connection.closeFuture().thenRun(broker::release);
            return connection;
        } catch (JMSException | RuntimeException e) {
            broker.release();
            throw e;
        }
    }

    /** Connects over the in-JVM transport to a Netty {@code LocalAddress} (embedded brokers, tests). */
    public static WireConnection connectLocal(SocketAddress address, String description, ClientOptions options)
            throws JMSException {
        return open(LocalGroups.LOCAL, LocalChannel.class, address, description, options, options.connectTimeoutMs());
    }

    /**
     * @return the first factory {@link ServiceLoader} finds, through the context class loader and then
     *         this class's loader (application servers often set only one of them)
     */
    static EmbeddedBrokerFactory findEmbeddedBrokerFactory() throws JMSException {
        return findEmbeddedBrokerFactory(Thread.currentThread().getContextClassLoader(),
                Connector.class.getClassLoader());
    }

    static EmbeddedBrokerFactory findEmbeddedBrokerFactory(ClassLoader... loaders) throws JMSException {
        for (ClassLoader loader : loaders) {
            if (loader == null) {
                continue;
            }
            final Iterator<EmbeddedBrokerFactory> it = ServiceLoader.load(EmbeddedBrokerFactory.class, loader).iterator();
            if (it.hasNext()) {
                return it.next();
            }
        }
        throw new JMSException("vm:// URLs need an embedded broker, but no " + EmbeddedBrokerFactory.class.getName()
                + " was found: put the broker-engine module (io.strand:broker-engine) on the classpath");
    }

    private static WireConnection open(EventLoopGroup group, Class<? extends Channel> channelType,
                                       SocketAddress address, String description, ClientOptions options,
                                       long connectTimeoutMs) throws JMSException {
        final WireConnection[] holder = new WireConnection[1];
        final Bootstrap bootstrap = new Bootstrap().group(group).channel(channelType)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeoutMs))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        holder[0] = new WireConnection(ch, description);
                        ClientHandler.install(ch.pipeline(), holder[0], options);
                    }
                });
        if (channelType == NioSocketChannel.class) {
            bootstrap.option(ChannelOption.TCP_NODELAY, true);
        }
        final ChannelFuture connect = bootstrap.connect(address);
        try {
            if (!connect.await(connectTimeoutMs + 1000, TimeUnit.MILLISECONDS)) {
                connect.cancel(true);
                throw new JMSException("connect timed out after " + connectTimeoutMs + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            connect.cancel(true);
            throw new JMSException("interrupted while connecting to " + description);
        }
        if (!connect.isSuccess()) {
            throw JmsErrors.withCause(new JMSException(String.valueOf(connect.cause().getMessage())), connect.cause());
        }
        return holder[0];
    }
}
