package io.strand.jms.client;

import io.strand.jms.message.MessageCodec;
import io.strand.jms.message.PropertyNames;
import io.strand.jms.message.StrandMessage;
import io.strand.protocol.ApiKey;
import io.strand.protocol.Consumers;
import io.strand.protocol.ErrorCode;
import io.strand.protocol.Shares;
import io.strand.protocol.SubscriptionKind;
import io.strand.selector.MessageSelector;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;

/**
 * The wire side of one consumer: opens it with {@code prefetch} credit, decodes pushed batches into
 * messages, buffers them in a {@link PrefetchBuffer}, and grants credit back as the application consumes
 * ({@link CreditWindow}).
 *
 * <p>A topic subscriber ({@link AckStyle#CUMULATIVE}) gets {@code DELIVER} pushes: first deliveries
 * ({@code JMSXDeliveryCount=1}, not redelivered), except records below the push's {@code redeliveredBelow},
 * which a durable subscription delivered before (count 2, redelivered); records below a push's {@code fromOffset},
 * copies of dead letters sent back to a shared subscription of the topic, and, for noLocal, records this connection
 * sent are dropped. A queue receiver ({@link AckStyle#PER_RECORD}) gets
 * {@code SHARE_DELIVER} pushes: only the records whose offsets lie in the push's acquired ranges are
 * its own, each with the range's delivery count; each acquired record costs one credit. A queue receiver
 * may be opened with its credit held back ({@link #open}), so that a connection that was never started
 * takes no records from a queue that other consumers could have; {@link #start} grants it.
 *
 * <p>A topic subscriber holds a message pushed before its {@code JMSDeliveryTime} (JMS 3.1 §7.9) in a
 * {@link DelayedDeliveries} area instead of the buffer and buffers it once due; the messages behind it are
 * handed out meanwhile. Its offset stays in {@link HeldBackOffsets} until the application acknowledges it, and
 * the session's cumulative acknowledgements of that partition stop below it (see {@link Acknowledgements}),
 * so a durable subscription keeps it whatever happens to this consumer before it is due. (A queue's
 * share group holds delayed records back on the broker.)
 *
 * <p>A message that expired while in flight or in the buffer is dropped when it would be handed out
 * (JMS 3.1 §7.7: expired messages should not be delivered; the broker skips them too, this covers the
 * time after). Dropped records are consumed silently: they count for credit; a topic's are covered by
 * the next cumulative acknowledgement, a queue's are handed to {@link Owner#skipped} to be accepted.
 *
 * <p>A record that is not a JMS message is logged and skipped; a batch that is corrupt (bad CRC or
 * bounds) fails the whole connection with a message naming it, since the broker never sends one on purpose.
 *
 * <p>Failover: the consumer is open on one broker connection at a time. When the {@link ClusterConnection} moves to a
 * new one, the consumer is opened there again ({@link #reopen}) with fresh credit, and what was pushed on the lost
 * connection and not handed to the application is dropped: the broker delivers it again (a queue's and a durable
 * subscription's records from their committed state, marked redelivered when they were delivered before). Every
 * consumer also marks redelivered, itself, the records below what it handed to the application before the
 * failover, whatever the broker still knows of them. Every delivery remembers its connection, and one from a lost
 * connection is never handed out.
 *
 * <p>Threading: pushes run on the event loop and decode there (bodies are copied out of the frame, which is
 * released after the call); {@link #take} runs on the one thread that consumes; {@link #requeue} on the session's
 * thread during recover; {@link #reopen} on the failover thread. Credit arithmetic and the connection the consumer is
 * open on are guarded by this object.
 */
public final class ConsumerCore {
    private static final System.Logger LOG = System.getLogger(ConsumerCore.class.getName());

    /** What the consumer above this core is told. Called outside the core's locks. */
    public interface Owner {
        /** Messages may have become takeable (wakes a session's listener thread). */
        void messagesAvailable();

