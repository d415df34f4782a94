package io.strand.jms;

import io.strand.jms.client.Acknowledgements;
import io.strand.jms.client.ConsumerCore;
import io.strand.jms.client.Delivery;
import jakarta.jms.JMSException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Queue receivers the application closed while their CLIENT session still holds messages they delivered and
 * nobody acknowledged. JMS 3.1 §8.8 lets such a message be acknowledged after its consumer closed, so the
 * receiver stays open on the broker, stopped: it takes nothing more, the messages it had prefetched and never
 * handed out are released at once, and it holds just the delivered ones, which the session's acknowledge then
 * completes there. It is closed on the broker when the session acknowledges, recovers (which gives its
 * messages back to the queue: they cannot be redelivered to a closed consumer) or closes.
 *
 * <p>Thread-safe: a consumer may be closed from any thread; the list is guarded by this object and requests
 * are awaited outside the lock.
 */
final class HeldConsumers {
    private final Acknowledgements acknowledgements;
    private final long requestTimeoutMs;
    private final List<ConsumerCore> held = new ArrayList<>();

    HeldConsumers(Acknowledgements acknowledgements, long requestTimeoutMs) {
        this.acknowledgements = acknowledgements;
        this.requestTimeoutMs = requestTimeoutMs;
    }

    /**
     * Stops a closed receiver on the broker, releases what it prefetched and keeps it until {@link #closeAll}.
     *
     * @return false if the broker cannot stop a consumer (an older broker): the caller closes it as before
     */
    boolean hold(ConsumerCore core) throws JMSException {
        if (!JmsExceptions.await(core.stop(), requestTimeoutMs, "stopping a closed consumer")) {
            return false;
        }
        final List<Delivery> neverHandedOut = new ArrayList<>();
        for (Delivery d : core.detach()) {
            if (d.isAcquired()) {
                neverHandedOut.add(d);
            }
        }
        synchronized (this) {
            held.add(core);
        }
        if (!neverHandedOut.isEmpty()) {
            JmsExceptions.await(acknowledgements.release(neverHandedOut), requestTimeoutMs,
                    "releasing the messages a closed consumer had prefetched");
        }
        return true;
    }

    /** Closes every held receiver on the broker, which releases whatever it still holds. */
    void closeAll() throws JMSException {
        final List<ConsumerCore> cores;
        synchronized (this) {
            if (held.isEmpty()) {
                return;
            }
            cores = new ArrayList<>(held);
            held.clear();
        }
        final List<CompletableFuture<Void>> closed = new ArrayList<>(cores.size());
        for (ConsumerCore core : cores) {
            closed.add(core.close());
        }
        JmsExceptions.await(CompletableFuture.allOf(closed.toArray(new CompletableFuture<?>[0])), requestTimeoutMs,
                "closing consumers closed before their messages were acknowledged");
    }
}
