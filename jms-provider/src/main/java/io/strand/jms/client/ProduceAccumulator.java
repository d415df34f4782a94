package io.strand.jms.client;

import io.strand.jms.message.EncodedMessage;
import io.strand.protocol.DestinationType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Gathers the records of one connection into one open batch per partition and sends a batch when
 * it reaches {@code batchBytes}, when its {@code lingerMs} has passed since its first record, or at
 * once when a send asks for it (a PERSISTENT synchronous send, whose caller waits anyway). Records of a
 * partition leave in the order they were appended, because a batch is sent before the next one opens
 * and the broker answers produce requests in order per partition.
 *
 * <p>A batch is durable (the broker acknowledges it only once it is durable) when any of its records
 * asked for durability; a non-persistent record riding in a durable batch only waits a little longer.
 *
 * <p>At most {@value #MAX_IN_FLIGHT_PER_PARTITION} batches of a partition are sent and unanswered at a time. A batch due
 * to leave meanwhile stays open and gathers the records that follow until one is answered (or until it is full, and
 * then waits its turn in order): under load batches grow, so that lingering is not what makes them large. The broker
 * remembers that many batches of each idempotent producer per partition, so every batch whose answer a failover loses
 * is one the broker can still recognise when it comes again.
 *
 * <p>A partition holds memory only while it has an open batch or batches unanswered, and a batch is the list of its
 * records' own encodings, not a buffer of {@code batchBytes}: thousands of idle partitions cost nothing, and a large
 * {@code batchBytes} costs only what is actually sent.
 *
 * <p>Each record gets a future that completes with its offset, or fails with the batch, on whatever
 * thread the {@link BatchSender}'s future completes on (the event loop in production): chain user code
 * asynchronously. Thread-safe: every method locks this accumulator; a batch is handed to the sender
 * under the lock so that order per partition holds across threads.
 */
public final class ProduceAccumulator {
    /** A partition of a destination. */
    public record PartitionKey(DestinationType type, String destination, int partition) {
    }

    /** Sends one batch; its future completes with the base offset the broker assigned. */
    @FunctionalInterface
    public interface BatchSender {
        CompletableFuture<Long> send(PartitionKey partition, boolean durable, List<EncodedMessage> records,
                                     long[] timestampsMs);
    }

    /** Runs a task after a delay; the returned handle cancels it. */
    @FunctionalInterface
    public interface Scheduler {
        Runnable schedule(Runnable task, long delayMs);
    }

    /** Batches of one partition a broker may be sent before it answered the first of them. */
    static final int MAX_IN_FLIGHT_PER_PARTITION = 5;

    private static final class OpenBatch {
        final List<EncodedMessage> records = new ArrayList<>();
        final List<CompletableFuture<Long>> futures = new ArrayList<>();
        /** Completes once the batch is answered, successfully or not. */
        final CompletableFuture<Void> answered = new CompletableFuture<>();
        long[] timestamps = new long[4];
        int bytes;
        boolean durable;
        Runnable cancelLinger;
        /** Due to leave, but its partition has its most batches in flight: it gathers records until one is answered. */
        boolean ready;
    }

    /** The batches of one partition sent and not answered, and those closed and waiting to be sent behind them. */
    private static final class Flight {
        int sent;
        final ArrayDeque<OpenBatch> waiting = new ArrayDeque<>();
    }

    private final BatchSender sender;
    private final Scheduler scheduler;
    private final long lingerMs;
    private final int batchBytes;
    private final Map<PartitionKey, OpenBatch> open = new HashMap<>();
    private final Map<PartitionKey, Flight> flights = new HashMap<>();
    /** Batches closed and not yet answered, so that close can wait for them. */
    private final java.util.Set<CompletableFuture<Void>> unanswered = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public ProduceAccumulator(BatchSender sender, Scheduler scheduler, long lingerMs, int batchBytes) {
        if (lingerMs < 0 || batchBytes <= 0) {
            throw new IllegalArgumentException("lingerMs=" + lingerMs + " batchBytes=" + batchBytes);
        }
        this.sender = sender;
        this.scheduler = scheduler;
        this.lingerMs = lingerMs;
        this.batchBytes = batchBytes;
    }

    /**
     * Adds a record to its partition's open batch.
     *
     * @param durable  whether the record's batch must be durable before it is acknowledged
     * @param sendNow  send the batch now instead of lingering
     * @return a future completed with the record's offset
     */
    public synchronized CompletableFuture<Long> append(PartitionKey partition, EncodedMessage record, long timestampMs,
                                                      boolean durable, boolean sendNow) {
        final int size = record.sizeInBytes();
        OpenBatch batch = open.get(partition);
        if (batch != null && batch.bytes + size > batchBytes) {
            close(partition); // full: this record starts the next batch, behind it
            batch = null;
        }
        if (batch == null) {
            batch = new OpenBatch();
            open.put(partition, batch);
        }
        final CompletableFuture<Long> future = new CompletableFuture<>();
        if (batch.records.size() == batch.timestamps.length) {
            batch.timestamps = java.util.Arrays.copyOf(batch.timestamps, batch.timestamps.length * 2);
        }
        batch.timestamps[batch.records.size()] = timestampMs;
        batch.records.add(record);
        batch.futures.add(future);
        batch.bytes += size;
        batch.durable |= durable;
        if (batch.bytes >= batchBytes) {
            close(partition);
        } else if (sendNow || lingerMs == 0) {
            sendBatch(partition);
        } else if (batch.cancelLinger == null && !batch.ready) {
            final OpenBatch lingering = batch;
            batch.cancelLinger = scheduler.schedule(() -> lingerExpired(partition, lingering), lingerMs);
        }
        return future;
    }

    private synchronized void lingerExpired(PartitionKey partition, OpenBatch batch) {
        if (open.get(partition) == batch) { // else it left already, full or flushed
            batch.cancelLinger = null;
            sendBatch(partition);
        }
    }

    /** Sends every open batch now, for close, commit-like points and tests. */
    public synchronized void flush() {
        for (PartitionKey partition : new ArrayList<>(open.keySet())) {
            close(partition);
        }
    }

    /**
     * Sends every open batch and returns a future that completes when every batch sent so far has been
     * answered, successfully or not: what close waits for, so that no send is cut off by the close itself.
     */
    public CompletableFuture<Void> drain() {
        flush();
        return CompletableFuture.allOf(unanswered.toArray(new CompletableFuture<?>[0]));
    }

    /** @return the number of records waiting in open batches */
    public synchronized int pendingRecords() {
        int n = 0;
        for (OpenBatch batch : open.values()) {
            n += batch.records.size();
        }
        return n;
    }

    /** For tests and diagnostics: the partitions with an open batch or batches unanswered. */
    synchronized int partitionsHeld() {
        final Set<PartitionKey> held = new HashSet<>(open.keySet());
        held.addAll(flights.keySet());
        return held.size();
    }

    /**
     * Sends the partition's open batch, or, while the partition has its most batches in flight, leaves it open and
     * ready (behind any full batches waiting their turn), to gather the records that come until a batch in flight is
     * answered: under load batches grow instead of queueing one small batch behind another.
     */
    private void sendBatch(PartitionKey partition) {
        final OpenBatch batch = open.get(partition);
        final Flight flight = flights.get(partition);
        if (batch != null && flight != null && flight.sent >= MAX_IN_FLIGHT_PER_PARTITION) {
            batch.ready = true;
            cancelLinger(batch);
            return;
        }
        close(partition);
    }

    /** Closes the partition's open batch and sends it, or queues it behind the batches in flight. */
    private void close(PartitionKey partition) {
        final OpenBatch batch = open.remove(partition);
        if (batch == null || batch.records.isEmpty()) {
            return;
        }
        cancelLinger(batch);
        unanswered.add(batch.answered);
        final Flight flight = flights.computeIfAbsent(partition, p -> new Flight());
        if (flight.sent < MAX_IN_FLIGHT_PER_PARTITION) {
            dispatch(partition, batch, flight);
        } else {
            flight.waiting.add(batch);
        }
    }

    private static void cancelLinger(OpenBatch batch) {
        if (batch.cancelLinger != null) {
            batch.cancelLinger.run();
            batch.cancelLinger = null;
        }
    }

    /** Hands a batch to the sender; under the lock, so that a partition's batches leave in order. */
    private void dispatch(PartitionKey partition, OpenBatch batch, Flight flight) {
        flight.sent++;
        final long[] timestamps = java.util.Arrays.copyOf(batch.timestamps, batch.records.size());
        CompletableFuture<Long> sent;
        try {
            sent = sender.send(partition, batch.durable, batch.records, timestamps);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((baseOffset, error) -> {
            for (int i = 0; i < batch.futures.size(); i++) {
                if (error != null) {
                    batch.futures.get(i).completeExceptionally(error);
                } else {
                    batch.futures.get(i).complete(baseOffset + i);
                }
            }
            sendNextOf(partition);
            unanswered.remove(batch.answered);
            batch.answered.complete(null);
        });
    }

    /** A batch of the partition was answered: the next one waiting may leave. */
    private synchronized void sendNextOf(PartitionKey partition) {
        final Flight flight = flights.get(partition);
        flight.sent--;
        final OpenBatch next = flight.waiting.poll();
        if (next != null) {
            dispatch(partition, next, flight);
            return;
        }
        final OpenBatch gathering = open.get(partition);
        if (gathering != null && gathering.ready) {
            close(partition);
        } else if (flight.sent == 0) {
            flights.remove(partition);
        }
    }
}
