package io.strand.jms;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import io.strand.jms.client.ClientOptions;
import io.strand.jms.client.ConnectionUrl;
import io.strand.jms.client.Connector;
import io.strand.jms.client.RecordFormats;
import io.strand.protocol.ApiKey;
import io.strand.protocol.Consumers;
import io.strand.protocol.Destinations;
import io.strand.protocol.ErrorCode;
import io.strand.protocol.FrameDecoder;
import io.strand.protocol.FrameHeader;
import io.strand.protocol.FrameReader;
import io.strand.protocol.Handshake;
import io.strand.protocol.Produce;
import io.strand.protocol.ResponseStatus;
import io.strand.protocol.StatusResponse;
import io.strand.record.CompressionType;
import io.strand.record.RecordBatch;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A scripted broker for client tests, on Netty's in-JVM transport: answers every request OK, with one
 * partition per destination, and pushes each produced batch to the consumers open on its destination
 * (stamping offsets as a broker would), so producer and consumer code runs end to end without the
 * broker module. Errors per api can be scripted; every request is recorded.
 */
final class FakeBroker implements AutoCloseable {
    private static final AtomicInteger COUNT = new AtomicInteger();
    private static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());

    /** One request as the broker saw it. */
    record Request(ApiKey api, Object body) {
    }

    private record OpenConsumer(Channel channel, Consumers.OpenRequest request) {
    }

    final List<Request> requests = new CopyOnWriteArrayList<>();
    final Map<ApiKey, ResponseStatus> errors = new ConcurrentHashMap<>();
    final Map<String, Boolean> clientIdsInUse = new ConcurrentHashMap<>();
    private final Map<Integer, OpenConsumer> consumers = new ConcurrentHashMap<>();
    private final AtomicLong nextOffset = new AtomicLong();
    private final List<Channel> channels = new CopyOnWriteArrayList<>();
    private final LocalAddress address = new LocalAddress("fake-broker-" + COUNT.incrementAndGet());
    private final Channel server;

    FakeBroker() throws InterruptedException {
        server = new ServerBootstrap().group(GROUP).channel(LocalServerChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        channels.add(ch);
                        ch.pipeline().addLast(new FrameDecoder(1 << 24), new Handler());
                    }
                }).bind(address).sync().channel();
    }

    LocalAddress address() {
        return address;
    }

    /** A connection to this broker with the given URL options (the URL's host part is ignored). */
    StrandConnection connect(String options) throws jakarta.jms.JMSException {
        final ClientOptions o = ClientOptions.from(ConnectionUrl.parse("strand://fake:1" + options));
        return StrandConnection.open(Connector.connectLocal(address, "fake://" + address.id(), o), o,
                new RecordFormats(CompressionType.NONE, 1 << 24));
    }

    List<Request> requests(ApiKey api) {
        return requests.stream().filter(r -> r.api() == api).toList();
    }

    /** Drops every connection, as a crashed broker would. */
    void dropConnections() {
        channels.forEach(Channel::close);
    }

    /** Sends raw bytes to every client, for malformed-frame tests. */
    void sendRaw(ByteBuf bytes) {
        for (Channel ch : channels) {
            ch.writeAndFlush(bytes.retainedDuplicate());
        }
        bytes.release();
    }

    @Override
    public void close() {
        dropConnections();
        server.close().syncUninterruptibly();
    }

    private final class Handler extends SimpleChannelInboundHandler<ByteBuf> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            final FrameReader in = new FrameReader(frame);
            final FrameHeader header = FrameHeader.read(in);
            final ApiKey api = ApiKey.forId(header.apiKey());
            final ResponseStatus error = errors.get(api);
            final ByteBuf out = ctx.alloc().buffer();
            final int start = new FrameHeader(header.apiKey(), header.version(), header.correlationId()).begin(out);
            switch (api) {
                case HANDSHAKE -> {
                    final Handshake.Request r = Handshake.Request.readFrom(in);
                    requests.add(new Request(api, r));
                    ResponseStatus s = error != null ? error : ResponseStatus.OK;
                    if (r.clientId() != null && clientIdsInUse.containsKey(r.clientId())) {
                        s = ResponseStatus.of(ErrorCode.INVALID_CLIENT_ID, "client id '" + r.clientId() + "' is in use");
                    }
                    new Handshake.Response(s, Handshake.MAX_VERSION, 7, "fake").writeTo(out);
                }
                case METADATA -> {
                    final Destinations.MetadataRequest r = Destinations.MetadataRequest.readFrom(in);
                    requests.add(new Request(api, r));
                    new Destinations.MetadataResponse(error != null ? error : ResponseStatus.OK,
                            new Destinations.Info(r.type(), r.name(), 1)).writeTo(out);
                }
                case PRODUCE -> {
                    final Produce.Request r = Produce.Request.readFrom(in);
                    final ByteBuf batch = Unpooled.copiedBuffer(r.records());
                    requests.add(new Request(api, new Produce.Request(r.type(), r.destination(), r.partition(),
                            r.durable(), batch)));
                    if (error != null) {
                        new Produce.Response(error, -1).writeTo(out);
                    } else {
                        final long base = stampAndDeliver(r.destination(), batch);
                        new Produce.Response(ResponseStatus.OK, base).writeTo(out);
                    }
                }
                case OPEN_CONSUMER -> {
                    final Consumers.OpenRequest r = Consumers.OpenRequest.readFrom(in);
                    requests.add(new Request(api, r));
                    if (error == null) {
                        consumers.put(r.consumerId(), new OpenConsumer(ctx.channel(), r));
                    }
                    new StatusResponse(error != null ? error : ResponseStatus.OK).writeTo(out);
                }
                default -> {
                    requests.add(new Request(api, readSimple(api, in)));
                    new StatusResponse(error != null ? error : ResponseStatus.OK).writeTo(out);
                }
            }
            FrameHeader.finish(out, start);
            ctx.writeAndFlush(out);
        }
    }

    private Object readSimple(ApiKey api, FrameReader in) {
        return switch (api) {
            case CLOSE_CONSUMER -> {
                final Consumers.CloseRequest r = Consumers.CloseRequest.readFrom(in);
                consumers.remove(r.consumerId());
                yield r;
            }
            case CONSUMER_CREDIT -> Consumers.CreditRequest.readFrom(in);
            case ACKNOWLEDGE -> Consumers.AcknowledgeRequest.readFrom(in);
            case UNSUBSCRIBE -> Consumers.UnsubscribeRequest.readFrom(in);
            default -> null;
        };
    }

    /** Gives the batch its offsets and pushes it to every consumer of the destination; returns the base offset. */
    private long stampAndDeliver(String destination, ByteBuf batch) {
        final ByteBuffer nio = ByteBuffer.allocate(batch.readableBytes());
        batch.getBytes(batch.readerIndex(), nio);
        nio.flip();
        final RecordBatch flyweight = new RecordBatch().wrap(nio, 0);
        final long base = nextOffset.getAndAdd(flyweight.recordCount());
        flyweight.setBaseOffset(base);
        for (OpenConsumer c : consumers.values()) {
            if (c.request().destination().equals(destination)) {
                push(c.channel(), c.request().consumerId(), base, Unpooled.wrappedBuffer(nio.duplicate()));
            }
        }
        return base;
    }

    /** Pushes records to a consumer, as DELIVER with correlation id 0. */
    void push(Channel channel, int consumerId, long fromOffset, ByteBuf records) {
        final ByteBuf out = channel.alloc().buffer();
        final int start = new FrameHeader(ApiKey.DELIVER.id, (short) 0, 0).begin(out);
        new Consumers.Deliver(consumerId, 0, fromOffset, records).writeHeaderTo(out, records.readableBytes());
        out.writeBytes(records);
        records.release();
        FrameHeader.finish(out, start);
        channel.writeAndFlush(out);
    }
}
