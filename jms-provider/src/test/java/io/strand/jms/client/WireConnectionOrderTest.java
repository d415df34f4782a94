package io.strand.jms.client;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Requests leave a connection in the order they were sent, whichever threads sent them: Netty alone would let a
 * write made on the event loop pass one another thread asked for just before.
 */
class WireConnectionOrderTest {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
    private final List<Integer> arrived = new CopyOnWriteArrayList<>();
    private Channel server;
    private WireConnection wire;

    @AfterEach
    void close() {
        if (wire != null) {
            wire.close();
        }
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
    }

    @Test
    void aRequestSentOnTheEventLoopDoesNotPassOneSentBeforeFromAnotherThread() throws Exception {
        final LocalAddress address = new LocalAddress("order-" + System.nanoTime());
        server = new ServerBootstrap().group(group).channel(LocalServerChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new FrameDecoder(1 << 20), new SimpleChannelInboundHandler<ByteBuf>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
                                arrived.add(FrameHeader.read(new FrameReader(frame)).correlationId());
                            }
                        });
                    }
                }).bind(address).sync().channel();
        wire = Connector.connectLocal(address, "test://order", ClientOptions.defaults());

        for (int round = 0; round < 20; round++) {
            final CountDownLatch firstSent = new CountDownLatch(1);
            final CountDownLatch secondSent = new CountDownLatch(1);
            // The event loop waits until this thread has sent the first request, then sends the second itself.
            wire.execute(() -> {
                try {
                    firstSent.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                heartbeat();
                secondSent.countDown();
            });
            heartbeat();
            firstSent.countDown();
            // The next round's first request comes after this one's second: sends that overlap have no order.
            assertThat(secondSent.await(10, TimeUnit.SECONDS)).isTrue();
        }
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (arrived.size() < 40 && System.nanoTime() < deadlineNs) {
            Thread.sleep(10);
        }
        assertThat(arrived).hasSize(40);
        assertThat(arrived).as("correlation ids in the order the requests were sent").isSorted();
    }

    private void heartbeat() {
        wire.sendForStatus(ApiKey.HEARTBEAT, body -> { });
    }
}
