package io.strand.jms;

import io.strand.jms.client.ProduceAccumulator;
import io.strand.jms.message.EncodedMessage;
import jakarta.jms.ResourceAllocationException;

/**
 * Where a session's sends go while it is in a transaction: held in the client until the transaction's commit or
 * prepare carries them (DESIGN.md §3). A local transaction ({@link SessionTransaction}) and the work of an XA branch
 * ({@link BranchWork}) both stage this way.
 */
interface StagingTransaction {
    /**
     * Stages a send until the transaction's commit or prepare.
     *
     * @throws ResourceAllocationException if the transaction would stage more than its cap; nothing is staged
     */
    void stage(ProduceAccumulator.PartitionKey partition, EncodedMessage record, long timestampMs)
            throws ResourceAllocationException;
}