        /** A record was consumed without being handed to the application (not a JMS message, expired, noLocal). */
        void skipped(Delivery delivery);
    }

    private final ClusterConnection connection;
    private final Set<ConsumerCore> live;
    private final RecordFormat format;
    private final MessageCodec codec;
    private final int consumerId;
    private final Destination destination;
    private final AckStyle style;
    private final int prefetch;
    private final String skipConnectionId;
    private final MessageSelector filter;
    private final Owner owner;
    private final PrefetchBuffer buffer;
    /** What the consumer is opened as; set by {@link #open}. */
    private Consumers.OpenRequest template;
    /** The broker connection the consumer is open (or being opened) on; null before its first open. */
    private volatile WireConnection wire;
    /** The open on {@link #wire}. */
    private CompletableFuture<Void> opening;
    /** The broker accepted an open once: the consumer exists for the application. */
    private boolean opened;
    /** Closed, or detached from the application: never opened again. */
    private boolean detached;
    private CreditWindow credit;
    /** Recovered deliveries at the front of the buffer whose credit was granted already. */
    private int requeued;
    /** The consumer was opened without credit; {@link #start} grants the prefetch once. */
    private boolean creditHeld;
    /** Progress by partition: the offset after the highest record handed to the application. */
    private final Map<Integer, Long> handedOut = new HashMap<>();
    /**
     * {@link #handedOut} when the last broker connection was lost: records below come again as redeliveries, also
     * when a broker crash lost its own mark of what it had delivered. For a queue receiver this may also mark a
     * record it never got (one held for its delivery time, its message group or another consumer meanwhile):
     * JMS allows that ({@code JMSRedelivered} says "likely"), not a delivered message coming again unmarked.
     */
    private final Map<Integer, Long> handedOutBefore = new HashMap<>();
    /**
     * A non-durable subscriber's offset, per partition, its last open started from (as the broker answered): where it
     * resumes after a failover in a partition it handed nothing out of. Empty for every other consumer.
     */
    private final Map<Integer, Long> startedAt = new HashMap<>();
    /** A topic subscriber's messages pushed before their delivery time, until due; null for a queue receiver. */
    private final DelayedDeliveries delayed;
    /** A topic subscriber's records put aside and not yet acknowledged; null for a queue receiver. */
    private final HeldBackOffsets heldBack;
    /** Why the connection failed for good (no broker within the failover deadline, or failover off); null before. */
    private volatile ConnectionLostException lostForGood;

    /**
     * @param live             the connection's consumers to open again after a failover: the consumer is in it from
     *                         {@link #open} until it is detached or its first open fails
     * @param style            cumulative for a topic subscriber, per record for a queue receiver
     * @param skipConnectionId for a noLocal consumer, this connection's id: messages it sent are dropped; else null
     * @param filter           for a topic subscriber with a selector, the selector: messages it does not match
     *                         are dropped here (the broker pushes whole batches); else null
     */
    public ConsumerCore(ClusterConnection connection, Set<ConsumerCore> live, RecordFormat format, MessageCodec codec,
                        int consumerId, Destination destination, AckStyle style, int prefetch, String skipConnectionId,
                        MessageSelector filter, Owner owner) {
        this.connection = connection;
        this.live = live;
        this.format = format;
        this.codec = codec;
        this.consumerId = consumerId;
        this.destination = destination;
        this.style = style;
        this.prefetch = prefetch;
        this.skipConnectionId = skipConnectionId;
        this.filter = filter;
        this.owner = owner;
        this.credit = new CreditWindow(prefetch);
        this.buffer = new PrefetchBuffer(owner::messagesAvailable, style == AckStyle.PER_RECORD);
        // A queue's share group keeps delayed records on the broker; a topic subscriber is pushed whole batches.
        this.delayed = style == AckStyle.CUMULATIVE ? new DelayedDeliveries(connection::schedule, buffer::addLast) : null;
        this.heldBack = style == AckStyle.CUMULATIVE ? new HeldBackOffsets() : null;
    }

