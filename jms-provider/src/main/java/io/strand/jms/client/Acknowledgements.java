package io.strand.jms.client;

import io.strand.protocol.ApiKey;
import io.strand.protocol.ErrorCode;
import io.strand.protocol.Shares;
import io.strand.protocol.Transactions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * The acknowledgement state of one session: deliveries handed to the application and not yet
 * acknowledged (what {@code recover()} redelivers), and acknowledgements waiting to be sent.
 *
 * <p>Acknowledgements are queued per consumer and partition in the {@link AckStyle} of the delivery:
 * cumulative for topics (many coalesce into the highest offset), per record for queues (coalesced into
 * ranges of consecutive offsets, accepted or released). AUTO mode queues one per message and sends
 * them together on the event loop right after; DUPS_OK sends them after a delay; CLIENT mode sends all
 * at once on {@code message.acknowledge()}. {@link #flush()} sends what is queued and returns a future
 * of the broker's answers, so close, stop and recover can make a round trip.
 *
 * <p>A topic subscriber hands out a delayed message after messages that came behind it (JMS 3.1 §7.9). Its
 * cumulative acknowledgements of a partition never pass a record it still holds back for its delivery time
 * or handed out and nobody acknowledged yet ({@link HeldBackOffsets}): they are sent up to just below it, and
 * the rest waits queued until that record is acknowledged too. So a durable subscription whose consumer goes
 * away keeps the delayed message (and pushes again, marked redelivered, the later ones whose acknowledgement
 * was still waiting). A transaction's commit is capped the same way ({@link #forCommit}, {@link #committed}).
 *
 * <p>An acknowledgement goes on the broker connection its delivery came on: consumers and what they hold belong to
 * one connection. Once that connection is lost (the client fails over to another), the acknowledgement is dropped and
 * counts as done: the broker gives the message to a consumer again, marked redelivered, as it does for every message
 * a lost connection did not acknowledge. An application acknowledging in CLIENT mode therefore sees no failure, but
 * the messages it acknowledged on the lost connection come again.
 *
 * <p>Thread-safe: the consuming thread, the listener thread and the event loop all call in; state is
 * guarded by this object and requests are sent outside the lock.
 */
public final class Acknowledgements {
    private record Key(WireConnection wire, int consumerId, int partition) {
    }

    private final Executor executor;
    private final ProduceAccumulator.Scheduler scheduler;
    /** 0: send right after the current message (AUTO); more: wait that long to coalesce (DUPS_OK). */
    private final long delayMs;
    private final List<Delivery> unacknowledged = new ArrayList<>();
    private final Map<Key, PendingAcks> queued = new LinkedHashMap<>();
    private boolean flushScheduled;
    /** The held-back records of each topic subscriber of the session, by consumer id. */
    private final Map<Integer, HeldBackOffsets> heldBack = new HashMap<>();
    /** Acknowledgements sent and not yet answered: a flush waits for these too, to be a real round trip. */
    private final java.util.Set<CompletableFuture<?>> inFlight = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * @param executor  runs an AUTO acknowledgement's flush right after the current message (the event loop)
     * @param scheduler runs a DUPS_OK acknowledgement's flush after {@code delayMs}
     */
    public Acknowledgements(Executor executor, ProduceAccumulator.Scheduler scheduler, long delayMs) {
        this.executor = executor;
        this.scheduler = scheduler;
        this.delayMs = delayMs;
    }

    /** Caps the cumulative acknowledgements of a topic subscriber below the records it holds back. */
    public synchronized void capBelowHeldBack(int consumerId, HeldBackOffsets offsets) {
        heldBack.put(consumerId, offsets);
    }

    /** Remembers a delivery handed to the application, for CLIENT acknowledgement and recover. */
    public synchronized void delivered(Delivery delivery) {
        unacknowledged.add(delivery);
    }

    /**
     * Acknowledges one delivery soon (AUTO and DUPS_OK): queues its offset and schedules a flush.
     */
    public void acknowledgeSoon(Delivery delivery) {
        synchronized (this) {
            unacknowledged.remove(delivery);
            queue(delivery, Shares.AckType.ACCEPT);
        }
        flushSoon();
    }

    /**
     * Acknowledges soon, as {@link #acknowledgeSoon}, a delivery handed to the application — unless it is no longer
     * unacknowledged: an XA branch its listener ended took it, and the branch's outcome settles it.
     */
    public void acknowledgeDeliveredSoon(Delivery delivery) {
        synchronized (this) {
            if (!unacknowledged.contains(delivery)) {
                return;
            }
        }
        acknowledgeSoon(delivery);
    }

    /**
     * Sends what is queued soon: for a topic subscriber whose held-back record was dropped (expired), so that
     * acknowledgements waiting behind it leave without waiting for the next message.
     */
    public void flushSoon() {
        final boolean schedule;
        synchronized (this) {
            schedule = !flushScheduled;
            flushScheduled = true;
        }
        if (schedule) {
            final Runnable task = () -> {
                synchronized (this) {
                    flushScheduled = false;
                }
                flush();
            };
            if (delayMs == 0) {
                executor.execute(task);
            } else {
                scheduler.schedule(task, delayMs);
            }
        }
    }

    /** Acknowledges every delivery handed out so far (CLIENT mode) and returns the broker's answers. */
    public CompletableFuture<Void> acknowledgeAll() {
        synchronized (this) {
            for (Delivery d : unacknowledged) {
                queue(d, Shares.AckType.ACCEPT);
            }
            unacknowledged.clear();
        }
        return flush();
    }

    /**
     * Releases acquired queue records, so that the broker delivers them again (to any consumer, with the
     * delivery count raised), and returns the broker's answers. They must be taken from the unacknowledged
     * deliveries (or never handed out) first.
     */
    public CompletableFuture<Void> release(Collection<Delivery> deliveries) {
        synchronized (this) {
            for (Delivery d : deliveries) {
                if (!d.isAcquired()) {
                    throw new IllegalStateException("only queue records can be released, not " + d);
                }
                queue(d, Shares.AckType.RELEASE);
            }
        }
        return flush();
    }

    /**
     * Tells the broker that held queue records are about to be delivered again from the client's memory, so
     * that it counts the delivery and leaves them with their consumer (see {@link Shares.RedeliverRequest}).
     * A broker that does not know the request gets the records released instead, to deliver them again itself.
     *
     * @return the delivery count of each delivery the consumer keeps, in the order given; a delivery left out
     *         went back to the broker (delivered too often: it goes to the dead-letter queue)
     */
    public CompletableFuture<Map<Delivery, Integer>> redeliverHeld(List<Delivery> deliveries) {
        final Map<Key, List<Delivery>> byPartition = new LinkedHashMap<>();
        for (Delivery d : deliveries) {
            if (!d.isAcquired()) {
                throw new IllegalStateException("only queue records are held, not " + d);
            }
            byPartition.computeIfAbsent(new Key(d.wire(), d.consumerId(), d.partition()), k -> new ArrayList<>()).add(d);
        }
        final Map<Key, CompletableFuture<Map<Long, Integer>>> answers = new LinkedHashMap<>();
        byPartition.forEach((key, group) -> answers.put(key, redeliverHeld(key, group)));
        return CompletableFuture.allOf(answers.values().toArray(new CompletableFuture<?>[0])).thenApply(v -> {
            final Map<Delivery, Integer> kept = new LinkedHashMap<>();
            for (Delivery d : deliveries) {
                final Integer count = answers.get(new Key(d.wire(), d.consumerId(), d.partition())).join()
                        .get(d.offset());
                if (count != null) {
                    kept.put(d, count);
                }
            }
            return kept;
        });
    }

    /** @return the delivery counts of the records of one consumer and partition the broker left with it, by offset */
    private CompletableFuture<Map<Long, Integer>> redeliverHeld(Key key, List<Delivery> group) {
        final Shares.RedeliverRequest request = new Shares.RedeliverRequest(key.consumerId(), key.partition(),
                offsetRanges(group));
        return key.wire().send(ApiKey.SHARE_REDELIVER, request::writeTo, Shares.RedeliverResponse::readFrom,
                        Shares.RedeliverResponse::status)
                .handle((response, error) -> {
                    if (error == null) {
                        final Map<Long, Integer> kept = new HashMap<>();
                        for (Shares.AcquiredRange range : response.kept()) {
                            for (long offset = range.firstOffset(); offset <= range.lastOffset(); offset++) {
                                kept.put(offset, (int) range.deliveryCount());
                            }
                        }
                        return CompletableFuture.completedFuture(kept);
                    }
                    final Throwable cause = error instanceof CompletionException ? error.getCause() : error;
                    if (cause instanceof ConnectionLostException) {
                        // The connection is lost, and the records with it: the broker redelivers them itself.
                        return CompletableFuture.completedFuture(Map.<Long, Integer>of());
                    }
                    if (cause instanceof BrokerException refused && refused.error() == ErrorCode.UNSUPPORTED_API) {
                        // A broker older than SHARE_REDELIVER: it redelivers the records itself, after what was prefetched.
                        return release(group).thenApply(released -> Map.<Long, Integer>of());
                    }
                    return CompletableFuture.<Map<Long, Integer>>failedFuture(cause);
                }).thenCompose(answer -> answer);
    }

    /** The offsets of the deliveries as ranges of consecutive offsets, in offset order. */
    private static List<Shares.OffsetRange> offsetRanges(List<Delivery> deliveries) {
        final long[] offsets = deliveries.stream().mapToLong(Delivery::offset).sorted().distinct().toArray();
        final List<Shares.OffsetRange> ranges = new ArrayList<>();
        int start = 0;
        for (int k = 1; k <= offsets.length; k++) {
            if (k == offsets.length || offsets[k] != offsets[k - 1] + 1) {
                ranges.add(new Shares.OffsetRange(offsets[start], offsets[k - 1]));
                start = k;
            }
        }
        return ranges;
    }

    private void queue(Delivery d, Shares.AckType type) {
        if (!d.isAcquired()) {
            final HeldBackOffsets offsets = heldBack.get(d.consumerId());
            if (offsets != null) {
                offsets.settled(d.partition(), d.offset());
            }
        }
        queued.computeIfAbsent(new Key(d.wire(), d.consumerId(), d.partition()), k -> d.style().newPending())
                .add(d.offset(), type);
    }

    /**
     * Sends the queued acknowledgements; the future completes when the broker has answered them and
     * every acknowledgement sent before (by a scheduled flush), and fails if any of them failed.
     */
    public CompletableFuture<Void> flush() {
        final Map<Key, PendingAcks> toSend;
        final CompletableFuture<Void> sent = new CompletableFuture<>();
        synchronized (this) {
            toSend = takeSendable();
            if (!toSend.isEmpty()) {
                inFlight.add(sent); // under the lock: a concurrent flush that finds the queue empty still waits for us
            }
        }
        final CompletableFuture<Void> all = CompletableFuture.allOf(inFlight.toArray(new CompletableFuture<?>[0]));
        if (toSend.isEmpty()) {
            return all;
        }
        final List<CompletableFuture<?>> answers = new ArrayList<>(toSend.size());
        toSend.forEach((key, pending) -> answers.add(pending.send(key.wire(), key.consumerId(), key.partition())
                .handle((r, e) -> {
                    final Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                    if (e != null && !(cause instanceof ConnectionLostException)) {
                        throw e instanceof CompletionException c ? c : new CompletionException(e);
                    }
                    return null; // acknowledged, or dropped with the lost connection (the message comes again)
                })));
        CompletableFuture.allOf(answers.toArray(new CompletableFuture<?>[0])).whenComplete((r, e) -> {
            inFlight.remove(sent);
            if (e != null) {
                sent.completeExceptionally(e);
            } else {
                sent.complete(null);
            }
        });
        return all;
    }

    /** Takes from the queue what may be sent now: all but topic acknowledgements that would pass a held-back record. */
    private Map<Key, PendingAcks> takeSendable() {
        final Map<Key, PendingAcks> toSend = new LinkedHashMap<>();
        for (final var it = queued.entrySet().iterator(); it.hasNext(); ) {
            final Map.Entry<Key, PendingAcks> entry = it.next();
            final HeldBackOffsets offsets = heldBack.get(entry.getKey().consumerId());
            if (offsets == null || !(entry.getValue() instanceof CumulativeAcks cumulative)) {
                toSend.put(entry.getKey(), entry.getValue());
                it.remove();
                continue;
            }
            final CumulativeAcks sendable = cumulative.takeUpTo(offsets.highestAcknowledgeable(entry.getKey().partition()));
            if (sendable != null) {
                toSend.put(entry.getKey(), sendable);
            }
            if (cumulative.isEmpty()) {
                it.remove();
            }
        }
        return toSend;
    }

    /**
     * The acknowledgements a COMMIT carries for the deliveries its transaction received: topic ones capped below
     * the records their consumer still holds back (other than those the commit acknowledges itself).
     */
    public synchronized CommitAcknowledgements forCommit(List<Delivery> received) {
        return CommitAcknowledgements.of(received, (consumerId, partition, settling) -> {
            final HeldBackOffsets offsets = heldBack.get(consumerId);
            return offsets == null ? Long.MAX_VALUE : offsets.highestAcknowledgeable(partition, settling);
        });
    }

    /**
     * The commit of {@code received} succeeded: held-back records among them no longer cap acknowledgements, and
     * the topic acknowledgements it could not carry wait queued (they are committed: sending them is always
     * right) until the records below them are acknowledged. Sends what may be sent now.
     *
     * @return the broker's answers to what was sent
     */
    public CompletableFuture<Void> committed(List<Delivery> received, CommitAcknowledgements acks) {
        final Map<Integer, WireConnection> wires = new HashMap<>();
        for (Delivery d : received) {
            wires.put(d.consumerId(), d.wire());
        }
        synchronized (this) {
            for (Delivery d : received) {
                final HeldBackOffsets offsets = d.isAcquired() ? null : heldBack.get(d.consumerId());
                if (offsets != null) {
                    offsets.settled(d.partition(), d.offset());
                }
            }
            for (Transactions.TopicAck deferred : acks.deferredTopic()) {
                final HeldBackOffsets offsets = heldBack.get(deferred.consumerId());
                final WireConnection wire = wires.get(deferred.consumerId());
                // A closed consumer's subscription pushes them again.
                if (offsets != null && !offsets.isClosed() && wire != null) {
                    queued.computeIfAbsent(new Key(wire, deferred.consumerId(), deferred.partition()),
                            k -> new CumulativeAcks()).add(deferred.offset(), Shares.AckType.ACCEPT);
                }
            }
        }
        return flush();
    }

    /**
     * Deliveries taken into an XA branch that is not decided yet: the cumulative acknowledgements of their topic
     * subscribers stop below them until the branch's commit settles them (see {@link HeldBackOffsets}).
     */
    public synchronized void heldForTransaction(List<Delivery> deliveries) {
        for (Delivery d : deliveries) {
            final HeldBackOffsets offsets = d.isAcquired() ? null : heldBack.get(d.consumerId());
            if (offsets != null) {
                offsets.heldForTransaction(d.partition(), d.offset());
            }
        }
    }

    /** Takes every unacknowledged delivery, in delivery order, for recover. */
    public synchronized List<Delivery> takeUnacknowledged() {
        final List<Delivery> taken = List.copyOf(unacknowledged);
        unacknowledged.clear();
        return taken;
    }

    /** Forgets the deliveries of a closed consumer (they will be redelivered by the broker). */
    public synchronized void forgetConsumer(int consumerId) {
        unacknowledged.removeIf(d -> d.consumerId() == consumerId);
        queued.keySet().removeIf(k -> k.consumerId() == consumerId);
        heldBack.remove(consumerId);
    }

    /** @return whether a delivery of the consumer waits for acknowledgement (in a transaction: for the commit) */
    public synchronized boolean hasUnacknowledged(int consumerId) {
        for (Delivery d : unacknowledged) {
            if (d.consumerId() == consumerId) {
                return true;
            }
        }
        return false;
    }

    /** @return the number of deliveries not yet acknowledged */
    public synchronized int unacknowledgedCount() {
        return unacknowledged.size();
    }
}
