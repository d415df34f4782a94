package io.strand.jms.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.strand.protocol.ApiKey;
import io.strand.protocol.Consumers;
import io.strand.protocol.ErrorCode;
import io.strand.protocol.FrameHeader;
import io.strand.protocol.FrameReader;
import io.strand.protocol.Handshake;
import io.strand.protocol.MalformedFrameException;
import io.strand.protocol.ResponseStatus;
import io.strand.protocol.Shares;
import io.strand.protocol.StatusResponse;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One client connection to a broker: frames requests with fresh correlation ids, pipelines them, and
 * completes each request's future from the response with the same id; routes {@code DELIVER} and
 * {@code SHARE_DELIVER} pushes (correlation id 0) to the consumer registered under the pushed consumer id; keeps the connection
 * alive with heartbeats.
 *
 * <p>Failure is final and happens once: a malformed frame from the broker, an I/O error, the channel
 * closing, three unanswered heartbeats, or {@link #close} — and, once {@link #failOnNotLeader} was called, an
 * answer with status {@link ErrorCode#NOT_LEADER} (the broker no longer serves clients, so a
 * {@link ClusterConnection} moves to the one that does). It fails every request in flight and every later one
 * with {@link ConnectionLostException} and tells the {@link FailureListener}.
 *
 * <p>Threading: {@link #send} and {@link #close} may be called from any thread; requests leave in the order
 * {@link #send} was called, whatever the threads (a producer's batches must reach the broker in order). Futures are
 * completed and pushes delivered <b>on the Netty event loop</b>: callers must not block in callbacks they chain
 * synchronously and must hand user code to another thread. A push's records are valid only for the
 * duration of {@link PushHandler#onDeliver}.
 */
public final class WireConnection {
    /** Receives the pushes of one consumer, on the event loop. */
    @FunctionalInterface
    public interface PushHandler {
        /** Records pushed to a topic subscriber. */
        void onDeliver(Consumers.Deliver deliver);

        /** Records a queue receiver acquired; only queue receivers get these. */
        default void onShareDeliver(Shares.Deliver deliver) {
            throw new MalformedFrameException("SHARE_DELIVER pushed to consumer " + deliver.consumerId()
                    + ", which is not a queue receiver");
        }
    }

    /** Told once when the connection fails or closes, on the event loop or the closing thread. */
    @FunctionalInterface
    public interface FailureListener {
        void onFailure(ConnectionLostException cause);
    }

    /** Heartbeats that may go unanswered before the connection counts as lost. */
    static final int MAX_MISSED_HEARTBEATS = 3;

    private record Pending<T>(ApiKey api, Function<FrameReader, T> parser, Function<T, ResponseStatus> status,
                              CompletableFuture<T> future) {
        /** @return the answer's status; a NOT_LEADER answer completes nothing when the connection must fail for it */
        ResponseStatus complete(FrameReader in, boolean failOnNotLeader) {
            final T response = parser.apply(in);
            final ResponseStatus s = status.apply(response);
            if (s.isOk()) {
                future.complete(response);
            } else if (!failOnNotLeader || s.error() != ErrorCode.NOT_LEADER) {
                future.completeExceptionally(new BrokerException(s));
            }
            return s;
        }
    }

    private final Channel channel;
    private final String description;
    private final Map<Integer, Pending<?>> pending = new ConcurrentHashMap<>();
    private final Map<Integer, PushHandler> pushHandlers = new ConcurrentHashMap<>();
    private final AtomicInteger lastCorrelationId = new AtomicInteger();
    private final CompletableFuture<ConnectionLostException> failure = new CompletableFuture<>();
    private volatile short version = Handshake.MAX_VERSION;
    private volatile boolean failOnNotLeader;
    /** Frames waiting for the event loop to write them, in the order they were sent. */
    private final Queue<ByteBuf> outbound = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean writeScheduled = new AtomicBoolean();
    /** Only touched on the event loop: heartbeats sent since the last frame from the broker. */
    private int unansweredHeartbeats;
    /** Only touched on the event loop: whether the broker answered a handshake on this connection yet. */
    private boolean handshakeAnswered;

    /**
     * @param channel     an open channel whose pipeline ends in a {@link ClientHandler} for this connection
     * @param description where it leads, for messages ({@code strand://host:port})
     */
    public WireConnection(Channel channel, String description) {
        this.channel = channel;
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** Sets the protocol version the handshake settled on, used by every later request. */
    public void setVersion(short version) {
        this.version = version;
    }

    /** The protocol version requests are sent in, for bodies whose format depends on it. */
    public short version() {
        return version;
    }

    /**
     * From now on an answer with status NOT_LEADER fails the connection, and that request with it, as a lost
     * connection: the broker stopped serving clients, and what was sent to it is for the broker that serves them.
     */
    public void failOnNotLeader() {
        failOnNotLeader = true;
    }

    /** Calls {@code listener} once when the connection fails; at once if it has failed already. */
    public void onFailure(FailureListener listener) {
        failure.thenAccept(listener::onFailure);
    }

    public boolean isFailed() {
        return failure.isDone();
    }

    /**
     * Sends a request whose response starts with a status. The future completes with the parsed
     * response, or fails with {@link BrokerException} for an error status, or with
     * {@link ConnectionLostException}.
     */
    public <T> CompletableFuture<T> send(ApiKey api, Consumer<ByteBuf> body, Function<FrameReader, T> parser,
                                         Function<T, ResponseStatus> status) {
        final CompletableFuture<T> future = new CompletableFuture<>();
        if (failure.isDone()) {
            future.completeExceptionally(failure.join());
            return future;
        }
        int id;
        do {
            id = lastCorrelationId.incrementAndGet();
        } while (id == 0); // 0 marks pushes
        final ByteBuf frame = channel.alloc().buffer();
        try {
            final int start = new FrameHeader(api.id, version, id).begin(frame);
            body.accept(frame);
            FrameHeader.finish(frame, start);
        } catch (RuntimeException e) {
            frame.release();
            future.completeExceptionally(e);
            return future;
        }
        pending.put(id, new Pending<>(api, parser, status, future));
        if (failure.isDone() && pending.remove(id) != null) { // failed while we registered: fail() may have missed us
            frame.release();
            future.completeExceptionally(failure.join());
            return future;
        }
        write(frame);
        return future;
    }

    /**
     * Queues a frame for the event loop, which writes queued frames in the order they were queued, whatever thread
     * queued them. Netty alone keeps the order of writes per calling thread only: a write on the event loop would pass
     * one another thread asked for just before, and the broker must get a producer's batches in the order they were
     * sent.
     */
    private void write(ByteBuf frame) {
        if (channel.eventLoop().inEventLoop() && !writeScheduled.get() && outbound.isEmpty()) {
            channel.writeAndFlush(frame).addListener((ChannelFutureListener) this::written); // nothing queued to pass
            return;
        }
        outbound.add(frame);
        if (writeScheduled.compareAndSet(false, true)) {
            channel.eventLoop().execute(this::writeQueued);
        }
    }

    private void written(ChannelFuture write) {
        if (!write.isSuccess()) {
            fail(new ConnectionLostException("writing to " + description + " failed: " + write.cause(), write.cause()));
        }
    }

    /** On the event loop: writes every queued frame, in order, and flushes once. */
    private void writeQueued() {
        writeScheduled.set(false); // a frame queued from now on is written here or by the run it schedules
        boolean wrote = false;
        ByteBuf frame;
        while ((frame = outbound.poll()) != null) {
            channel.write(frame).addListener((ChannelFutureListener) this::written);
            wrote = true;
        }
        if (wrote) {
            channel.flush();
        }
    }

    /** Sends a request answered by a bare {@link StatusResponse}. */
    public CompletableFuture<StatusResponse> sendForStatus(ApiKey api, Consumer<ByteBuf> body) {
        return send(api, body, StatusResponse::readFrom, StatusResponse::status);
    }

    /** Opens a consumer: the request written in this connection's version, the answer read in it. */
    public CompletableFuture<Consumers.OpenResponse> openConsumer(Consumers.OpenRequest request) {
        return send(ApiKey.OPEN_CONSUMER, out -> request.writeTo(out, version),
                in -> Consumers.OpenResponse.readFrom(in, version), Consumers.OpenResponse::status);
    }

    public void registerConsumer(int consumerId, PushHandler handler) {
        pushHandlers.put(consumerId, handler);
    }

    public void unregisterConsumer(int consumerId) {
        pushHandlers.remove(consumerId);
    }

    /**
     * Handles one frame from the broker (header and body, without the length). Called by
     * {@link ClientHandler} on the event loop.
     *
     * @throws MalformedFrameException when the frame cannot be understood; the handler then fails the connection
     */
    void onFrame(ByteBuf frame) {
        unansweredHeartbeats = 0; // any frame shows the broker is alive, not only a heartbeat answer
        final FrameReader in = new FrameReader(frame);
        final FrameHeader header = FrameHeader.read(in);
        final ApiKey api = ApiKey.forId(header.apiKey());
        if (header.correlationId() == 0) {
            onPush(api, header.apiKey(), header.version(), in);
            return;
        }
        if (api == ApiKey.HEARTBEAT && !frame.isReadable()) { // the broker's own heartbeat request: no status, no body
            answerHeartbeat(header.correlationId());
            return;
        }
        final Pending<?> request = pending.remove(header.correlationId());
        if (request == null) {
            throw new MalformedFrameException("response " + api + " has correlation id " + header.correlationId()
                    + ", which no request in flight has");
        }
        handshakeAnswered |= request.api() == ApiKey.HANDSHAKE;
        if (request.api() != api) {
            request.future().completeExceptionally(new MalformedFrameException("response api " + api
                    + " does not match request api " + request.api()));
            throw new MalformedFrameException("response with correlation id " + header.correlationId() + " has api "
                    + header.apiKey() + " but answers a " + request.api() + " request");
        }
        final ResponseStatus status;
        try {
            status = request.complete(in, failOnNotLeader);
        } catch (RuntimeException e) {
            request.future().completeExceptionally(e);
            throw e;
        }
        if (failOnNotLeader && status.error() == ErrorCode.NOT_LEADER) {
            final ConnectionLostException lost = new ConnectionLostException(description + " no longer serves clients ("
                    + status.describe() + ")", new BrokerException(status));
            fail(lost); // first, so that the failure is known when the request learns of it
            request.future().completeExceptionally(lost);
        }
    }

    private void onPush(ApiKey api, short apiId, short version, FrameReader in) {
        // No handler: the consumer closed while records were on their way; they stay unacknowledged
        // (a queue's are released by the broker when it closes the consumer).
        if (api == ApiKey.DELIVER) {
            final Consumers.Deliver deliver = Consumers.Deliver.readFrom(in, version);
            final PushHandler handler = pushHandlers.get(deliver.consumerId());
            if (handler != null) {
                handler.onDeliver(deliver);
            }
        } else if (api == ApiKey.SHARE_DELIVER) {
            final Shares.Deliver deliver = Shares.Deliver.readFrom(in);
            final PushHandler handler = pushHandlers.get(deliver.consumerId());
            if (handler != null) {
                handler.onShareDeliver(deliver);
            }
        } else {
            throw new MalformedFrameException("push with correlation id 0 has api " + apiId
                    + "; only DELIVER and SHARE_DELIVER are pushed");
        }
    }

    private void answerHeartbeat(int correlationId) {
        final ByteBuf frame = channel.alloc().buffer(FrameHeader.SIZE + 8);
        final int start = new FrameHeader(ApiKey.HEARTBEAT.id, version, correlationId).begin(frame);
        new StatusResponse(ResponseStatus.OK).writeTo(frame);
        FrameHeader.finish(frame, start);
        write(frame);
    }

    /**
     * The connection was idle for the heartbeat interval; on the event loop. Not while the first handshake waits for
     * its answer: a broker may hold that answer while its cluster has no active broker yet (a few seconds of a
     * failover), heartbeats behind it would go unanswered just as long, and the handshake's own timeout watches the
     * broker meanwhile.
     */
    void onIdle() {
        if (!handshakeAnswered && awaitsHandshake()) {
            return;
        }
        if (unansweredHeartbeats >= MAX_MISSED_HEARTBEATS) {
            fail(new ConnectionLostException(description + " did not answer " + MAX_MISSED_HEARTBEATS
                    + " heartbeats; the connection is considered lost", null));
            return;
        }
        unansweredHeartbeats++;
        sendForStatus(ApiKey.HEARTBEAT, body -> { });
    }

    /**
     * Fails the connection once: fails every request in flight, tells the failure listener, closes the
     * channel. Later calls do nothing.
     */
    public void fail(ConnectionLostException cause) {
        if (!failure.complete(cause)) {
            return;
        }
        for (Integer id : pending.keySet()) {
            final Pending<?> request = pending.remove(id);
            if (request != null) {
                request.future().completeExceptionally(cause);
            }
        }
        pushHandlers.clear();
        channel.close();
    }

    /** Closes the connection on purpose; requests in flight fail. */
    public void close() {
        fail(new ConnectionLostException("connection to " + description + " is closed", null));
    }

    /** @return a future that completes when the channel has closed */
    public CompletableFuture<Void> closeFuture() {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        channel.closeFuture().addListener(f -> done.complete(null));
        return done;
    }

    /** The event loop of this connection; it outlives the connection (the loops are shared by all connections). */
    public java.util.concurrent.ScheduledExecutorService eventLoop() {
        return channel.eventLoop();
    }

    /** Runs a task on this connection's event loop, for work that must not race with pushes. */
    public void execute(Runnable task) {
        channel.eventLoop().execute(task);
    }

    /** Runs a task on the event loop after a delay; the returned handle cancels it. */
    public Runnable schedule(Runnable task, long delayMs) {
        final io.netty.util.concurrent.Future<?> f = channel.eventLoop().schedule(task, delayMs,
                java.util.concurrent.TimeUnit.MILLISECONDS);
        return () -> f.cancel(false);
    }

    private boolean awaitsHandshake() {
        for (Pending<?> request : pending.values()) {
            if (request.api() == ApiKey.HANDSHAKE) {
                return true;
            }
        }
        return false;
    }

    /** For tests and diagnostics: requests sent and not yet answered. */
    int inFlight() {
        return pending.size();
    }
}