    public int consumerId() {
        return consumerId;
    }

    public AckStyle style() {
        return style;
    }

    public PrefetchBuffer buffer() {
        return buffer;
    }

    /**
     * @return a topic subscriber's records held back for their delivery time, which cap its acknowledgements;
     *         null for a queue receiver
     */
    public HeldBackOffsets heldBack() {
        return heldBack;
    }

    /**
     * Opens the consumer on the broker connection in use, or on the next one if that is lost before the broker
     * answered.
     *
     * @param request    the open request; its credit is replaced by the prefetch, or 0
     * @param holdCredit asked at each open: whether to open with no credit at all, and grant the prefetch on
     *                   {@link #start} (a queue receiver of a connection not started)
     * @return completes once the broker opened it; fails with the broker's refusal
     */
    public CompletableFuture<Void> open(Consumers.OpenRequest request, BooleanSupplier holdCredit) {
        synchronized (this) {
            template = request;
        }
        live.add(this);
        final CompletableFuture<Void> result = new CompletableFuture<>();
        openOnNextUsable(holdCredit, result);
        return result.whenComplete((r, e) -> {
            if (e != null) {
                live.remove(this);
            }
        });
    }

    private void openOnNextUsable(BooleanSupplier holdCredit, CompletableFuture<Void> result) {
        connection.usableWire().whenComplete((w, unusable) -> {
            if (unusable != null) {
                result.completeExceptionally(unusable);
                return;
            }
            attach(w, holdCredit.getAsBoolean()).whenComplete((r, e) -> {
                if (e == null) {
                    result.complete(null);
                } else if (isLost(e) && !isDetached()) {
                    // That connection was lost before the broker answered: the next one (on the loop, not in this stack).
                    connection.execute(() -> openOnNextUsable(holdCredit, result));
                } else {
                    result.completeExceptionally(e);
                }
            });
        });
    }

    /**
     * Opens the consumer again on a new broker connection, with fresh credit; what was pushed on the lost one and not
     * handed out is dropped.
     *
     * @param connectionStarted whether the JMS connection is started (a queue receiver of a stopped one takes no credit)
     * @return completes once the broker opened it; at once for a consumer the application never got (its own
     *         {@link #open} goes on by itself) or detached
     */
    public CompletableFuture<Void> reopen(WireConnection on, boolean connectionStarted) {
        final CompletableFuture<Void> attached = attach(on, style == AckStyle.PER_RECORD && !connectionStarted);
        synchronized (this) {
            return opened ? attached : CompletableFuture.completedFuture(null);
        }
    }

    /** Registers for pushes on {@code on} and asks the broker there to open the consumer; once per broker connection. */
    private CompletableFuture<Void> attach(WireConnection on, boolean holdCredit) {
        final Consumers.OpenRequest request;
        final CompletableFuture<Void> result;
        synchronized (this) {
            if (detached) {
                return CompletableFuture.completedFuture(null);
            }
            if (on == wire) {
                return opening;
            }
            final boolean resuming = wire != null && resumes(on);
            final List<Consumers.PartitionOffset> resumeAt = resuming && template.kind() == SubscriptionKind.NON_DURABLE
                    ? resumePositions() : List.of();
            if (wire != null) {
                forgetPushedBefore();
            }
            wire = on;
            credit = new CreditWindow(prefetch);
            creditHeld = holdCredit;
            request = template.reopening(holdCredit ? 0 : credit.initialCredit(), resuming, resumeAt);
            result = new CompletableFuture<>();
            opening = result;
        }
        on.registerConsumer(consumerId, pushesFrom(on));
        on.openConsumer(request).whenComplete((answer, e) -> {
            if (e != null) {
                on.unregisterConsumer(consumerId);
                result.completeExceptionally(e);
                return;
            }
            synchronized (this) {
                opened = true;
                if (on == wire) {
                    answer.startAt().forEach(p -> startedAt.put(p.partition(), p.nextOffset()));
                }
            }
            result.complete(null);
        });
        return result;
    }

