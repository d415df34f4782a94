package io.strand.jms.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.strand.protocol.DestinationType;
import org.junit.jupiter.api.Test;

class ProducerSequencesTest {
    private static final ProduceAccumulator.PartitionKey P0 = new ProduceAccumulator.PartitionKey(DestinationType.QUEUE, "q", 0);
    private static final ProduceAccumulator.PartitionKey P1 = new ProduceAccumulator.PartitionKey(DestinationType.QUEUE, "q", 1);

    private final ProducerSequences sequences = new ProducerSequences();

    @Test
    void aPartitionsBatchesFollowEachOtherBySequenceUnderOneProducerId() {
        final ProducerSequences.Stamp first = sequences.next(P0, 3);
        final ProducerSequences.Stamp second = sequences.next(P0, 2);
        final ProducerSequences.Stamp third = sequences.next(P0, 1);
        assertThat(first.baseSequence()).isZero();
        assertThat(second.baseSequence()).isEqualTo(3);
        assertThat(third.baseSequence()).isEqualTo(5);
        assertThat(second.producerId()).isEqualTo(first.producerId()).isEqualTo(third.producerId());
        assertThat(first.epoch()).isZero();
        assertThat(first.producerId()).as("apart from the broker's transaction ids").isGreaterThanOrEqualTo(1L << 62);
    }

    @Test
    void eachPartitionCountsOnItsOwn() {
        sequences.next(P0, 4);
        assertThat(sequences.next(P1, 1).baseSequence()).isZero();
        assertThat(sequences.next(P0, 1).baseSequence()).isEqualTo(4);
    }

    @Test
    void aRefusedBatchStartsItsPartitionOverAsANewProducer() {
        final ProducerSequences.Stamp refused = sequences.next(P0, 2);
        final ProducerSequences.Stamp behind = sequences.next(P0, 1);
        sequences.refused(P0, refused.producerId());
        final ProducerSequences.Stamp fresh = sequences.next(P0, 1);
        assertThat(fresh.producerId()).isNotEqualTo(refused.producerId());
        assertThat(fresh.baseSequence()).isZero();

        sequences.refused(P0, behind.producerId()); // refused too, under the old id: the partition moved on already
        final ProducerSequences.Stamp next = sequences.next(P0, 1);
        assertThat(next.producerId()).isEqualTo(fresh.producerId());
        assertThat(next.baseSequence()).isEqualTo(1);
    }

    @Test
    void sequencesWrapToZeroAfterTheLargestInt() {
        sequences.next(P0, Integer.MAX_VALUE);
        assertThat(sequences.next(P0, 2).baseSequence()).isEqualTo(Integer.MAX_VALUE);
        assertThat(sequences.next(P0, 1).baseSequence()).isEqualTo(1);
    }
}
