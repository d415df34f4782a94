package io.strand.jms;

import io.netty.buffer.ByteBufAllocator;
import io.strand.jms.client.CommitAcknowledgements;
import io.strand.jms.client.Delivery;
import io.strand.jms.client.ProduceAccumulator;
import io.strand.jms.client.StagedSends;
import io.strand.jms.message.EncodedMessage;
import io.strand.protocol.Transactions;
import jakarta.jms.JMSException;
import jakarta.jms.ResourceAllocationException;
import java.util.ArrayList;
import java.util.List;

/**
 * The work one XA session did for one transaction branch, between {@code start} and {@code end} (and again after a
 * join or resume): its sends, staged here as a local transaction stages them ({@link StagedSends}), and the
 * messages it received, taken from the session's unacknowledged deliveries at each {@code end}. Nothing of it
 * reaches the broker before the branch's prepare or one-phase commit, which carry it like a COMMIT.
 *
 * <p>How it ends: {@link #committed} settles its acknowledgements in the session (topic acknowledgements held back
 * behind it may go); {@link #rolledBack} forgets its sends and puts what it received back in front of its consumers,
 * marked redelivered — queue records through the broker, which counts the delivery, unless the broker already took
 * them back ({@code releasedByBroker}: a prepared branch rolled back there redelivers its queue records itself, to
 * any consumer); {@link #abandoned} just forgets it (its connection is gone, and the broker gave everything back).
 *
 * <p>Thread-safe: the session's thread stages and collects, a transaction manager's thread prepares and ends it.
 */
final class BranchWork implements StagingTransaction {
    private static final System.Logger LOG = System.getLogger(BranchWork.class.getName());

    private final StrandXASession session;
    private final StagedSends sends;
    private final List<Delivery> received = new ArrayList<>();
    /** The acknowledgements the last prepare or commit carried, for {@link #committed}. */
    private CommitAcknowledgements carried;

    BranchWork(StrandXASession session) {
        this.session = session;
        this.sends = new StagedSends(session.connection().options().transactionMaxBytes());
    }

    StrandXASession session() {
        return session;
    }

    StrandConnection connection() {
        return session.connection();
    }

    @Override
    public void stage(ProduceAccumulator.PartitionKey partition, EncodedMessage record, long timestampMs)
            throws ResourceAllocationException {
        sends.add(partition, record, timestampMs);
    }

    /** Takes messages the session received for the branch; their topic acknowledgements wait for its outcome. */
    synchronized void collect(List<Delivery> deliveries) {
        received.addAll(deliveries);
        session.acknowledgements().heldForTransaction(deliveries);
    }

    synchronized boolean holdsDeliveriesOf(int consumerId) {
        for (Delivery d : received) {
            if (d.consumerId() == consumerId) {
                return true;
            }
        }
        return false;
    }

    /**
     * @return whether it received messages on a broker connection lost since (the client failed over): their
     *         acknowledgements can no longer be applied, so the branch must roll back
     */
    synchronized boolean receivedOnLostConnection() {
        for (Delivery d : received) {
            if (d.isFromLostConnection()) {
                return true;
            }
        }
        return false;
    }

    synchronized boolean isEmpty() {
        return sends.isEmpty() && received.isEmpty();
    }

    /**
     * What a prepare or commit carries of this work: the staged sends, encoded (the caller releases them once sent),
     * and the acknowledgements of what it received.
     */
    synchronized Transactions.CommitRequest request() {
        final List<Transactions.PartitionRecords> records = sends.encode(connection().format(), ByteBufAllocator.DEFAULT);
        carried = session.acknowledgements().forCommit(received);
        return new Transactions.CommitRequest(records, carried.queue(), carried.topic());
    }

    /** The branch committed: its acknowledgements are settled. */
    void committed() {
        final List<Delivery> taken;
        final CommitAcknowledgements acks;
        synchronized (this) {
            taken = List.copyOf(received);
            acks = carried != null ? carried : session.acknowledgements().forCommit(received);
            clear();
        }
        session.acknowledgements().committed(taken, acks).whenComplete((r, e) -> {
            if (e != null) {
                LOG.log(System.Logger.Level.DEBUG, "sending topic acknowledgements held back behind an XA branch"
                        + " failed: {0}", e.toString());
            }
        });
        session.workEnded(this);
    }

    /**
     * The branch rolled back: the sends are forgotten and the messages received are delivered again.
     *
     * @param releasedByBroker whether the broker made the branch's queue records available again itself (a prepared
     *                         branch rolled back there): then only the topic messages come back through this session
     */
    void rolledBack(boolean releasedByBroker) {
        final List<Delivery> again = new ArrayList<>();
        synchronized (this) {
            for (Delivery d : received) {
                if (!releasedByBroker || !d.isAcquired()) {
                    again.add(d);
                }
            }
            clear();
        }
        try {
            if (!again.isEmpty() && !session.isClosing() && !connection().isClosedOrLost()) {
                session.redeliver(again);
            }
        } catch (JMSException e) {
            // The messages stay with their consumers on the broker, which gives them back when those close.
            LOG.log(System.Logger.Level.WARNING, "redelivering the messages of a rolled-back XA branch failed: {0}",
                    e.toString());
        } finally {
            session.workEnded(this);
        }
    }

    /** The branch is gone without an outcome this session can act on (its connection is lost): forgets it. */
    void abandoned() {
        synchronized (this) {
            clear();
        }
        session.workEnded(this);
    }

    private void clear() {
        sends.clear();
        received.clear();
        carried = null;
    }
}