    /**
     * Whether the consumer, opened again on {@code on}, resumes the subscription it had: a non-durable subscriber
     * (where it was) or a consumer of a non-durable shared subscription (the subscription's state the broker kept),
     * if the broker can; the other kinds' subscriptions outlive their consumers anyway.
     */
    private boolean resumes(WireConnection on) {
        return (template.kind() == SubscriptionKind.NON_DURABLE || template.kind() == SubscriptionKind.SHARED)
                && on.version() >= Consumers.OpenRequest.RESUME_VERSION;
    }

    /**
     * Where a non-durable subscriber goes on after a failover, per partition, under the lock: after the last record it
     * handed out, or where it started if it handed out none there, but not past a record it put aside for its delivery
     * time or holds for an undecided XA branch, which would otherwise be lost. The records between such a one and the
     * last handed out come again, marked redelivered.
     */
    private List<Consumers.PartitionOffset> resumePositions() {
        final Map<Integer, Long> resume = new HashMap<>(startedAt);
        resume.putAll(handedOut);
        final List<Consumers.PartitionOffset> positions = new ArrayList<>(resume.size());
        resume.forEach((partition, next) -> {
            final long held = heldBack.highestAcknowledgeable(partition);
            final long from = held == Long.MAX_VALUE ? next : Math.min(next, held + 1);
            positions.add(new Consumers.PartitionOffset(partition, from));
        });
        return positions;
    }

    /**
     * Drops what the lost broker connection pushed and the application did not get; under the lock. A topic
     * subscriber remembers how far it handed records out, to mark them redelivered when they come again.
     */
    private void forgetPushedBefore() {
        buffer.clear();
        requeued = 0;
        if (delayed != null) {
            delayed.clear();
            heldBack.clear();
        }
        handedOut.forEach((partition, next) -> handedOutBefore.merge(partition, next, Math::max));
    }

    private synchronized boolean isDetached() {
        return detached;
    }

    private static boolean isLost(Throwable failure) {
        final Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return cause instanceof ConnectionLostException;
    }

    /** The consumer's pushes from one broker connection: each delivery remembers where it came from. */
    private WireConnection.PushHandler pushesFrom(WireConnection on) {
        return new WireConnection.PushHandler() {
            @Override
            public void onDeliver(Consumers.Deliver deliver) {
                ConsumerCore.this.onDeliver(on, deliver);
            }

            @Override
            public void onShareDeliver(Shares.Deliver deliver) {
                ConsumerCore.this.onShareDeliver(on, deliver);
            }
        };
    }

    /** Lets the application take messages (connection started) and grants credit held back at open. */
    public void start() {
        final boolean grant;
        final int initial;
        final WireConnection on;
        synchronized (this) {
            grant = creditHeld;
            creditHeld = false;
            initial = credit.initialCredit();
            on = wire;
        }
        if (grant && on != null) {
            on.sendForStatus(ApiKey.CONSUMER_CREDIT, new Consumers.CreditRequest(consumerId, initial)::writeTo);
        }
        buffer.setStarted(true);
    }

    private void onDeliver(WireConnection on, Consumers.Deliver deliver) {
        if (on != wire) {
            return; // pushed on a lost connection: its broker delivers it again
        }
        final long redeliveredBelow;
        synchronized (this) {
            redeliveredBelow = Math.max(deliver.redeliveredBelow(),
                    handedOutBefore.getOrDefault(deliver.partition(), -1L));
        }
        final List<Delivery> accepted = new ArrayList<>();
        format.decode(deliver.records(), deliver.fromOffset(), (offset, timestampMs, key, value, headers) -> {
            final StrandMessage message = decodeOrNull(offset, key, value, headers, deliver.partition());
            // A durable subscription's records below the mark were delivered before and not acknowledged: the
            // broker keeps no per-record count for topics, so a redelivery counts as the second delivery.
            final int deliveryCount = offset < redeliveredBelow ? 2 : 1;
            if (message == null || NoLocal.sentBy(message, skipConnectionId) || isRedrivenToASharedSubscription(message)
                    || (filter != null && !filter.matches(new MessageSelectorValues(delivered(message, deliveryCount))))) {
                accepted.add(new Delivery(null, consumerId, deliver.partition(), offset, style, on));
                return;
            }
            accepted.add(new Delivery(delivered(message, deliveryCount), consumerId, deliver.partition(), offset, style,
                    on));
        });
        buffer.addLast(holdBackEarly(accepted));
    }

