package io.strand.jms;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.strand.jms.client.Acknowledgements;
import io.strand.jms.client.BrokerException;
import io.strand.jms.client.CommitAcknowledgements;
import io.strand.jms.client.ConsumerCore;
import io.strand.jms.client.Delivery;
import io.strand.jms.client.JmsErrors;
import io.strand.jms.client.ProduceAccumulator;
import io.strand.jms.client.ProducerSequences;
import io.strand.jms.client.StagedSends;
import io.strand.jms.message.EncodedMessage;
import io.strand.protocol.ApiKey;
import io.strand.protocol.ErrorCode;
import io.strand.protocol.StatusResponse;
import io.strand.protocol.Transactions;
import io.strand.record.RecordBatch;
import jakarta.jms.JMSException;
import jakarta.jms.ResourceAllocationException;
import jakarta.jms.TransactionRolledBackException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The local transaction of a transacted session (JMS 3.1 §6.2.7, DESIGN.md §3). Such a session is
 * always in a transaction: {@link #commit} and {@link #rollback} end one and start the next.
 *
 * <ul>
 * <li>Sends are staged in the client ({@link StagedSends}, capped by the {@code transactionMaxBytes}
 *     URL option) and leave only in the COMMIT request, so an open transaction holds back no one; a
 *     rollback forgets them.</li>
 * <li>Received messages stay unacknowledged in the session's {@link Acknowledgements}; the COMMIT accepts
 *     the queue records and moves the topic positions, in the same request as the sends. A rollback
 *     redelivers them as recover does: put back in front of their consumer as received, marked redelivered
 *     (the broker counts the delivery of queue records, which stay with their consumer).</li>
 * <li>A consumer closed while its messages are part of the transaction stays open on the broker, detached
 *     from the application, until the transaction ends, so that the commit can still acknowledge them;
 *     records pushed to it meanwhile wait with it and are released when it finally closes.</li>
 * </ul>
 *
 * <p>Outcome of a commit:
 * <ul>
 * <li>answered OK: committed, every send durable and every acknowledgement applied;</li>
 * <li>refused by the broker (unknown destination, corrupt or too large batch, ...) or not sent because the
 *     connection was lost before: nothing was applied; the received messages are redelivered and commit
 *     throws {@link TransactionRolledBackException}, as the specification says for a transaction rolled
 *     back during commit;</li>
 * <li>answer lost: a commit that also acknowledges received messages lost its connection after the request left
 *     (its acknowledgements belong to that broker connection, so it cannot be sent again), the broker did not
 *     answer in time, or its storage failed while the commit may have been recorded. A commit that sends asks the
 *     broker, on whatever connection the client has after a failover, whether it happened
 *     ({@code COMMIT_STATUS}, by the stamps of its first batches): if it did, commit returns (an acknowledgement the
 *     broker had not applied yet when it failed means that message comes again, marked redelivered); if not, the
 *     broker refuses it from then on and commit throws {@link TransactionRolledBackException}.</li>
 * <li>in doubt: a commit that only acknowledges and got no answer (its connection was lost after the request may
 *     have left, its live connection gave no answer in time, or the broker reported a storage failure), or one that
 *     sends whose broker could not tell (its storage failed, or it has no {@code COMMIT_STATUS}): commit throws a
 *     plain {@link JMSException} with error code {@code TRANSACTION_IN_DOUBT} (the specification's "fails to commit
 *     due to some internal error") and the session goes on with a new transaction. The received messages are not
 *     redelivered by the client: if the commit did not happen, the broker gives them back when their consumer or
 *     connection closes.</li>
 * </ul>
 *
 * <p>A commit that only sends is never in doubt for a lost connection: its batches carry this session's own
 * idempotent-producer stamp (a producer id and the next sequences of each partition, {@link ProducerSequences}), and
 * it is sent again on the next broker connection after a failover, where the log recognises every batch it holds
 * already; the commit then happened exactly once, whichever broker had it. After any commit that was not answered
 * OK the session stamps with fresh producer ids, since the broker may or may not hold the sequences it used.
 *
 * <p>Asynchronous sends: the completion listener runs once the message is staged. JMS 3.1 asks commit and
 * rollback to wait until every incomplete send has completed and its listener has returned, so a send in a
 * transaction completes before its commit: what becomes durable at commit is the transaction, not the send.
 *
 * <p>Threading: used by the session's one thread at a time, as the session is; the consumers to close at the
 * end are guarded by this object, since a consumer may be closed from another thread.
 */
final class SessionTransaction implements StagingTransaction {
    private static final System.Logger LOG = System.getLogger(SessionTransaction.class.getName());
    static final String IN_DOUBT = "TRANSACTION_IN_DOUBT";

    /** Redelivers messages the transaction received, with the session's delivery paused. */
    @FunctionalInterface
    interface Redelivery {
        void redeliver(List<Delivery> deliveries) throws JMSException;
    }

    private final StrandConnection connection;
    private final Acknowledgements acknowledgements;
    private final StagedSends sends;
    /** Stamps the commits' batches; replaced after a commit that was not answered OK. */
    private ProducerSequences stamps = new ProducerSequences();
    private final List<ConsumerCore> closeAtEnd = new ArrayList<>();

    SessionTransaction(StrandConnection connection, Acknowledgements acknowledgements) {
        this.connection = connection;
        this.acknowledgements = acknowledgements;
        this.sends = new StagedSends(connection.options().transactionMaxBytes());
    }

    /** Stages a send until commit. */
    @Override
    public void stage(ProduceAccumulator.PartitionKey partition, EncodedMessage record, long timestampMs)
            throws ResourceAllocationException {
        sends.add(partition, record, timestampMs);
    }

    /** @return whether messages the consumer delivered wait for this transaction's commit or rollback */
    boolean holdsDeliveriesOf(int consumerId) {
        return acknowledgements.hasUnacknowledged(consumerId);
    }

    /** Detaches a consumer closed by the application and closes it on the broker when the transaction ends. */
    void closeAtEnd(ConsumerCore core) {
        core.detach();
        synchronized (this) {
            closeAtEnd.add(core);
        }
    }

    /**
     * Sends the transaction's staged sends and acknowledgements in one COMMIT and waits for the broker.
     *
     * @throws TransactionRolledBackException if nothing of the transaction was applied; its messages were redelivered
     * @throws JMSException                   with error code {@value #IN_DOUBT} if the outcome is unknown
     */
    void commit(Redelivery redelivery) throws JMSException {
        final long timeoutMs = connection.options().callTimeoutMs();
        try {
            if (connection.cluster().isFailed()) {
                // Nothing leaves a lost connection; the broker releases the queue records as the connection closes.
                sends.clear();
                acknowledgements.takeUnacknowledged();
                throw new TransactionRolledBackException("the transaction is rolled back: the connection to "
                        + connection.cluster().description() + " is lost", "CONNECTION_LOST");
            }
            final List<Delivery> received = acknowledgements.takeUnacknowledged();
            rollBackIfReceivedOnLostConnection(received, redelivery);
            final List<Transactions.PartitionRecords> records = sends.encode(connection.format(),
                    ByteBufAllocator.DEFAULT, stamps);
            final List<Transactions.CommitStamp> commitStamps = firstStamps(records);
            final CommitAcknowledgements acks = acknowledgements.forCommit(received);
            sends.clear(); // whatever the outcome, the next transaction starts empty
            final CompletableFuture<StatusResponse> answer;
            try {
                final Transactions.CommitRequest request = new Transactions.CommitRequest(records, acks.queue(),
                        acks.topic());
                if (request.isEmpty()) {
                    committed(received, acks); // topic acknowledgements may wait behind a delayed message
                    return;
                }
                // Acknowledgements name consumers of the broker connection the messages came on, so such a commit goes
                // there; one of sends alone waits through a failover like any send, and is sent again after it.
                answer = received.isEmpty()
                        ? connection.cluster().sendForStatusIdempotent(ApiKey.COMMIT, request::writeTo)
                        : received.get(0).wire().sendForStatus(ApiKey.COMMIT, request::writeTo);
            } finally {
                records.forEach(r -> r.records().release()); // the request copied them into its frame
            }
            final Throwable failure = outcome(answer, timeoutMs);
            if (failure == null) {
                committed(received, acks);
                return;
            }
            stamps = new ProducerSequences();
            if (failure instanceof BrokerException refused && !leavesOutcomeUnknown(refused.status().error())) {
                final TransactionRolledBackException rolledBack = new TransactionRolledBackException(
                        "the transaction is rolled back, nothing of it was applied: "
                                + refused.status().describe(), refused.status().error().name());
                JmsErrors.withCause(rolledBack, refused);
                try {
                    redelivery.redeliver(received);
                } catch (JMSException e) {
                    rolledBack.addSuppressed(e);
                }
                throw rolledBack;
            }
            final Boolean happened = commitStamps.isEmpty() ? null : askWhetherCommitted(commitStamps, timeoutMs);
            if (Boolean.TRUE.equals(happened)) {
                committed(received, acks);
                return;
            }
            if (Boolean.FALSE.equals(happened)) {
                final TransactionRolledBackException rolledBack = new TransactionRolledBackException("the transaction"
                        + " is rolled back: its commit did not reach the broker (" + describe(failure, timeoutMs)
                        + "), which now refuses it", "COMMIT_LOST");
                JmsErrors.withCause(rolledBack, failure);
                final List<Delivery> live = received.stream().filter(d -> !d.isFromLostConnection()).toList();
                try {
                    redelivery.redeliver(live); // the broker gives back those of a lost connection itself
                } catch (JMSException e) {
                    rolledBack.addSuppressed(e);
                }
                throw rolledBack;
            }
            throw inDoubt(failure, timeoutMs);
        } finally {
            closeDetachedConsumers();
        }
    }

    /**
     * The stamp of each target's first batch, in the commit's order: what names the commit to a status query. Empty
     * when the commit sends nothing, or unstamped.
     */
    private static List<Transactions.CommitStamp> firstStamps(List<Transactions.PartitionRecords> records) {
        final List<Transactions.CommitStamp> stamps = new ArrayList<>(records.size());
        for (Transactions.PartitionRecords r : records) {
            final ByteBuf batches = r.records();
            final int start = batches.readerIndex();
            final long producerId = batches.getLong(start + RecordBatch.PRODUCER_ID_OFFSET);
            if (producerId == RecordBatch.NO_PRODUCER_ID) {
                return List.of();
            }
            stamps.add(new Transactions.CommitStamp(r.type(), r.destination(), r.partition(), producerId,
                    batches.getShort(start + RecordBatch.PRODUCER_EPOCH_OFFSET),
                    batches.getInt(start + RecordBatch.BASE_SEQUENCE_OFFSET)));
        }
        return stamps;
    }

    /**
     * Asks the broker, on whatever connection the client has now, whether the commit with these stamps happened; a
     * "no" also keeps it from happening later. Null when that could not be learnt (a broker without the request, a
     * storage failure that leaves the outcome unknown until it restarts, no answer in time).
     */
    private Boolean askWhetherCommitted(List<Transactions.CommitStamp> commitStamps, long timeoutMs) {
        final Transactions.CommitStatusRequest request = new Transactions.CommitStatusRequest(commitStamps);
        final CompletableFuture<Transactions.CommitStatusResponse> answer = connection.cluster().sendIdempotent(
                ApiKey.COMMIT_STATUS, request::writeTo, Transactions.CommitStatusResponse::readFrom,
                Transactions.CommitStatusResponse::status);
        try {
            return answer.get(timeoutMs, TimeUnit.MILLISECONDS).committed();
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(System.Logger.Level.INFO, "could not learn whether a commit whose answer was lost happened: {0}",
                    (e instanceof ExecutionException ? e.getCause() : e).toString());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * A transaction that received messages on a broker connection lost since (the client failed over) cannot commit:
     * their acknowledgements can no longer be applied, and the broker gives those messages to a consumer again, marked
     * redelivered. It is rolled back as a whole; what it received on the connection in use now is delivered again as
     * a rollback does.
     *
     * @throws TransactionRolledBackException when that happened
     */
    private void rollBackIfReceivedOnLostConnection(List<Delivery> received, Redelivery redelivery)
            throws JMSException {
        final List<Delivery> live = new ArrayList<>();
        for (Delivery d : received) {
            if (!d.isFromLostConnection()) {
                live.add(d);
            }
        }
        if (live.size() == received.size()) {
            return;
        }
        sends.clear();
        final TransactionRolledBackException rolledBack = new TransactionRolledBackException("the transaction is"
                + " rolled back: the broker connection it received messages on was lost and the client failed over;"
                + " those messages are delivered again", "CONNECTION_LOST");
        try {
            redelivery.redeliver(live);
        } catch (JMSException e) {
            rolledBack.addSuppressed(e);
        }
        throw rolledBack;
    }

    /**
     * Lets the topic acknowledgements the commit could not carry (a delayed message its subscriber still holds
     * lies below them) wait in the session, and sends those a delayed message this commit acknowledged held back.
     * They are committed: a failure to send them costs at most redeliveries, so it is only logged.
     */
    private void committed(List<Delivery> received, CommitAcknowledgements acks) {
        acknowledgements.committed(received, acks).whenComplete((r, e) -> {
            if (e != null) {
                LOG.log(System.Logger.Level.DEBUG, "sending topic acknowledgements held back behind delayed messages"
                        + " failed: {0}", e.toString());
            }
        });
    }

    /** Forgets the staged sends and redelivers what the transaction received. */
    void rollback(Redelivery redelivery) throws JMSException {
        sends.clear();
        try {
            redelivery.redeliver(acknowledgements.takeUnacknowledged());
        } finally {
            closeDetachedConsumers();
        }
    }

    /**
     * Ends the transaction as its session closes: a rollback that leaves the received messages to the
     * broker, which gives the queue records back as the session's consumers close.
     */
    void abandon() {
        sends.clear();
        acknowledgements.takeUnacknowledged();
        closeDetachedConsumers();
    }

    /** @return the failure of the commit, a {@link TimeoutException} if the broker did not answer, or null */
    static Throwable outcome(CompletableFuture<?> answer, long timeoutMs) throws JMSException {
        try {
            answer.get(timeoutMs, TimeUnit.MILLISECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            return e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JMSException("interrupted while waiting for the commit; its outcome is unknown", IN_DOUBT);
        }
    }

    /** Storage failures and broker failures may strike after the commit was recorded: it may still complete. */
    static boolean leavesOutcomeUnknown(ErrorCode error) {
        return error == ErrorCode.STORAGE_ERROR || error == ErrorCode.UNKNOWN_SERVER_ERROR;
    }

    private static JMSException inDoubt(Throwable failure, long timeoutMs) {
        return JmsErrors.withCause(new JMSException("the outcome of the commit is unknown (" + describe(failure, timeoutMs)
                + "): the broker may or may not have committed the transaction", IN_DOUBT), failure);
    }

    private static String describe(Throwable failure, long timeoutMs) {
        return failure instanceof TimeoutException ? "the broker did not answer within " + timeoutMs + " ms"
                : failure instanceof BrokerException b ? b.status().describe() : failure.getMessage();
    }

    private void closeDetachedConsumers() {
        final List<ConsumerCore> cores;
        synchronized (this) {
            if (closeAtEnd.isEmpty()) {
                return;
            }
            cores = new ArrayList<>(closeAtEnd);
            closeAtEnd.clear();
        }
        final List<CompletableFuture<Void>> closed = new ArrayList<>(cores.size());
        for (ConsumerCore core : cores) {
            closed.add(core.close());
            acknowledgements.forgetConsumer(core.consumerId());
        }
        try {
            CompletableFuture.allOf(closed.toArray(new CompletableFuture<?>[0]))
                    .get(connection.options().requestTimeoutMs(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // The transaction's outcome stands; a consumer the broker did not close goes with its connection.
            LOG.log(System.Logger.Level.WARNING, "closing consumers closed during the transaction failed: {0}",
                    e.toString());
        }
    }
}
