package io.strand.jms.client;

import io.strand.jms.message.MessageCodec;
import io.strand.jms.message.StrandMessage;
import io.strand.protocol.ApiKey;
import io.strand.protocol.Consumers;
import io.strand.protocol.MalformedFrameException;
import io.strand.protocol.Shares;
import jakarta.jms.Destination;
import jakarta.jms.MessageFormatException;
import java.lang.System.Logger.Level;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The wire side of one browse of a queue: a browser consumer on the broker pushes the messages the
 * queue holds, under credit like any consumer, and ends with an empty push. The messages are decoded
 * into a queue that {@link #next} reads; nothing is acknowledged, since a browser takes nothing.
 *
 * <p>A browse lives on one broker connection: when that connection is lost (the client fails over), the browse
 * ends there, as one of a queue that held no more. A browse shows the queue as it is while it runs, never a promise
 * of everything in it.
 *
 * <p>Threading: pushes arrive on the event loop; one application thread calls {@link #next}; close
 * may come from any thread.
 */
public final class BrowseStream implements WireConnection.PushHandler {
    private static final System.Logger LOG = System.getLogger(BrowseStream.class.getName());
    /** Marks the end of the browse in {@link #messages}. */
    private static final Object END = new Object();

    private final WireConnection wire;
    private final RecordFormat format;
    private final MessageCodec codec;
    private final int consumerId;
    private final Destination queue;
    private final CreditWindow credit;
    private final LinkedBlockingQueue<Object> messages = new LinkedBlockingQueue<>();
    private volatile boolean ended;

    public BrowseStream(WireConnection wire, RecordFormat format, MessageCodec codec, int consumerId,
                        Destination queue, int prefetch) {
        this.wire = wire;
        this.format = format;
        this.codec = codec;
        this.consumerId = consumerId;
        this.queue = queue;
        this.credit = new CreditWindow(prefetch);
        wire.onFailure(lost -> messages.add(END));
    }

    /** Registers for pushes and asks the broker to open the browser; {@code request}'s credit is replaced. */
    public CompletableFuture<Void> open(Consumers.OpenRequest request) {
        final Consumers.OpenRequest withCredit = new Consumers.OpenRequest(consumerId, request.type(),
                request.destination(), request.kind(), request.subscriptionName(), request.selector(), false,
                credit.initialCredit(), request.session());
        wire.registerConsumer(consumerId, this);
        return wire.openConsumer(withCredit)
                .whenComplete((r, e) -> {
                    if (e != null) {
                        wire.unregisterConsumer(consumerId);
                    }
                }).thenApply(r -> null);
    }

    @Override
    public void onDeliver(Consumers.Deliver deliver) {
        throw new MalformedFrameException("DELIVER pushed to browser " + consumerId);
    }

    @Override
    public void onShareDeliver(Shares.Deliver deliver) {
        if (deliver.acquired().isEmpty()) {
            messages.add(END);
            return;
        }
        final AcquiredRanges visible = new AcquiredRanges(deliver.acquired());
        format.decode(deliver.records(), visible.firstOffset(), (offset, timestampMs, key, value, headers) -> {
            final int deliveryCount = visible.deliveryCount(offset);
            if (deliveryCount == 0) {
                return; // acknowledged already, or not matching the selector
            }
            try {
                final StrandMessage message = codec.decode(key, value, headers);
                if (message.getJMSDestination() == null) {
                    message.setJMSDestination(queue);
                }
                message.setDeliveryCount(deliveryCount);
                messages.add(message);
            } catch (MessageFormatException e) {
                LOG.log(Level.WARNING, "browser {0} skips record {1} of partition {2}: {3}", consumerId, offset,
                        deliver.partition(), e.getMessage());
                consumed();
            }
        });
    }

    /**
     * The next message of the browse.
     *
     * @param timeoutMs how long to wait for the broker's next push
     * @return the message, or null when the browse is over
     * @throws TimeoutException when the broker sent nothing in time
     */
    public StrandMessage next(long timeoutMs) throws InterruptedException, TimeoutException {
        if (ended) {
            return null;
        }
        final Object next = messages.poll(timeoutMs, TimeUnit.MILLISECONDS);
        if (next == null) {
            throw new TimeoutException("the broker sent no more of the browse of " + queue
                    + " within " + timeoutMs + " ms");
        }
        if (next == END) {
            ended = true;
            return null;
        }
        consumed();
        return (StrandMessage) next;
    }

    private void consumed() {
        final int grant;
        synchronized (this) {
            grant = credit.consumed(1);
        }
        if (grant > 0) {
            wire.sendForStatus(ApiKey.CONSUMER_CREDIT, new Consumers.CreditRequest(consumerId, grant)::writeTo);
        }
    }

    /** Closes the browser on the broker; what it had pushed is dropped. */
    public CompletableFuture<Void> close() {
        wire.unregisterConsumer(consumerId);
        ended = true;
        messages.clear();
        return wire.sendForStatus(ApiKey.CLOSE_CONSUMER, new Consumers.CloseRequest(consumerId)::writeTo)
                .thenApply(r -> null);
    }
}
