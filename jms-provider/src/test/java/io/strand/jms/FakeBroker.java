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
import io.strand.protocol.DestinationType;
import io.strand.protocol.Destinations;
import io.strand.protocol.ErrorCode;
import io.strand.protocol.FrameDecoder;
import io.strand.protocol.FrameHeader;
import io.strand.protocol.FrameReader;
import io.strand.protocol.Handshake;
import io.strand.protocol.Produce;
import io.strand.protocol.ResponseStatus;
import io.strand.protocol.Shares;
import io.strand.protocol.StatusResponse;
import io.strand.protocol.SubscriptionKind;
import io.strand.protocol.Transactions;
import io.strand.record.CompressionType;
import io.strand.record.RecordBatch;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A scripted broker for client tests, on Netty's in-JVM transport: answers every request OK, with one
 * partition per destination, and pushes each produced batch to the consumers open on its destination
 * (stamping offsets as a broker would), so producer and consumer code runs end to end without the
 * broker module. Errors per api can be scripted; every request is recorded.
 *
 * <p>Queues have a {@link FakeShareGroup} each: receivers acquire records while they have credit and get
 * {@code SHARE_DELIVER} pushes; their acknowledgements are applied (an offset not held is refused with
 * INVALID_REQUEST, as is REJECT), a redelivery from the client's memory raises the count of records the
 * receiver keeps, and what a closing receiver held becomes available again. With
 * {@link #dispatchQueues} off, records stay put until a test pushes them with {@link #pushShare}.
 */
final class FakeBroker implements AutoCloseable {
    private static final AtomicInteger COUNT = new AtomicInteger();
    private static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());

    /** One request as the broker saw it. */
    record Request(ApiKey api, Object body) {
    }

    private record HeldAnswer(Channel channel, ByteBuf frame) {
    }

    private record OpenConsumer(Channel channel, Consumers.OpenRequest request) {
        boolean isQueue() {
            return request.kind() == SubscriptionKind.QUEUE;
        }
    }

    final List<Request> requests = new CopyOnWriteArrayList<>();
    final Map<ApiKey, ResponseStatus> errors = new ConcurrentHashMap<>();
    final Map<String, Boolean> clientIdsInUse = new ConcurrentHashMap<>();
    private final Map<Integer, OpenConsumer> consumers = new ConcurrentHashMap<>();
    private final Map<String, FakeShareGroup> queues = new ConcurrentHashMap<>();
    /** Records each queue receiver may still be pushed. */
    private final Map<Integer, Integer> queueCredit = new ConcurrentHashMap<>();
    /** Off: queue records are only pushed by {@link #pushShare}. */
    volatile boolean dispatchQueues = true;
    /** On: answers to PRODUCE are kept until {@link #releaseProduceAnswers}, as from a broker slow to confirm. */
    volatile boolean holdProduceAnswers;
    private final Queue<HeldAnswer> heldProduceAnswers = new ConcurrentLinkedQueue<>();
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

    /**
     * Sends the PRODUCE answers held so far ({@link #holdProduceAnswers}), in the order they were held.
     *
     * @return how many were sent
     */
    int releaseProduceAnswers() {
        int sent = 0;
        for (HeldAnswer answer; (answer = heldProduceAnswers.poll()) != null; sent++) {
            answer.channel().writeAndFlush(answer.frame());
        }
        return sent;
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
        for (HeldAnswer answer; (answer = heldProduceAnswers.poll()) != null; ) {
            answer.frame().release();
        }
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
                    } else if (r.type() == DestinationType.QUEUE) {
                        new Produce.Response(ResponseStatus.OK, stampAndStore(r.destination(), batch)).writeTo(out);
                    } else {
                        final long base = stampAndDeliver(r.destination(), batch);
                        new Produce.Response(ResponseStatus.OK, base).writeTo(out);
                    }
                }
                case OPEN_CONSUMER -> {
                    final Consumers.OpenRequest r = Consumers.OpenRequest.readFrom(in, header.version());
                    requests.add(new Request(api, r));
                    ResponseStatus s = error != null ? error : ResponseStatus.OK;
                    if (s.isOk()) {
                        consumers.put(r.consumerId(), new OpenConsumer(ctx.channel(), r));
                        if (r.kind() == SubscriptionKind.QUEUE) {
                            queueCredit.put(r.consumerId(), r.credit());
                        }
                    }
                    // A fake broker keeps no log: it names no start positions.
                    new Consumers.OpenResponse(s, List.of()).writeTo(out, header.version());
                }
                case SHARE_ACKNOWLEDGE -> {
                    final Shares.AcknowledgeRequest r = Shares.AcknowledgeRequest.readFrom(in);
                    requests.add(new Request(api, r));
                    new StatusResponse(error != null ? error : acknowledge(r)).writeTo(out);
                }
                case SHARE_REDELIVER -> {
                    final Shares.RedeliverRequest r = Shares.RedeliverRequest.readFrom(in);
                    requests.add(new Request(api, r));
                    redeliver(r, error).writeTo(out);
                }
                case COMMIT_STATUS -> {
                    final Transactions.CommitStatusRequest r = Transactions.CommitStatusRequest.readFrom(in);
                    requests.add(new Request(api, r));
                    // A fake broker keeps no logs to tell from; a commit that failed for its storage stays unknown.
                    final ResponseStatus commitError = errors.get(ApiKey.COMMIT);
                    final ResponseStatus s = error != null ? error : commitError != null ? commitError
                            : ResponseStatus.of(ErrorCode.UNSUPPORTED_API, "the fake broker does not track commits");
                    new Transactions.CommitStatusResponse(s, false).writeTo(out);
                }
                default -> {
                    requests.add(new Request(api, readSimple(api, in)));
                    new StatusResponse(error != null ? error : ResponseStatus.OK).writeTo(out);
                }
            }
            FrameHeader.finish(out, start);
            if (api == ApiKey.PRODUCE && holdProduceAnswers) {
                heldProduceAnswers.add(new HeldAnswer(ctx.channel(), out));
            } else {
                ctx.writeAndFlush(out);
            }
            dispatchQueues();
        }
    }

    private Shares.RedeliverResponse redeliver(Shares.RedeliverRequest r, ResponseStatus error) {
        if (error != null) {
            return new Shares.RedeliverResponse(error, List.of());
        }
        final OpenConsumer c = consumers.get(r.consumerId());
        if (c == null || !c.isQueue()) {
            return new Shares.RedeliverResponse(ResponseStatus.of(ErrorCode.INVALID_REQUEST, "consumer "
                    + r.consumerId() + " is no open queue receiver"), List.of());
        }
        final List<Shares.AcquiredRange> kept = new ArrayList<>();
        final String refused = queue(c.request().destination()).redeliver(r.consumerId(), r.ranges(), kept);
        return refused == null ? new Shares.RedeliverResponse(ResponseStatus.OK, kept)
                : new Shares.RedeliverResponse(ResponseStatus.of(ErrorCode.INVALID_REQUEST, refused), List.of());
    }

    private ResponseStatus acknowledge(Shares.AcknowledgeRequest r) {
        final OpenConsumer c = consumers.get(r.consumerId());
        final String refused = c == null || !c.isQueue() ? "consumer " + r.consumerId() + " is no open queue receiver"
                : queue(c.request().destination()).acknowledge(r.consumerId(), r.ranges());
        return refused == null ? ResponseStatus.OK : ResponseStatus.of(ErrorCode.INVALID_REQUEST, refused);
    }

    FakeShareGroup queue(String name) {
        return queues.computeIfAbsent(name, n -> new FakeShareGroup());
    }

    /** Pushes acquired records to every queue receiver with credit, as the broker does after any change. */
    private void dispatchQueues() {
        if (!dispatchQueues) {
            return;
        }
        for (OpenConsumer c : consumers.values()) {
            final int credit = queueCredit.getOrDefault(c.request().consumerId(), 0);
            if (!c.isQueue() || credit <= 0) {
                continue;
            }
            final List<Shares.AcquiredRange> acquired = queue(c.request().destination())
                    .acquire(c.request().consumerId(), credit);
            long count = 0;
            for (Shares.AcquiredRange r : acquired) {
                count += r.lastOffset() - r.firstOffset() + 1;
            }
            if (count > 0) {
                queueCredit.put(c.request().consumerId(), (int) (credit - count));
                sharePush(c, acquired);
            }
        }
    }

    /**
     * Pushes the given ranges of a receiver's queue to it, with the batches that hold them, and marks them
     * held by it with the given delivery counts: for tests that script what the broker sends.
     */
    void pushShare(int consumerId, List<Shares.AcquiredRange> acquired) {
        final OpenConsumer c = consumers.get(consumerId);
        queue(c.request().destination()).hold(consumerId, acquired);
        sharePush(c, acquired);
    }

    private void sharePush(OpenConsumer c, List<Shares.AcquiredRange> acquired) {
        final ByteBuf records = queue(c.request().destination()).batchesFor(acquired);
        final ByteBuf out = c.channel().alloc().buffer();
        final int start = new FrameHeader(ApiKey.SHARE_DELIVER.id, (short) 0, 0).begin(out);
        final Shares.Deliver deliver = new Shares.Deliver(c.request().consumerId(), 0, acquired, records);
        deliver.writeHeaderTo(out, records.readableBytes());
        out.writeBytes(records);
        records.release();
        FrameHeader.finish(out, start);
        c.channel().writeAndFlush(out);
    }

    private Object readSimple(ApiKey api, FrameReader in) {
        return switch (api) {
            case CLOSE_CONSUMER -> {
                final Consumers.CloseRequest r = Consumers.CloseRequest.readFrom(in);
                final OpenConsumer closed = consumers.remove(r.consumerId());
                if (closed != null && closed.isQueue()) {
                    queueCredit.remove(r.consumerId());
                    queue(closed.request().destination()).releaseAll(r.consumerId());
                }
                yield r;
            }
            case CONSUMER_CREDIT -> {
                final Consumers.CreditRequest r = Consumers.CreditRequest.readFrom(in);
                queueCredit.computeIfPresent(r.consumerId(), (id, credit) -> credit + r.credit());
                yield r;
            }
            case STOP_CONSUMER -> {
                final Consumers.StopRequest r = Consumers.StopRequest.readFrom(in);
                queueCredit.computeIfPresent(r.consumerId(), (id, credit) -> 0); // a stopped receiver gets no more
                yield r;
            }
            case ACKNOWLEDGE -> Consumers.AcknowledgeRequest.readFrom(in);
            case UNSUBSCRIBE -> Consumers.UnsubscribeRequest.readFrom(in);
            case COMMIT -> {
                // Kept as the client sent it; the records are copied out of the frame, which is released.
                final Transactions.CommitRequest r = Transactions.CommitRequest.readFrom(in);
                yield new Transactions.CommitRequest(r.records().stream().map(p -> new Transactions.PartitionRecords(
                        p.type(), p.destination(), p.partition(), Unpooled.copiedBuffer(p.records()))).toList(),
                        r.queueAcks(), r.topicAcks());
            }
            default -> null;
        };
    }

    /** Gives the batch its offsets and keeps it in its queue's share group; returns the base offset. */
    private long stampAndStore(String queue, ByteBuf batch) {
        final ByteBuffer nio = ByteBuffer.allocate(batch.readableBytes());
        batch.getBytes(batch.readerIndex(), nio);
        nio.flip();
        final RecordBatch flyweight = new RecordBatch().wrap(nio, 0);
        final long base = nextOffset.getAndAdd(flyweight.recordCount());
        flyweight.setBaseOffset(base);
        queue(queue).append(base, flyweight.recordCount(), nio.array());
        return base;
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
            if (c.request().destination().equals(destination) && !c.isQueue()) {
                push(c.channel(), c.request().consumerId(), base, Unpooled.wrappedBuffer(nio.duplicate()));
            }
        }
        return base;
    }

    /** Pushes records to a consumer, as DELIVER with correlation id 0. */
    void push(Channel channel, int consumerId, long fromOffset, ByteBuf records) {
        final ByteBuf out = channel.alloc().buffer();
        final int start = new FrameHeader(ApiKey.DELIVER.id, (short) 0, 0).begin(out);
        new Consumers.Deliver(consumerId, 0, fromOffset, records).writeHeaderTo(out, records.readableBytes(), (short) 0);
        out.writeBytes(records);
        records.release();
        FrameHeader.finish(out, start);
        channel.writeAndFlush(out);
    }
}
