package io.strand.jms.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.strand.jms.message.StrandMessage;
import io.strand.protocol.Shares;
import io.strand.protocol.Shares.AckRange;
import io.strand.protocol.Transactions;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommitAcknowledgementsTest {
    private static Delivery queue(int consumer, int partition, long offset) {
        return new Delivery(new StrandMessage(), consumer, partition, offset, AckStyle.PER_RECORD, null);
    }

    private static Delivery topic(int consumer, int partition, long offset) {
        return new Delivery(new StrandMessage(), consumer, partition, offset, AckStyle.CUMULATIVE, null);
    }

    @Test
    void shouldAcceptQueueRecordsAsRangesAndAcknowledgeTopicsUpToTheirHighestOffset() {
        CommitAcknowledgements acks = CommitAcknowledgements.of(List.of(queue(1, 0, 5), topic(2, 1, 40), queue(1, 0, 6),
                queue(1, 0, 9), topic(2, 1, 38), queue(1, 2, 0), topic(2, 0, 3)));
        assertThat(acks.queue()).containsExactly(
                new Transactions.QueueAcks(1, 0, List.of(new AckRange(5, 6, Shares.AckType.ACCEPT),
                        new AckRange(9, 9, Shares.AckType.ACCEPT))),
                new Transactions.QueueAcks(1, 2, List.of(new AckRange(0, 0, Shares.AckType.ACCEPT))));
        assertThat(acks.topic()).containsExactly(new Transactions.TopicAck(2, 1, 40), new Transactions.TopicAck(2, 0, 3));
        assertThat(CommitAcknowledgements.of(List.of()).queue()).isEmpty();
    }

    /** A topic acknowledgement stops below a record its subscriber holds back for its delivery time. */
    @Test
    void shouldCapTopicAcknowledgementsBelowAHeldBackRecordAndDeferTheRest() {
        HeldBackOffsets held = new HeldBackOffsets();
        held.heldBack(1, 38);
        CommitAcknowledgements.TopicCeiling ceiling = (consumer, partition, settling) ->
                consumer == 2 ? held.highestAcknowledgeable(partition, settling) : Long.MAX_VALUE;

        CommitAcknowledgements acks = CommitAcknowledgements.of(List.of(topic(2, 1, 36), topic(2, 1, 40),
                topic(2, 0, 3)), ceiling);
        assertThat(acks.topic()).containsExactly(new Transactions.TopicAck(2, 1, 37), new Transactions.TopicAck(2, 0, 3));
        assertThat(acks.deferredTopic()).containsExactly(new Transactions.TopicAck(2, 1, 40));

        // Only records above the held one: nothing to send now, all deferred.
        acks = CommitAcknowledgements.of(List.of(topic(2, 1, 40)), ceiling);
        assertThat(acks.topic()).isEmpty();
        assertThat(acks.deferredTopic()).containsExactly(new Transactions.TopicAck(2, 1, 40));

        // The commit acknowledges the held record itself: nothing caps it.
        acks = CommitAcknowledgements.of(List.of(topic(2, 1, 38), topic(2, 1, 40)), ceiling);
        assertThat(acks.topic()).containsExactly(new Transactions.TopicAck(2, 1, 40));
        assertThat(acks.deferredTopic()).isEmpty();
    }
}