    /**
     * Puts aside the messages whose delivery time lies ahead (JMS 3.1 §7.9) until they are due, and grants
     * their credit at once: a message waiting for its time must not keep the broker from pushing the ones
     * behind it, which JMS lets overtake it. The client therefore holds as many delayed messages as the topic
     * has for it, not just a prefetch window's worth; they are held in memory either way, the broker pushing
     * whole batches.
     *
     * @return the deliveries to buffer now
     */
    private List<Delivery> holdBackEarly(List<Delivery> deliveries) {
        final long nowMs = System.currentTimeMillis();
        List<Delivery> now = deliveries;
        int held = 0;
        for (int i = 0; i < deliveries.size(); i++) {
            final Delivery d = deliveries.get(i);
            if (!DelayedDeliveries.isEarly(d, nowMs)) {
                if (now != deliveries) {
                    now.add(d);
                }
                continue;
            }
            if (now == deliveries) {
                now = new ArrayList<>(deliveries.subList(0, i));
            }
            // Entered before any later record can be handed out, so no acknowledgement passes it meanwhile.
            heldBack.heldBack(d.partition(), d.offset());
            delayed.hold(d);
            held++;
        }
        if (held > 0) {
            grant(held);
        }
        return now;
    }

    private void onShareDeliver(WireConnection on, Shares.Deliver deliver) {
        if (on != wire) {
            return; // pushed on a lost connection: the broker gave its records back to the queue
        }
        final AcquiredRanges acquired = new AcquiredRanges(deliver.acquired());
        final long handedOutBelow;
        synchronized (this) {
            handedOutBelow = handedOutBefore.getOrDefault(deliver.partition(), -1L);
        }
        final List<Delivery> accepted = new ArrayList<>();
        format.decode(deliver.records(), acquired.firstOffset(), acquired.lastOffset(),
                (offset, timestampMs, key, value, headers) -> {
            final int acquiredCount = acquired.deliveryCount(offset);
            if (acquiredCount == 0) {
                return; // acquired by another consumer of the queue
            }
            // The lost broker may have handed this record to the application without its new leader learning it:
            // acquisitions are replicated after the push, so a kill can lose the count. Below what this consumer
            // handed out before the failover, a first delivery is taken for a redelivery.
            final int deliveryCount = offset < handedOutBelow ? Math.max(acquiredCount, 2) : acquiredCount;
            final StrandMessage message = decodeOrNull(offset, key, value, headers, deliver.partition());
            accepted.add(new Delivery(message == null ? null : delivered(message, deliveryCount), consumerId,
                    deliver.partition(), offset, style, on));
        });
        final long missing = acquired.count() - accepted.size();
        if (missing > 0) {
            // The broker acquired records it could not send (removed by retention meanwhile): they cost
            // credit that would otherwise never come back.
            LOG.log(Level.WARNING, "{0} records acquired for consumer {1} on partition {2} were not in the push",
                    missing, consumerId, deliver.partition());
            grant((int) Math.min(Integer.MAX_VALUE, missing));
        }
        buffer.addLast(accepted);
    }

    /**
     * Whether a record is a dead letter's copy that an operator sent back to one shared subscription of the topic:
     * the broker hands it to that subscription's consumers only, and a topic subscriber, never one of those, drops it.
     */
    private static boolean isRedrivenToASharedSubscription(StrandMessage message) {
        return message.propertyExists(PropertyNames.STRAND_REDRIVEN_TO_SUBSCRIPTION);
    }

