package io.strand.jms.client;

import io.strand.jms.message.MessageCodec;
import io.strand.jms.message.StrandMessage;
import io.strand.protocol.ApiKey;
import io.strand.protocol.Consumers;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The wire side of one consumer: opens it with {@code prefetch} credit, decodes pushed batches into
 * messages (first delivery: {@code JMSXDeliveryCount=1}, not redelivered), drops records below a push's
 * {@code fromOffset} and, for noLocal, records this connection sent; buffers the rest in a
 * {@link PrefetchBuffer}, and grants credit back as the application consumes ({@link CreditWindow}).
 * A message that expired while in flight or in the buffer is dropped when it would be handed out
 * (JMS 3.1 §7.7: expired messages should not be delivered; the broker skips them too, this covers the
 * time after). Dropped records are consumed silently: they count for credit and are covered by the
 * next cumulative acknowledgement.
 *
 * <p>A record that is not a JMS message is logged and skipped; a batch that is corrupt (bad CRC or
 * bounds) fails the whole connection with a message naming it, since the broker never sends one on purpose.
 *
 * <p>Threading: {@link #onDeliver} runs on the event loop and decodes there (bodies are copied out of the
 * frame, which is released after the call); {@link #take} runs on the one thread that consumes;
 * {@link #requeue} on the session's thread during recover. Credit arithmetic is guarded by this object.
 */
public final class ConsumerCore implements WireConnection.PushHandler {
    private static final System.Logger LOG = System.getLogger(ConsumerCore.class.getName());

    private final WireConnection wire;
    private final RecordFormat format;
    private final MessageCodec codec;
    private final int consumerId;
    private final Destination destination;
    private final String skipConnectionId;
    private final PrefetchBuffer buffer;
    private final CreditWindow credit;
    /** Recovered deliveries at the front of the buffer whose credit was granted already. */
    private int requeued;

    /**
     * @param skipConnectionId for a noLocal consumer, this connection's id: messages it sent are dropped; else null
     * @param onAvailable      told when messages may be takeable (wakes a session's listener thread)
     */
    public ConsumerCore(WireConnection wire, RecordFormat format, MessageCodec codec, int consumerId,
                        Destination destination, int prefetch, String skipConnectionId, Runnable onAvailable) {
        this.wire = wire;
        this.format = format;
        this.codec = codec;
        this.consumerId = consumerId;
        this.destination = destination;
        this.skipConnectionId = skipConnectionId;
        this.credit = new CreditWindow(prefetch);
        this.buffer = new PrefetchBuffer(onAvailable);
    }

    public int consumerId() {
        return consumerId;
    }

    public PrefetchBuffer buffer() {
        return buffer;
    }

    /**
     * Registers for pushes, then asks the broker to open the consumer with the initial credit.
     *
     * @param request the open request; its credit is replaced by the prefetch
     */
    public CompletableFuture<Void> open(Consumers.OpenRequest request) {
        final Consumers.OpenRequest withCredit = new Consumers.OpenRequest(consumerId, request.type(),
                request.destination(), request.kind(), request.subscriptionName(), request.selector(),
                request.noLocal(), credit.initialCredit());
        wire.registerConsumer(consumerId, this);
        return wire.sendForStatus(ApiKey.OPEN_CONSUMER, withCredit::writeTo)
                .whenComplete((r, e) -> {
                    if (e != null) {
                        wire.unregisterConsumer(consumerId);
                    }
                }).thenApply(r -> null);
    }

    @Override
    public void onDeliver(Consumers.Deliver deliver) {
        final List<Delivery> accepted = new ArrayList<>();
        final int[] dropped = new int[1];
        format.decode(deliver.records(), deliver.fromOffset(), (offset, timestampMs, key, value, headers) -> {
            final StrandMessage message = decodeOrNull(offset, key, value, headers, deliver.partition());
            if (message == null || NoLocal.sentBy(message, skipConnectionId)) {
                dropped[0]++;
                accepted.add(new Delivery(null, consumerId, deliver.partition(), offset));
                return;
            }
            if (message.getJMSDestination() == null) {
                message.setJMSDestination(destination);
            }
            message.setDeliveryCount(1);
            accepted.add(new Delivery(message, consumerId, deliver.partition(), offset));
        });
        buffer.addLast(accepted);
    }

    private static boolean expired(StrandMessage message) {
        final long expiration = message.getJMSExpiration();
        return expiration != 0 && expiration < System.currentTimeMillis();
    }

    private StrandMessage decodeOrNull(long offset, java.nio.ByteBuffer key, java.nio.ByteBuffer value,
                                       List<? extends io.strand.jms.message.HeaderView> headers, int partition) {
        try {
            return codec.decode(key, value, headers);
        } catch (MessageFormatException e) {
            // A record that is no JMS message (written by another client) cannot be delivered; it is skipped
            // and acknowledged with the records around it, so it cannot block the subscription.
            LOG.log(Level.WARNING, "skipping record {0} of partition {1} for consumer {2}: {3}", offset, partition,
                    consumerId, e.getMessage());
            return null;
        }
    }

    /**
     * Takes the next delivery for the application and grants credit when enough has been consumed.
     * Skipped records (null message) are consumed here silently; the returned delivery always has a message.
     *
     * @param timeoutMs negative: no wait; 0: wait forever; else the most to wait
     * @return the delivery, or null on timeout, close or interrupt
     */
    public Delivery take(long timeoutMs) throws JMSException {
        final long deadlineNs = System.nanoTime() + timeoutMs * 1_000_000L;
        while (true) {
            final Delivery d;
            try {
                long wait = timeoutMs;
                if (timeoutMs > 0) {
                    wait = Math.max(1, (deadlineNs - System.nanoTime()) / 1_000_000L);
                }
                d = buffer.take(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            if (d == null) {
                return null;
            }
            consumed();
            if (d.message() != null && !expired(d.message())) { // expiry is checked when handed out: buffers can be slow
                return d;
            }
            if (timeoutMs > 0 && System.nanoTime() >= deadlineNs) {
                timeoutMs = -1;
            }
        }
    }

    private void consumed() {
        final int grant;
        synchronized (this) {
            if (requeued > 0) {
                requeued--;
                return;
            }
            grant = credit.consumed(1);
        }
        if (grant > 0) {
            wire.sendForStatus(ApiKey.CONSUMER_CREDIT, new Consumers.CreditRequest(consumerId, grant)::writeTo);
        }
    }

    /** Puts recovered deliveries back in front; they were counted as consumed once already. */
    public void requeue(List<Delivery> deliveries) {
        synchronized (this) {
            requeued += deliveries.size();
        }
        buffer.addFirst(deliveries);
    }

    /** Stops pushes to this consumer, drops its buffer and closes it on the broker. */
    public CompletableFuture<Void> close() {
        wire.unregisterConsumer(consumerId);
        buffer.close();
        if (wire.isFailed()) {
            return CompletableFuture.completedFuture(null);
        }
        return wire.sendForStatus(ApiKey.CLOSE_CONSUMER, new Consumers.CloseRequest(consumerId)::writeTo)
                .thenApply(r -> null);
    }
}
