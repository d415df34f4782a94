package io.strand.cluster;

import io.strand.cluster.controller.ControllerError;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.JChannel;

/**
 * Sends requests to whichever node is the controller and retries until a deadline while there is none,
 * it changes, or an answer is lost, so that callers see leadership moves only as a short delay.
 *
 * <p>A request that reached a controller which then died may be retried and decided twice; the
 * controller's checks make that harmless (a repeated registration changes nothing, a repeated ISR change
 * is refused as stale), except that a repeated topic creation answers that the topic exists.
 */
final class ControllerClient implements AutoCloseable {
    private static final long RETRY_DELAY_MS = 100;
    /** The longest one attempt waits for an answer before asking again. */
    private static final long ATTEMPT_TIMEOUT_MS = 3000;

    private final JChannel channel;
    private final Supplier<Address> leader;
    private final long requestTimeoutMs;
    private final AtomicLong requestIds = new AtomicLong();
    private final Map<Long, CompletableFuture<ControlMessages.Response>> pending = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sendThread;

    ControllerClient(int nodeId, JChannel channel, Supplier<Address> leader, long requestTimeoutMs) {
        this.channel = channel;
        this.leader = leader;
        this.requestTimeoutMs = requestTimeoutMs;
        this.sendThread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread t = new Thread(runnable, "strand-controller-client-" + nodeId);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Sends a request; the future completes when it is committed, or fails with a {@link ClusterException}.
     * The first attempt already runs on this client's thread, so callers on JGroups threads (metadata
     * listeners run on Raft's) never send from their own.
     */
    CompletableFuture<Void> send(ControlRequest request) {
        return call(request).thenApply(done -> null);
    }

    /**
     * Sends a request and completes with the controller's answer once it is committed (for a request of several
     * items, the answer names those refused), or fails as {@link #send} does.
     */
    CompletableFuture<ControlMessages.Response> call(ControlRequest request) {
        CompletableFuture<ControlMessages.Response> result = new CompletableFuture<>();
        long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(requestTimeoutMs);
        try {
            sendThread.execute(() -> attempt(request, deadlineNs, result, "none yet"));
        } catch (RejectedExecutionException closed) {
            result.completeExceptionally(new ClusterException("node closed"));
        }
        return result;
    }

    private void attempt(ControlRequest request, long deadlineNs, CompletableFuture<ControlMessages.Response> result,
                         String lastProblem) {
        long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime());
        if (remainingMs <= 0) {
            result.completeExceptionally(new ClusterException(ControllerError.NOT_CONTROLLER, "no controller "
                    + "answered within " + requestTimeoutMs + " ms (last problem: " + lastProblem + ")", null));
            return;
        }
        Address controller = leader.get();
        if (controller == null) {
            retryLater(request, deadlineNs, result, "no controller elected");
            return;
        }
        long requestId = requestIds.incrementAndGet();
        CompletableFuture<ControlMessages.Response> answer = new CompletableFuture<>();
        pending.put(requestId, answer);
        try {
            channel.send(new BytesMessage(controller, ControlMessages.encodeRequest(requestId, request)));
        } catch (Exception e) {
            pending.remove(requestId);
            retryLater(request, deadlineNs, result, "sending to " + controller + " failed: " + e);
            return;
        }
        answer.orTimeout(Math.min(remainingMs, ATTEMPT_TIMEOUT_MS), TimeUnit.MILLISECONDS)
                .whenComplete((response, failure) -> {
                    pending.remove(requestId);
                    if (failure != null) {
                        retryLater(request, deadlineNs, result, "no answer from " + controller);
                    } else if (response.errorCode() == ControlMessages.OK) {
                        result.complete(response);
                    } else if (isTransient(response)) {
                        retryLater(request, deadlineNs, result, response.message());
                    } else {
                        result.completeExceptionally(new ClusterException(response.error().orElseThrow(),
                                response.message(), null));
                    }
                });
    }

    /** A controller that lost leadership, or a change no quorum committed yet, may work on the next try. */
    private static boolean isTransient(ControlMessages.Response response) {
        ControllerError error = response.error().orElseThrow();
        return error == ControllerError.NOT_CONTROLLER || error == ControllerError.NOT_COMMITTED;
    }

    private void retryLater(ControlRequest request, long deadlineNs, CompletableFuture<ControlMessages.Response> result,
                            String problem) {
        try {
            sendThread.schedule(() -> attempt(request, deadlineNs, result, problem), RETRY_DELAY_MS,
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            result.completeExceptionally(new ClusterException("node closed while a request was pending"));
        }
    }

    /** Completes the request an answer belongs to; an answer to a request given up on is dropped. */
    void complete(ControlMessages.Response response) {
        CompletableFuture<ControlMessages.Response> answer = pending.remove(response.requestId());
        if (answer != null) {
            answer.complete(response);
        }
    }

    /** Sends the controller's answer to a request back to the node that asked. */
    void reply(Address to, long requestId, int errorCode, String message,
               List<ControlMessages.ItemRefusal> refusedItems) {
        try {
            channel.send(new BytesMessage(to, ControlMessages.encodeResponse(requestId, errorCode, message,
                    refusedItems)));
        } catch (Exception e) {
            // The asker sendThread after its attempt timeout, so a lost answer costs time, not correctness.
        }
    }

    @Override
    public void close() {
        sendThread.shutdownNow();
        pending.values().forEach(answer -> answer.completeExceptionally(new ClusterException("node closed")));
    }
}