    private StrandMessage delivered(StrandMessage message, int deliveryCount) {
        if (message.getJMSDestination() == null) {
            message.setJMSDestination(destination);
        }
        message.setDeliveryCount(deliveryCount);
        return message;
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
     * The connection failed for good: nothing will be delivered any more, so every take from now on throws, and one
     * waiting is woken to throw. What was buffered is dropped: it came on the lost connection.
     */
    public void connectionLost(ConnectionLostException cause) {
        lostForGood = cause;
        buffer.close();
    }

    /**
     * Takes the next delivery for the application and grants credit when enough has been consumed.
     * Skipped records (null message, expired) are consumed here and handed to {@link Owner#skipped}; the
     * returned delivery always has a message.
     *
     * @param timeoutMs negative: no wait; 0: wait forever; else the most to wait
     * @return the delivery, or null on timeout, close or interrupt
     * @throws JMSException the connection failed for good, unless the application closed the consumer: a receive
     *                      that returned null would tell it nothing, and one in a loop would spin (MessageConsumer
     *                      returns null only when the timeout expires or the consumer is closed)
     */
    public Delivery take(long timeoutMs) throws JMSException {
        final long deadlineNs = System.nanoTime() + timeoutMs * 1_000_000L;
        while (true) {
            checkNotLost();
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
                checkNotLost();
                return null;
            }
            if (d.wire() != wire || d.isFromLostConnection()) {
                continue; // pushed on a lost connection: dropped unseen, since its broker delivers it again
            }
            // A message put aside for its delivery time had its credit granted then.
            if (heldBack == null || !heldBack.handOut(d.partition(), d.offset())) {
                consumed();
            }
            if (d.message() != null && !expired(d.message())) { // expiry is checked when handed out: buffers can be slow
                synchronized (this) {
                    handedOut.merge(d.partition(), d.offset() + 1, Math::max);
                }
                return d;
            }
            if (heldBack != null) {
                // An expired delayed message no longer holds acknowledgements back.
                heldBack.settled(d.partition(), d.offset());
            }
            owner.skipped(d);
            if (timeoutMs > 0 && System.nanoTime() >= deadlineNs) {
                timeoutMs = -1;
            }
        }
    }

    /** Throws once the connection failed for good, unless the consumer was closed: a closed one returns null. */
    private void checkNotLost() throws JMSException {
        final ConnectionLostException lost = lostForGood;
        if (lost != null && !isDetached()) {
            throw JmsErrors.withCause(new JMSException("cannot receive from " + destination + ": the connection to "
                    + connection.description() + " is lost: " + lost.getMessage(), "CONNECTION_LOST"), lost);
        }
    }

    private void consumed() {
        synchronized (this) {
            if (requeued > 0) {
                requeued--;
                return;
            }
        }
        grant(1);
    }

    /**
     * Counts records consumed without being taken from the buffer and grants credit when enough were. A grant on a
     * lost connection goes nowhere; the consumer opens on the next one with full credit.
     */
    private void grant(int records) {
        final int grant;
        final WireConnection on;
        synchronized (this) {
            grant = credit.consumed(records);
            on = wire;
        }
        if (grant > 0) {
            on.sendForStatus(ApiKey.CONSUMER_CREDIT, new Consumers.CreditRequest(consumerId, grant)::writeTo);
        }
    }

    /**
     * Puts recovered deliveries back in front; they were counted as consumed once already. Those of a lost connection
     * are dropped: its broker delivers them again.
     */
    public void requeue(List<Delivery> deliveries) {
        final List<Delivery> current = new ArrayList<>(deliveries.size());
        synchronized (this) {
            for (Delivery d : deliveries) {
                if (d.wire() == wire) {
                    current.add(d);
                }
            }
            requeued += current.size();
        }
        buffer.addFirst(current);
    }

