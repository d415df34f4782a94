package io.strand.jms.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.strand.protocol.ApiKey;
import io.strand.protocol.FrameReader;
import io.strand.protocol.Handshake;
import io.strand.protocol.ResponseStatus;
import io.strand.protocol.StatusResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A client's connection to a Strand cluster (DESIGN.md §4, §5): one {@link WireConnection} at a time to the broker
 * that serves clients, replaced by a new one when it is lost — the broker went away, the network failed, or the
 * broker answered NOT_LEADER — so that the application does not notice.
 *
 * <p>States and transitions:
 * <pre>
 * CONNECTED    --connection lost--------------------------> RECONNECTING (the failover deadline starts)
 * RECONNECTING --a broker accepted the handshake----------> RESTORING
 * RESTORING    --the owner's state is restored, requests
 *                that waited are sent-------------------------> CONNECTED
 * RESTORING    --connection lost or restoring failed-------> RECONNECTING (same deadline)
 * RECONNECTING --deadline passed, or a final refusal-------> FAILED (the failure listeners are told)
 * any          --close------------------------------------> CLOSED
 * </pre>
 * A connection opened over a wire it cannot dial again ({@link #over}), or with {@code failoverTimeoutMs=0}, goes from
 * CONNECTED to FAILED at once.
 *
 * <p>Requests come in two kinds:
 * <ul>
 * <li><b>Unbound</b> ({@link #send}, {@link #sendIdempotent}): mean the same on any broker connection (produce,
 *     metadata, a commit carrying no acknowledgements...). While no connection is usable they wait, and they are sent
 *     in the order they came once the new connection is restored. One that was on its way when the connection was
 *     lost is sent again if it is idempotent (a produce batch: the broker recognises a batch it appended already by its
 *     producer id and sequence), else fails with {@link ConnectionLostException}: its outcome is unknown.</li>
 * <li><b>Bound</b> to one broker connection: what names state of that connection (a consumer's credit and
 *     acknowledgements, the consumer itself). Their senders send them on that {@link WireConnection} directly
 *     ({@link #usableWire}); once it is lost they fail, and the owner's {@link Restorer} rebuilds the state on the
 *     next connection.</li>
 * </ul>
 *
 * <p>Threading: every method may be called from any thread. State is guarded by this object; no future is
 * completed and no listener called while holding it (failures are completed on the event loop). Reconnecting runs
 * on a thread of its own, one at a time per connection.
 */
public final class ClusterConnection {
    private static final System.Logger LOG = System.getLogger(ClusterConnection.class.getName());
    private static final ExecutorService RECONNECTS = Executors.newCachedThreadPool(r -> {
        final Thread t = new Thread(r, "strand-failover");
        t.setDaemon(true);
        return t;
    });

    /** Puts the owner's state back on a new broker connection before anything waiting is sent on it. */
    @FunctionalInterface
    public interface Restorer {
        /**
         * @param wire     the new connection, handshaken
         * @param accepted the broker's answer to the handshake
         * @return completes once restored; a failure makes the connection try again (within the same deadline)
         */
        CompletableFuture<Void> restore(WireConnection wire, Handshake.Response accepted);
    }

    private enum State {
        CONNECTED, RECONNECTING, RESTORING, FAILED, CLOSED
    }

    private final ClusterConnector connector;
    private final ClientOptions options;
    private final String url;
    private final Handshake.Response firstAnswer;
    /** Runs timers and failure completions: an event loop of the shared client groups, which outlives every wire. */
    private final ScheduledExecutorService eventLoop;
    private final List<WireConnection.FailureListener> failureListeners = new CopyOnWriteArrayList<>();
    private volatile Restorer restorer = (wire, accepted) -> CompletableFuture.completedFuture(null);

    // Guarded by this.
    private State state = State.CONNECTED;
    /** The connection in use (CONNECTED, RESTORING); null otherwise. */
    private WireConnection wire;
    /** Completes with the next usable connection; complete while one is usable. */
    private CompletableFuture<WireConnection> usable;
    /** Unbound requests waiting for a usable connection, in the order they came. */
    private final TreeMap<Long, UnboundRequest<?>> waiting = new TreeMap<>();
    /** Unbound requests sent and not answered. */
    private final Set<UnboundRequest<?>> sent = new HashSet<>();
    private long lastSequence;
    /** When the failover under way gives up ({@link System#nanoTime}). */
    private long deadlineNs;
    /** Why the connection failed for good or closed; null before. */
    private ConnectionLostException failure;

    private ClusterConnection(ClusterConnector connector, ClientOptions options, String url, WireConnection first,
                              Handshake.Response firstAnswer) {
        this.connector = connector;
        this.options = options;
        this.url = url;
        this.firstAnswer = firstAnswer;
        this.eventLoop = first.eventLoop();
        this.wire = first;
        this.usable = CompletableFuture.completedFuture(first);
        first.onFailure(cause -> lost(first, cause));
    }

    /**
     * Connects to the cluster: searches the URL's hosts until one accepts the handshake or the failover deadline
     * passes.
     *
     * @throws BrokerException         a broker refused the handshake in a way trying again cannot change
     * @throws ConnectionLostException no broker accepted in time
     */
    public static ClusterConnection connect(ConnectionUrl url, ClientOptions options, Handshake.Request handshake,
                                            ClusterConnector.Dialer dialer) {
        return connect(url, options, handshake, dialer, options.failoverTimeoutMs() == 0);
    }

    /**
     * As {@link #connect(ConnectionUrl, ClientOptions, Handshake.Request, ClusterConnector.Dialer)}, but the first
     * search may try each host once only (following NOT_LEADER answers to the broker they name), for a tool that
     * should say at once that no broker is there; a connection lost later still fails over within
     * {@code failoverTimeoutMs}.
     *
     * @param firstSearchOnce whether the first search ends after one round over the hosts
     */
    public static ClusterConnection connect(ConnectionUrl url, ClientOptions options, Handshake.Request handshake,
                                            ClusterConnector.Dialer dialer, boolean firstSearchOnce) {
        final ClusterConnector connector = new ClusterConnector(url.hosts(), url.toString(), options, dialer,
                () -> handshake);
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.failoverTimeoutMs());
        final ClusterConnector.Connected found = connector.connect(deadlineNs, firstSearchOnce, false, () -> false);
        return new ClusterConnection(connector, options, url.toString(), found.wire(), found.response());
    }

    /**
     * Handshakes on a wire connected already, which cannot be dialled again: the connection fails for good when it is
     * lost (an embedded broker, tests over any transport).
     *
     * @throws BrokerException         the broker refused the handshake
     * @throws ConnectionLostException the wire failed or the broker did not answer in time
     */
    public static ClusterConnection over(WireConnection wire, ClientOptions options, Handshake.Request handshake) {
        final Handshake.Response response;
        try {
            response = ClusterConnector.handshake(wire, handshake).get(options.requestTimeoutMs(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            wire.close();
            throw e.getCause() instanceof RuntimeException r ? r : new ConnectionLostException(e.getMessage(), e);
        } catch (TimeoutException e) {
            wire.close();
            throw new ConnectionLostException(wire.description() + " did not answer the handshake within "
                    + options.requestTimeoutMs() + " ms", e);
        } catch (InterruptedException e) {
            wire.close();
            Thread.currentThread().interrupt();
            throw new ConnectionLostException("interrupted during the handshake with " + wire.description(), e);
        }
        if (!response.status().isOk()) { // NOT_LEADER: there is no other broker to go to
            wire.close();
            throw new BrokerException(response.status());
        }
        wire.setVersion(response.version());
        return new ClusterConnection(null, options, wire.description(), wire, response);
    }

    /** The first broker's answer to the handshake. */
    public Handshake.Response firstAnswer() {
        return firstAnswer;
    }

    /**
     * Sets what later connections handshake with and what is restored on them; until then they handshake as the first
     * did and restore nothing.
     */
    public void restoreWith(Supplier<Handshake.Request> handshakes, Restorer restorer) {
        if (connector != null) {
            connector.handshakeWith(handshakes);
        }
        this.restorer = restorer;
    }

    /** Tells {@code listener} when the connection fails for good: no broker was found before the deadline. */
    public void onFailure(WireConnection.FailureListener listener) {
        final ConnectionLostException failed;
        synchronized (this) {
            failed = state == State.FAILED ? failure : null;
            failureListeners.add(listener);
        }
        if (failed != null) {
            listener.onFailure(failed);
        }
    }

    // ---- unbound requests ----------------------------------------------------------------------

    /**
     * Sends a request that means the same on any broker connection; it waits while none is usable. Lost on its way,
     * it fails with {@link ConnectionLostException}: the broker may or may not have acted on it.
     */
    public <T> CompletableFuture<T> send(ApiKey api, Consumer<ByteBuf> body, Function<FrameReader, T> parser,
                                         Function<T, ResponseStatus> status) {
        return submit(api, body, parser, status, false);
    }

    /**
     * As {@link #send}, for a request the broker may get twice: lost on its way, it is sent again on the next
     * connection.
     */
    public <T> CompletableFuture<T> sendIdempotent(ApiKey api, Consumer<ByteBuf> body, Function<FrameReader, T> parser,
                                                   Function<T, ResponseStatus> status) {
        return submit(api, body, parser, status, true);
    }

    /** {@link #send} for a request answered by a bare status. */
    public CompletableFuture<StatusResponse> sendForStatus(ApiKey api, Consumer<ByteBuf> body) {
        return send(api, body, StatusResponse::readFrom, StatusResponse::status);
    }

    /** {@link #sendIdempotent} for a request answered by a bare status. */
    public CompletableFuture<StatusResponse> sendForStatusIdempotent(ApiKey api, Consumer<ByteBuf> body) {
        return sendIdempotent(api, body, StatusResponse::readFrom, StatusResponse::status);
    }

    private <T> CompletableFuture<T> submit(ApiKey api, Consumer<ByteBuf> writer, Function<FrameReader, T> parser,
                                            Function<T, ResponseStatus> status, boolean idempotent) {
        final ByteBuf body = ByteBufAllocator.DEFAULT.buffer();
        try {
            writer.accept(body);
        } catch (RuntimeException e) {
            body.release();
            return CompletableFuture.failedFuture(e);
        }
        final ConnectionLostException refused;
        final UnboundRequest<T> request;
        synchronized (this) {
            request = new UnboundRequest<>(++lastSequence, api, body, parser, status, idempotent);
            refused = failure;
            if (refused == null) {
                if (state == State.CONNECTED) {
                    sendOn(request, wire);
                } else {
                    waiting.put(request.sequence, request);
                }
            }
        }
        if (refused != null) {
            body.release();
            request.result.completeExceptionally(refused);
        }
        return request.result;
    }

    /**
     * Sends a request on a connection; under the lock, so that requests leave in the order they were taken. An
     * answer that comes at once (the connection failed) runs this callback here, under the lock: it is handed to the
     * connection's event loop then, for completing the caller's future under this lock deadlocked a client during a
     * failover (the caller's callback took a producer's batch lock, whose holder waited for this one). Answers from
     * the broker arrive on the event loop and are handled there without a hop.
     */
    private <T> void sendOn(UnboundRequest<T> request, WireConnection on) {
        assert Thread.holdsLock(this);
        sent.add(request);
        request.sendOn(on).whenComplete((value, error) -> {
            if (Thread.holdsLock(this)) {
                on.execute(() -> answered(request, on, value, error));
            } else {
                answered(request, on, value, error);
            }
        });
    }

    private <T> void answered(UnboundRequest<T> request, WireConnection from, T value, Throwable error) {
        final Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        final boolean settled;
        final ConnectionLostException failedForGood;
        synchronized (this) {
            failedForGood = failure;
            if (request.sentOn == from) {
                sent.remove(request);
                request.sentOn = null;
                settled = !(cause instanceof ConnectionLostException && request.idempotent && failure == null);
                if (!settled) {
                    waiting.put(request.sequence, request); // lost on its way: again on the next connection
                }
            } else {
                // An answer from a connection the request had been moved off. If it is waiting to go again, it need not.
                settled = error == null && request.sentOn == null && waiting.remove(request.sequence) != null;
            }
        }
        if (settled) {
            request.body.release();
        }
        if (error == null) {
            request.result.complete(value);
        } else if (settled) {
            completeLater(request.result, cause instanceof ConnectionLostException && failedForGood != null
                    ? failedForGood : cause);
        }
    }

    // ---- bound requests ------------------------------------------------------------------------

    /**
     * @return completes with the broker connection in use once one is usable (at once while one is), for requests
     *         bound to it; fails once the connection failed for good or closed
     */
    public synchronized CompletableFuture<WireConnection> usableWire() {
        return failure != null ? CompletableFuture.failedFuture(failure) : usable;
    }

    /** @return the broker connection in use, or null while failing over, failed or closed */
    public synchronized WireConnection currentWire() {
        return wire;
    }

    /** @return whether a lost broker connection is replaced by another: false over a fixed wire or with failover off */
    public boolean failsOver() {
        return connector != null && options.failoverTimeoutMs() > 0;
    }

    /** @return whether a broker connection is in use and every request that waited for it was sent */
    public synchronized boolean isConnected() {
        return state == State.CONNECTED;
    }

    /** @return whether the connection failed for good (no broker before the deadline) or closed */
    public synchronized boolean isFailed() {
        return failure != null;
    }

    /** Where the connection leads now, for messages. */
    public synchronized String description() {
        return wire != null ? wire.description() : url;
    }

    /** Runs a task on the connection's event loop. */
    public void execute(Runnable task) {
        eventLoop.execute(task);
    }

    /** Runs a task on the event loop after a delay; the returned handle cancels it. */
    public Runnable schedule(Runnable task, long delayMs) {
        final ScheduledFuture<?> f = eventLoop.schedule(task, delayMs, TimeUnit.MILLISECONDS);
        return () -> f.cancel(false);
    }

    // ---- failover ------------------------------------------------------------------------------

    /**
     * A broker connection failed: its unanswered requests wait again or fail, and, if it was in use, failover starts
     * (unless a failover is under way already: one that loses the connection it was restoring goes on by itself).
     */
    private void lost(WireConnection failed, ConnectionLostException cause) {
        if (Thread.holdsLock(this)) {
            // Failed while this thread sent on it under the lock: what follows calls out, which it must not do there.
            eventLoop.execute(() -> lost(failed, cause));
            return;
        }
        final List<UnboundRequest<?>> doomed = new ArrayList<>();
        boolean reconnect = false;
        boolean permanent = false;
        synchronized (this) {
            for (final var it = sent.iterator(); it.hasNext(); ) {
                final UnboundRequest<?> request = it.next();
                if (request.sentOn != failed) {
                    continue;
                }
                it.remove();
                request.sentOn = null;
                if (request.idempotent && failure == null) {
                    waiting.put(request.sequence, request);
                } else {
                    doomed.add(request);
                }
            }
            if (failed == wire && failure == null) {
                wire = null;
                if (connector == null || options.failoverTimeoutMs() == 0) {
                    permanent = true;
                } else {
                    reconnect = state == State.CONNECTED;
                    if (reconnect) {
                        deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.failoverTimeoutMs());
                    }
                    state = State.RECONNECTING;
                    usable = new CompletableFuture<>();
                }
            }
        }
        for (UnboundRequest<?> request : doomed) {
            request.body.release();
            completeLater(request.result, cause);
        }
        if (permanent) {
            failForGood(cause);
        } else if (reconnect) {
            LOG.log(System.Logger.Level.INFO, "{0}; failing over to a broker of {1} within {2} ms", cause.getMessage(),
                    url, options.failoverTimeoutMs());
            try {
                RECONNECTS.execute(this::reconnectOrFail);
            } catch (RejectedExecutionException e) {
                failForGood(new ConnectionLostException("cannot fail over: " + e, cause));
            }
        }
    }

    /** On a failover thread: fails over, or fails for good; a bug in failing over must not leave calls waiting. */
    private void reconnectOrFail() {
        try {
            reconnect();
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.ERROR, "failing over to " + url + " failed unexpectedly", e);
            failForGood(new ConnectionLostException("failing over to " + url + " failed: " + e, e));
            if (e instanceof Error error) {
                throw error;
            }
        }
    }

    /** Finds a broker, restores the owner's state on it, then sends what waited. */
    private void reconnect() {
        final long startNs = System.nanoTime();
        long backoffMs = options.reconnectBackoffMs();
        String restoreFailure = null;
        while (true) {
            final long deadline;
            synchronized (this) {
                if (state != State.RECONNECTING) {
                    return;
                }
                deadline = deadlineNs;
            }
            final ClusterConnector.Connected found;
            try {
                found = connector.connect(deadline, true, this::isFailed);
            } catch (ConnectionLostException e) {
                failForGood(restoreFailure == null ? e
                        : new ConnectionLostException(e.getMessage() + "; before that, " + restoreFailure, e));
                return;
            } catch (BrokerException e) {
                failForGood(new ConnectionLostException("failing over to " + url + " was refused: " + e.getMessage(), e));
                return;
            }
            if (found == null) {
                return; // closed meanwhile
            }
            final WireConnection next = found.wire();
            restoreFailure = restoreOn(next, found.response());
            if (restoreFailure == null) {
                LOG.log(System.Logger.Level.INFO, "failed over to {0} in {1} ms", next.description(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs));
                return;
            }
            // A broker that took the connection but not its state may still hold the lost connection's client id or
            // durable subscriptions for a moment: try again after a pause, not at once.
            ClusterConnector.sleep(backoffMs, deadline, this::isFailed);
            backoffMs = Math.min(backoffMs * 2, options.reconnectBackoffMaxMs());
        }
    }

    /**
     * Makes a new broker connection the one in use: restores the owner's state on it, then sends what waited.
     *
     * @return null once the connection is in use again (or closed meanwhile); else why it could not be
     */
    private String restoreOn(WireConnection next, Handshake.Response accepted) {
        final CompletableFuture<WireConnection> nowUsable;
        synchronized (this) {
            if (state != State.RECONNECTING) {
                next.close();
                return null; // closed meanwhile: nothing more to do
            }
            wire = next;
            state = State.RESTORING;
            nowUsable = usable;
        }
        next.onFailure(cause -> lost(next, cause));
        nowUsable.complete(next); // consumers created meanwhile open on it, as the restore does for the others
        try {
            restoring(next, accepted).get(options.requestTimeoutMs(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            next.fail(new ConnectionLostException("interrupted while restoring the connection on "
                    + next.description(), e));
            return "restoring on " + next.description() + " was interrupted";
        } catch (ExecutionException | TimeoutException e) {
            final Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            final String why = "restoring the connection's consumers and temporary destinations on "
                    + next.description() + " failed: " + cause.getMessage();
            next.fail(new ConnectionLostException(why, cause));
            return why;
        }
        synchronized (this) {
            if (wire != next || state != State.RESTORING) {
                return "the connection to " + next.description() + " was lost while it was restored";
            }
            for (UnboundRequest<?> request : List.copyOf(waiting.values())) {
                if (next.isFailed()) {
                    break; // the rest waits for the next connection
                }
                waiting.remove(request.sequence);
                sendOn(request, next);
            }
            state = State.CONNECTED;
            return null;
        }
    }

    /** The owner's restore, with a failure to start it reported like one of its requests. */
    private CompletableFuture<Void> restoring(WireConnection next, Handshake.Response accepted) {
        try {
            return restorer.restore(next, accepted);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void failForGood(ConnectionLostException cause) {
        final List<UnboundRequest<?>> doomed;
        final CompletableFuture<WireConnection> waitingForUsable;
        synchronized (this) {
            if (failure != null) {
                return;
            }
            state = State.FAILED;
            failure = cause;
            wire = null;
            doomed = new ArrayList<>(waiting.values());
            waiting.clear();
            waitingForUsable = usable;
        }
        LOG.log(System.Logger.Level.WARNING, "the connection to {0} failed: {1}", url, cause.getMessage());
        for (UnboundRequest<?> request : doomed) {
            request.body.release();
            completeLater(request.result, cause);
        }
        waitingForUsable.completeExceptionally(cause);
        for (WireConnection.FailureListener listener : failureListeners) {
            listener.onFailure(cause);
        }
    }

    /** Closes the connection on purpose: requests waiting or on their way fail, failover stops. */
    public void close() {
        final WireConnection current;
        final List<UnboundRequest<?>> doomed;
        final CompletableFuture<WireConnection> waitingForUsable;
        final ConnectionLostException closed;
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            closed = failure != null ? failure
                    : new ConnectionLostException("the connection to " + url + " is closed", null);
            state = State.CLOSED;
            failure = closed;
            current = wire;
            wire = null;
            doomed = new ArrayList<>(waiting.values());
            waiting.clear();
            waitingForUsable = usable;
        }
        for (UnboundRequest<?> request : doomed) {
            request.body.release();
            completeLater(request.result, closed);
        }
        waitingForUsable.completeExceptionally(closed);
        if (current != null) {
            current.close();
        }
    }

    /** Completes a future with a failure on the event loop, never under a lock of the caller's. */
    private void completeLater(CompletableFuture<?> future, Throwable failure) {
        try {
            eventLoop.execute(() -> future.completeExceptionally(failure));
        } catch (RejectedExecutionException e) {
            future.completeExceptionally(failure);
        }
    }

    @Override
    public String toString() {
        return "ClusterConnection[" + description() + "]";
    }
}
