package io.strand.broker;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.EventLoop;
import io.strand.log.LogAppendInfo;
import io.strand.log.PartitionLog;
import io.strand.log.TopicPartition;
import io.strand.protocol.ErrorCode;
import io.strand.protocol.FrameHeader;
import io.strand.protocol.ResponseStatus;
import io.strand.protocol.Shares;
import io.strand.protocol.Transactions;
import io.strand.protocol.XaTransactions;
import io.strand.record.CorruptRecordException;
import io.strand.record.RecordBatch;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code COMMIT}: appends a local transaction's staged batches and applies its acknowledgements,
 * all or nothing (DESIGN.md §3). Nothing of a transaction reached the broker before, so an open
 * transaction never held back anyone; here it becomes visible, partition by partition.
 *
 * <ol>
 * <li>Everything is checked first: each destination exists (or is created, as for a plain send, when
 *     auto-creation is on), each partition, each batch (header, CRC, size), each acknowledging consumer.
 *     A refusal here answers an error and appends nothing: the client's commit throws
 *     TransactionRolledBackException.</li>
 * <li>One target partition: one append, as a plain send, with no record at all. Its durability is awaited
 *     before the acknowledgements are applied.</li>
 * <li>Several target partitions: the batches are stamped (see {@link CommitRecord}) and a commit record
 *     holding them and each partition's log end offset is made durable in the transaction log
 *     ({@link TransactionLog}); then each partition gets one append, and once all are durable the
 *     acknowledgements are applied and the commit is marked complete. A crash anywhere after the record is
 *     repaired at the next start by {@link TransactionRecovery}.</li>
 * </ol>
 *
 * A local transaction's client stamps its batches as an idempotent producer (its session's producer id per
 * partition and the following sequences; see {@link CommitRecord}) and sends a commit of sends alone again after a
 * failover. Each batch is therefore appended on its own ({@link #appendInTurn}), so that the log recognises one it
 * holds already and the repeated commit appends nothing twice; a target's batches must be one producer's in
 * sequence, and with several targets the first batch of each is checked against the log before the commit is
 * recorded, so that a record never promises a batch the log would refuse. A client that lost the answer to a commit
 * that also acknowledged (which it cannot send again) asks whether it happened ({@link #status}, {@link
 * CommitOutcomes}).
 *
 * <p>The commit of a prepared XA branch ({@link #commitPrepared}) takes the third way whatever its number of
 * partitions, with a commit record that names the branch, so that recovery finishes it after a crash rather
 * than letting the transaction manager commit it twice; its acknowledgements were checked at prepare and are
 * applied by the caller once the appends are durable.
 *
 * <p>The client is answered once the appends and the acknowledgements are durable. Acknowledgements need no
 * commit record: recovery would not apply them again anyway (see {@link TransactionRecovery}). One that
 * fails after the appends (its consumer closed meanwhile, say) cannot undo them; it is logged, the commit
 * still succeeds, and the records it named are delivered again, marked redelivered. A storage failure after
 * the record answers {@link ErrorCode#STORAGE_ERROR}, which tells the client the outcome is unknown: the
 * commit completes when the broker restarts.
 *
 * <p>Failpoint: the system property {@value #HALT_AFTER_COMMIT_RECORD}{@code =true} halts the JVM right
 * after a commit record is durable and before any of its appends. It exists for the crash test, which
 * needs the one moment a kill from outside cannot hit reliably; nothing sets it in production.
 *
 * <p>Threading: {@link #commit} runs on the connection's event loop; continuations after a durability wait
 * come back to that event loop for the appends and the consumers, which are confined to it.
 */
final class TransactionCommitter {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionCommitter.class);
    static final String HALT_AFTER_COMMIT_RECORD = "strand.failpoint.haltAfterCommitRecord";
    /** Exit status of a JVM halted by the failpoint, so a test can tell it from a crash. */
    static final int FAILPOINT_EXIT_STATUS = 86;

    private final DestinationRegistry destinations;
    private final TransactionLog transactions;
    private final HighWatermarks highWatermarks;
    /** Counts what commits append, as plain sends are counted. */
    private final Traffic traffic;
    private final AtomicLong lastTransactionId;
    /** Answers a client that lost the answer to its commit whether it happened. */
    private final CommitOutcomes outcomes = new CommitOutcomes(System::currentTimeMillis);
    private final boolean haltAfterCommitRecord = Boolean.getBoolean(HALT_AFTER_COMMIT_RECORD);

    /**
     * @param transactions the transaction log, replayed (and its open commits finished) already
     * @param traffic      counts the records commits append
     */
    TransactionCommitter(DestinationRegistry destinations, TransactionLog transactions, HighWatermarks highWatermarks,
                         Traffic traffic) {
        this.traffic = traffic;
        this.destinations = destinations;
        this.transactions = transactions;
        this.highWatermarks = highWatermarks;
        // Unique within the run is what recovery needs; starting from the clock keeps ids apart across runs too.
        this.lastTransactionId = new AtomicLong(Math.max(transactions.highestTransactionId(),
                System.currentTimeMillis() * 1000));
    }

    /** A partition the transaction sends to, with its batches as they came in the request. */
    record Target(Destination destination, int partition, PartitionLog log, ByteBuffer batches) {
    }

    /** Who waits for the appends of a recorded commit: a COMMIT request, or the commit of a prepared XA branch. */
    private interface RecordedCommit {
        /** The event loop the appends and what follows them run on. */
        EventLoop loop();

        /** On the event loop, once every append is durable: finishes the commit, then runs {@code completeRecord}. */
        void appended(Runnable completeRecord);

        /** A storage failure once the commit may have been recorded: its outcome is unknown until a restart. */
        void failed(String what, Throwable error);
    }

    /** An acknowledgement checked against its consumer; applying it returns when it is durable. */
    @FunctionalInterface
    private interface Acknowledgement {
        CompletableFuture<Void> apply();
    }

    void commit(ClientConnection c, FrameHeader h, Transactions.CommitRequest request) {
        List<Target> targets = targets(request.records());
        CompletableFuture<Boolean> outcome = targets.isEmpty() || !CommitRecord.isStamped(targets.get(0).batches())
                ? new CompletableFuture<>() : outcomes.begin(firstStamp(targets.get(0).batches()));
        List<Acknowledgement> acks;
        try {
            if (targets.size() > 1) {
                // A commit record promises its appends: a batch the log would refuse is refused before it is recorded.
                for (Target t : targets) {
                    if (CommitRecord.isStamped(t.batches())) {
                        t.log().checkProducerSequence(t.batches());
                    }
                }
            }
            acks = acknowledgements(c, request);
        } catch (RuntimeException refused) {
            outcome.complete(false);
            throw refused;
        }
        Commit commit = new Commit(c, h, acks, outcome);
        try {
            if (targets.isEmpty()) {
                commit.acknowledgeAndAnswer(() -> { });
            } else if (targets.size() == 1) {
                appendOne(commit, targets.get(0));
            } else {
                recordThenAppend(commit, null, targets);
            }
        } catch (RuntimeException refused) {
            settleFromLogs(outcome, targets); // an append refused part of the way: what is in the logs happened
            throw refused;
        }
    }

    /** Completes a commit's outcome with whether any of its targets' logs holds its first stamped batch. */
    private static void settleFromLogs(CompletableFuture<Boolean> outcome, List<Target> targets) {
        try {
            boolean held = false;
            for (Target t : targets) {
                if (CommitRecord.isStamped(t.batches())) {
                    RecordBatch first = new RecordBatch().wrap(t.batches(), t.batches().position());
                    held |= t.log().holdsProducerBatch(first.producerId(), first.producerEpoch(), first.baseSequence());
                }
            }
            outcome.complete(held);
        } catch (RuntimeException e) {
            outcome.completeExceptionally(e);
        }
    }

    /**
     * Appends the batches of a prepared XA branch being committed, as a recorded commit naming the branch.
     *
     * @param targets      the branch's batches, one entry per partition, checked at prepare
     * @param loop         the event loop to append on
     * @param afterAppends run on {@code loop} once every append is durable: applies the branch's acknowledgements
     *                     and records its outcome; the commit record is completed once its future completes
     * @return completes as {@code afterAppends}' future does, or fails when a storage failure leaves the outcome
     *         unknown until the broker restarts and finishes the commit
     */
    CompletableFuture<Void> commitPrepared(XaTransactions.BranchId xid, List<Target> targets, EventLoop loop,
                                           Supplier<CompletableFuture<Void>> afterAppends) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        recordThenAppend(new RecordedCommit() {
            @Override
            public EventLoop loop() {
                return loop;
            }

            @Override
            public void appended(Runnable completeRecord) {
                CompletableFuture<Void> finished;
                try {
                    finished = afterAppends.get();
                } catch (RuntimeException e) {
                    finished = CompletableFuture.failedFuture(e);
                }
                finished.whenComplete((ok, error) -> {
                    if (error != null) {
                        done.completeExceptionally(cause(error));
                        return;
                    }
                    done.complete(null);
                    loop.execute(completeRecord);
                });
            }

            @Override
            public void failed(String what, Throwable error) {
                done.completeExceptionally(new io.strand.log.LogStorageException(what + ": " + cause(error).getMessage(),
                        cause(error)));
            }
        }, xid, targets);
        return done;
    }

    /**
     * Serves {@code COMMIT_STATUS}: whether the commit whose first stamp comes first in the request happened (see
     * {@link CommitOutcomes}); the log's evidence is a batch with any of its stamps. A destination or partition that
     * is not there, or a log that is offline, is answered as an error: the commit stays in doubt for its client.
     */
    void status(ClientConnection c, FrameHeader h, Transactions.CommitStatusRequest request) {
        List<PartitionLog> logs = new ArrayList<>(request.stamps().size());
        for (Transactions.CommitStamp stamp : request.stamps()) {
            Destination destination = destinations.lookup(stamp.type(), stamp.destination(), false);
            String where = destination.key() + " partition " + stamp.partition();
            if (stamp.producerId() == RecordBatch.NO_PRODUCER_ID) {
                // Only a stamp names a commit: an unstamped one cannot be told from any other send.
                throw new BrokerException(ErrorCode.INVALID_REQUEST, "the commit status request names no producer"
                        + " for " + where + "; a commit is named by its batches' idempotent-producer stamps");
            }
            ClientProducerIds.require(stamp.producerId(), where);
            logs.add(destination.partition(stamp.partition()));
        }
        Transactions.CommitStamp first = request.stamps().get(0);
        CommitOutcomes.Key key = new CommitOutcomes.Key(first.producerId(), first.firstSequence());
        outcomes.status(key, () -> {
            for (int i = 0; i < logs.size(); i++) {
                Transactions.CommitStamp stamp = request.stamps().get(i);
                if (logs.get(i).holdsProducerBatch(stamp.producerId(), stamp.producerEpoch(), stamp.firstSequence())) {
                    return true;
                }
            }
            return false;
        }).whenComplete((committed, error) -> {
            Transactions.CommitStatusResponse answer = error == null
                    ? new Transactions.CommitStatusResponse(ResponseStatus.OK, committed)
                    : new Transactions.CommitStatusResponse(ResponseStatus.of(ErrorCode.STORAGE_ERROR, "the outcome"
                    + " of the commit is unknown until the broker restarts: " + cause(error).getMessage()), false);
            Responses.send(c.channel(), h, answer::writeTo);
        });
    }

    private static CommitOutcomes.Key firstStamp(ByteBuffer batches) {
        RecordBatch batch = new RecordBatch().wrap(batches, batches.position());
        return new CommitOutcomes.Key(batch.producerId(), batch.baseSequence());
    }

    // ---- checks -------------------------------------------------------------------------------

    /**
     * Checks a transaction's staged batches: each destination exists (or is created, when auto-creation is on), each
     * partition, each batch (header, CRC, size), one entry per partition.
     *
     * @return the targets, their batches viewing the request's memory
     */
    List<Target> targets(List<Transactions.PartitionRecords> records) {
        List<Target> targets = new ArrayList<>(records.size());
        Set<TopicPartition> seen = new HashSet<>();
        for (Transactions.PartitionRecords r : records) {
            Destination destination = destinations.lookup(r.type(), r.destination(), true);
            PartitionLog log = destination.partition(r.partition());
            if (!seen.add(log.topicPartition())) {
                throw new BrokerException(ErrorCode.INVALID_REQUEST, "the commit sends to " + destination.key()
                        + " partition " + r.partition() + " twice; a commit holds one entry per partition");
            }
            ByteBuffer batches = nioView(r.records());
            checkBatches(batches, log.config().maxBatchBytes(), destination, r.partition());
            targets.add(new Target(destination, r.partition(), log, batches));
        }
        return targets;
    }

    private static ByteBuffer nioView(ByteBuf records) {
        return records.nioBufferCount() == 1 ? records.nioBuffer() : ByteBuffer.wrap(ByteBufUtil.getBytes(records));
    }

    /** Checks every batch before anything is appended anywhere, so that one bad batch fails the whole commit. */
    private static void checkBatches(ByteBuffer batches, int maxBatchBytes, Destination destination, int partition) {
        String where = destination.key() + " partition " + partition;
        if (!batches.hasRemaining()) {
            throw new CorruptRecordException("the commit's records for " + where + " hold no batch");
        }
        RecordBatch batch = new RecordBatch();
        for (int pos = batches.position(); pos < batches.limit(); pos += batch.sizeInBytes()) {
            int size = RecordBatch.validateHeader(batches, pos, batches.limit(), Integer.MAX_VALUE);
            if (size > maxBatchBytes) {
                throw new BrokerException(ErrorCode.MESSAGE_TOO_LARGE, "a batch of " + size + " bytes for " + where
                        + " is larger than the " + maxBatchBytes + " bytes the destination accepts (max.message.bytes)");
            }
            batch.wrap(batches, pos).ensureValid(batches.limit(), maxBatchBytes);
            if (batch.isControlBatch()) {
                throw new CorruptRecordException("the commit's records for " + where + " hold a control batch");
            }
        }
        checkStamps(batches, where);
    }

    /**
     * The batches of one target are all unstamped, or all one idempotent producer's (the client's stamp) with
     * sequences that follow each other: a commit sent again must find them again exactly.
     */
    private static void checkStamps(ByteBuffer batches, String where) {
        RecordBatch batch = new RecordBatch().wrap(batches, batches.position());
        long producerId = batch.producerId();
        short epoch = batch.producerEpoch();
        long expected = batch.baseSequence();
        ClientProducerIds.require(producerId, where);
        for (int pos = batches.position(); pos < batches.limit(); pos += batch.sizeInBytes()) {
            batch.wrap(batches, pos);
            boolean follows = producerId == RecordBatch.NO_PRODUCER_ID
                    ? batch.producerId() == RecordBatch.NO_PRODUCER_ID
                    : batch.producerId() == producerId && batch.producerEpoch() == epoch && batch.baseSequence() == expected;
            if (!follows) {
                throw new BrokerException(ErrorCode.INVALID_REQUEST, "the commit's batches for " + where + " are not one"
                        + " producer's in sequence: producer " + batch.producerId() + " epoch " + batch.producerEpoch()
                        + " sequence " + batch.baseSequence() + " follows producer " + producerId + " epoch " + epoch
                        + (producerId == RecordBatch.NO_PRODUCER_ID ? "" : " up to sequence " + (expected - 1)));
            }
            // Sequences wrap to 0 after Integer.MAX_VALUE, as an idempotent producer counts them.
            expected = (batch.baseSequence() + (long) batch.recordCount()) % ((long) Integer.MAX_VALUE + 1);
        }
    }

    /**
     * Appends a target's batches one at a time: a batch sent again (a commit repeated after a failover) is
     * recognised by the log only alone, and is then not appended twice.
     *
     * @param traffic counts the batches appended now
     * @return the offset after the last batch, where it was appended now or before
     */
    static long appendInTurn(PartitionLog log, ByteBuffer batches, Traffic traffic) {
        RecordBatch batch = new RecordBatch();
        long next = log.logEndOffset();
        for (int pos = batches.position(); pos < batches.limit(); pos += batch.sizeInBytes()) {
            batch.wrap(batches, pos);
            ByteBuffer alone = batches.duplicate().position(pos).limit(pos + batch.sizeInBytes());
            LogAppendInfo info = log.appendAsLeader(alone, log.latestLeaderEpoch());
            if (!info.duplicate()) {
                traffic.appended(log.topicPartition(), info.recordCount(), info.sizeInBytes());
            }
            next = Math.max(next, info.nextOffset());
        }
        return next;
    }

    private static List<Acknowledgement> acknowledgements(ClientConnection c, Transactions.CommitRequest request) {
        List<Acknowledgement> acks = new ArrayList<>();
        for (Transactions.QueueAcks q : request.queueAcks()) {
            if (!(c.consumer(q.consumerId()) instanceof QueueConsumer consumer)) {
                throw new BrokerException(ErrorCode.INVALID_REQUEST, "consumer " + q.consumerId()
                        + " reads a topic: its acknowledgements are topic offsets");
            }
            consumer.destination.partition(q.partition());
            acks.add(() -> consumer.acknowledge(q.partition(), q.ranges()));
        }
        for (Transactions.TopicAck t : request.topicAcks()) {
            if (!(c.consumer(t.consumerId()) instanceof TopicConsumer consumer)) {
                throw new BrokerException(ErrorCode.INVALID_REQUEST, "consumer " + t.consumerId()
                        + " reads a queue: its acknowledgements are record ranges");
            }
            consumer.destination.partition(t.partition());
            if (t.offset() < 0) {
                throw new BrokerException(ErrorCode.INVALID_REQUEST, "offset " + t.offset() + " acknowledged for"
                        + " consumer " + t.consumerId() + " is negative");
            }
            acks.add(() -> consumer.acknowledge(t.partition(), t.offset()));
        }
        return acks;
    }

    // ---- appends ------------------------------------------------------------------------------

    /** One partition: one append straight from the request, like a plain send; no record is needed. */
    private void appendOne(Commit commit, Target target) {
        PartitionLog log = target.log();
        long next = appendInTurn(log, target.batches(), traffic);
        log.awaitCommitted(next).whenComplete((ok, error) -> {
            if (error != null) {
                commit.answerUnknown("the append to " + target.destination().key() + " partition "
                        + target.partition() + " did not become durable", error);
                return;
            }
            highWatermarks.advance(log);
            commit.loop().execute(() -> commit.acknowledgeAndAnswer(() -> { }));
        });
    }

    private void recordThenAppend(RecordedCommit commit, XaTransactions.BranchId xid, List<Target> targets) {
        long id = lastTransactionId.incrementAndGet();
        List<CommitRecord.Target> recorded = new ArrayList<>(targets.size());
        for (int i = 0; i < targets.size(); i++) {
            Target t = targets.get(i);
            ByteBuffer stamped = ByteBuffer.allocate(t.batches().remaining());
            stamped.put(t.batches().duplicate()).flip(); // the request's memory is released when this call returns
            if (!CommitRecord.isStamped(stamped)) {
                CommitRecord.stamp(stamped, id, i);
            }
            recorded.add(new CommitRecord.Target(t.destination().type(), t.destination().name(), t.partition(),
                    t.log().logEndOffset(), stamped));
        }
        CommitRecord record = new CommitRecord(id, xid, recorded);
        CompletableFuture<Void> recordedDurably;
        try {
            recordedDurably = transactions.record(record);
        } catch (RuntimeException e) {
            recordedDurably = CompletableFuture.failedFuture(e);
        }
        recordedDurably.whenComplete((ok, error) -> {
            if (error != null) {
                commit.failed("the commit record of transaction " + id + " did not become durable", error);
                return;
            }
            if (haltAfterCommitRecord) {
                System.err.println("failpoint " + HALT_AFTER_COMMIT_RECORD + ": halting after the commit record of"
                        + " transaction " + id);
                System.err.flush();
                Runtime.getRuntime().halt(FAILPOINT_EXIT_STATUS);
            }
            commit.loop().execute(() -> appendRecorded(commit, record, targets));
        });
    }

    private void appendRecorded(RecordedCommit commit, CommitRecord record, List<Target> targets) {
        List<CompletableFuture<Void>> durable = new ArrayList<>(targets.size());
        for (int i = 0; i < targets.size(); i++) {
            PartitionLog log = targets.get(i).log();
            try {
                long next = appendInTurn(log, record.targets().get(i).batches().duplicate(), traffic);
                durable.add(log.awaitCommitted(next).thenRun(() -> highWatermarks.advance(log)));
            } catch (RuntimeException e) {
                durable.add(CompletableFuture.failedFuture(e)); // the others still go in: the record promised them
            }
        }
        CompletableFuture.allOf(durable.toArray(new CompletableFuture<?>[0])).whenComplete((ok, error) -> {
            if (error != null) {
                LOG.error("transaction {}: not every append of its commit succeeded ({}); the commit completes when"
                        + " the broker restarts", record.transactionId(), cause(error).toString());
                commit.failed("an append of transaction " + record.transactionId() + " failed", error);
                return;
            }
            commit.loop().execute(() -> commit.appended(() ->
                    transactions.complete(record.transactionId()).whenComplete((done, failed) -> {
                        if (failed != null) {
                            // Harmless: recovery finds every batch in place and appends nothing.
                            LOG.warn("transaction {}: its completion was not recorded: {}", record.transactionId(),
                                    cause(failed).toString());
                        }
                    })));
        });
    }

    static Throwable cause(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    /**
     * One COMMIT request on its way: who to answer, the acknowledgements to apply once the appends are durable, and
     * its outcome for a status query ({@link CommitOutcomes}).
     */
    private record Commit(ClientConnection connection, FrameHeader header, List<Acknowledgement> acks,
                          CompletableFuture<Boolean> outcome) implements RecordedCommit {
        @Override
        public EventLoop loop() {
            return connection.channel().eventLoop();
        }

        @Override
        public void appended(Runnable completeRecord) {
            acknowledgeAndAnswer(completeRecord);
        }

        @Override
        public void failed(String what, Throwable error) {
            answerUnknown(what, error);
        }

        /**
         * On the event loop: applies the acknowledgements, answers once they are durable, then runs
         * {@code afterAnswer} on the event loop. An acknowledgement that fails is logged and does not fail
         * the commit.
         */
        void acknowledgeAndAnswer(Runnable afterAnswer) {
            List<CompletableFuture<Void>> durable = new ArrayList<>(acks.size());
            for (Acknowledgement ack : acks) {
                try {
                    durable.add(ack.apply().exceptionally(error -> {
                        LOG.warn("an acknowledgement of a commit from {} was not stored: {}",
                                connection.remoteAddress(), cause(error).toString());
                        return null;
                    }));
                } catch (RuntimeException e) {
                    LOG.warn("an acknowledgement of a commit from {} could not be applied; its records will be"
                            + " delivered again: {}", connection.remoteAddress(), e.getMessage());
                }
            }
            CompletableFuture.allOf(durable.toArray(new CompletableFuture<?>[0])).thenRun(() -> {
                outcome.complete(true);
                Responses.status(connection.channel(), header, ResponseStatus.OK);
                loop().execute(afterAnswer); // not on a flusher thread, which others' durability waits need
            });
        }

        void answerUnknown(String what, Throwable error) {
            outcome.completeExceptionally(cause(error));
            Responses.status(connection.channel(), header, ResponseStatus.of(ErrorCode.STORAGE_ERROR,
                    what + ": " + cause(error).getMessage() + "; the outcome of the commit is unknown"));
        }
    }
}