    /**
     * Asks the broker to stop the consumer without closing it: it takes and pushes nothing more and keeps what
     * it holds. Pushes sent before arrive before the answer, so once it completes the buffer holds everything
     * the consumer will ever get.
     *
     * @return true once stopped; false if the broker does not know the request (then nothing changed), or the
     *         consumer's broker connection is lost (then it holds nothing any more)
     */
    public CompletableFuture<Boolean> stop() {
        return wire.sendForStatus(ApiKey.STOP_CONSUMER, new Consumers.StopRequest(consumerId)::writeTo)
                .handle((r, e) -> {
                    if (e == null) {
                        return CompletableFuture.completedFuture(true);
                    }
                    final Throwable cause = e instanceof CompletionException ? e.getCause() : e;
                    if (cause instanceof BrokerException refused && refused.error() == ErrorCode.UNSUPPORTED_API
                            || cause instanceof ConnectionLostException) {
                        // An older broker; or the connection is lost, and what the consumer held went back with it.
                        return CompletableFuture.completedFuture(false);
                    }
                    return CompletableFuture.<Boolean>failedFuture(cause);
                }).thenCompose(answer -> answer);
    }

    /**
     * Stops pushes to this consumer and drops its buffer, leaving it open on the broker with what it
     * holds there: for a consumer closed while its session still has to acknowledge its records. Messages
     * held for their delivery time are dropped too; their offsets keep capping the acknowledgements still sent
     * for the consumer, so a durable subscription pushes them again to its next consumer.
     *
     * @return the deliveries that were buffered, never handed to the application
     */
    public List<Delivery> detach() {
        final WireConnection on;
        synchronized (this) {
            detached = true;
            on = wire;
        }
        live.remove(this);
        if (on != null) {
            on.unregisterConsumer(consumerId);
        }
        if (delayed != null) {
            delayed.close();
            heldBack.close();
        }
        return buffer.close();
    }

    /**
     * Stops pushes to this consumer, drops its buffer and closes it on the broker. A topic subscriber first
     * says how far it handed records to the application, so that a durable subscription redelivers as
     * redeliveries only those (an older broker does not know the report: its refusal is ignored). The report is
     * one offset per partition, so a delayed message still held below a message handed out after it comes again
     * marked redelivered although it was not delivered: JMS allows that ({@code JMSRedelivered} says "likely"),
     * while the opposite, a delivered message coming again unmarked, it does not.
     */
    public CompletableFuture<Void> close() {
        detach();
        final WireConnection on = wire;
        if (on == null || on.isFailed()) {
            return CompletableFuture.completedFuture(null); // the broker closed it with its connection
        }
        if (style == AckStyle.CUMULATIVE) {
            final List<Consumers.PartitionOffset> marks = new ArrayList<>();
            synchronized (this) {
                handedOut.forEach((partition, next) -> marks.add(new Consumers.PartitionOffset(partition, next)));
            }
            on.sendForStatus(ApiKey.CONSUMER_HANDED_OUT, new Consumers.HandedOutRequest(consumerId, marks)::writeTo)
                    .whenComplete((r, e) -> {
                        if (e != null) {
                            LOG.log(Level.DEBUG, "consumer {0} could not report what it handed out: {1}", consumerId, e);
                        }
                    });
        }
        return on.sendForStatus(ApiKey.CLOSE_CONSUMER, new Consumers.CloseRequest(consumerId)::writeTo)
                .handle((r, e) -> {
                    if (e == null || isLost(e)) {
                        return CompletableFuture.<Void>completedFuture(null); // lost: closed with its connection
                    }
                    return CompletableFuture.<Void>failedFuture(e instanceof CompletionException ? e.getCause() : e);
                }).thenCompose(done -> done);
    }

    /** @return whether the consumer is open on a broker connection that is not lost */
    public boolean isOnLiveConnection() {
        final WireConnection on = wire;
        return on != null && !on.isFailed();
    }
}
