package io.strand.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strand.record.CompressionType;
import io.strand.record.RecordBatchBuilder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Idempotent producers on one partition: a batch sent again is answered with its first offsets and not
 * appended twice, out-of-order sequences and fenced epochs are refused, and the log remembers across a
 * restart and forgets what a truncation removed and producers silent for a day.
 */
class IdempotentProducerTest {
    private static final TopicPartition TP = new TopicPartition("payments", 0);

    /** Batches are written now, as a client's are. */
    private static final long NOW = 1_800_000_000_000L;
    private static final long HOUR = 3_600_000L;

    @TempDir
    Path dataDir;
    private LogManager manager;
    private final MutableClock clock = new MutableClock(NOW);

    private PartitionLog open() {
        manager = LogManager.open(LogManagerConfig.defaults(dataDir.resolve("a")).withClock(clock));
        return manager.getOrCreateLog(TP);
    }

    @AfterEach
    void close() {
        if (manager != null) {
            manager.close();
        }
    }

    private static ByteBuffer batch(long producerId, int epoch, int sequence, String... values) {
        return batchAt(NOW, producerId, epoch, sequence, values);
    }

    private static ByteBuffer batchAt(long timestampMs, long producerId, int epoch, int sequence, String... values) {
        RecordBatchBuilder builder = new RecordBatchBuilder().reset(CompressionType.NONE, 0, producerId, (short) epoch,
                sequence, false);
        for (String value : values) {
            builder.append(timestampMs, null, ByteBuffer.wrap(value.getBytes(StandardCharsets.UTF_8)), null);
        }
        return builder.build();
    }

    @Test
    void aProducerSilentForADayIsForgottenWhileTheOthersAreKept() {
        PartitionLog log = open();
        log.appendAsLeader(batch(5, 0, 0, "from a connection long gone"), 0);
        clock.advance(25 * HOUR);
        for (int sequence = 0; sequence < 1100; sequence++) {
            log.appendAsLeader(batchAt(clock.millis(), 6, 0, sequence, "busy"), 0);
        }

        assertThat(log.knownProducers()).as("only the producer that still writes").isEqualTo(1);
        assertThat(log.appendAsLeader(batchAt(clock.millis(), 6, 0, 1099, "busy"), 0).duplicate()).isTrue();
    }

    @Test
    void aRestartDoesNotBringBackProducersWhoseLastBatchIsOlderThanADay() {
        PartitionLog log = open();
        log.appendAsLeader(batchAt(NOW - 25 * HOUR, 5, 0, 0, "old"), 0);
        log.appendAsLeader(batch(6, 0, 0, "recent"), 0);
        manager.close();

        PartitionLog reopened = open();
        assertThat(reopened.appendAsLeader(batch(6, 0, 0, "recent"), 0).duplicate()).isTrue();
        assertThat(reopened.knownProducers()).isEqualTo(1);
        assertThat(reopened.appendAsLeader(batchAt(NOW - 25 * HOUR, 5, 0, 0, "old"), 0).duplicate())
                .as("a batch of a forgotten producer is new").isFalse();
    }

    private static ByteBuffer twoBatches(ByteBuffer first, ByteBuffer second) {
        ByteBuffer both = ByteBuffer.allocate(first.remaining() + second.remaining());
        return both.put(first).put(second).flip();
    }

    @Test
    void aBatchSentAgainGetsItsFirstOffsetsAndIsNotAppendedTwice() {
        PartitionLog log = open();
        log.appendAsLeader(batch(-1, -1, -1, "plain"), 0);
        LogAppendInfo first = log.appendAsLeader(batch(7, 0, 0, "a", "b"), 0);
        log.appendAsLeader(batch(7, 0, 2, "c"), 0);

        LogAppendInfo again = log.appendAsLeader(batch(7, 0, 0, "a", "b"), 0);

        assertThat(again.duplicate()).isTrue();
        assertThat(again.firstOffset()).isEqualTo(first.firstOffset()).isEqualTo(1);
        assertThat(again.lastOffset()).isEqualTo(2);
        assertThat(log.logEndOffset()).isEqualTo(4);
        assertThat(first.duplicate()).isFalse();
    }

    @Test
    void aGapInTheSequencesIsRefusedAndNothingIsAppended() {
        PartitionLog log = open();
        log.appendAsLeader(batch(7, 0, 0, "a"), 0);

        assertThatThrownBy(() -> log.appendAsLeader(batch(7, 0, 2, "c"), 0))
                .isInstanceOfSatisfying(ProducerSequenceException.class,
                        e -> assertThat(e.reason()).isEqualTo(ProducerSequenceException.Reason.OUT_OF_ORDER_SEQUENCE))
                .hasMessageContaining("producer 7").hasMessageContaining("sequence 2").hasMessageContaining("next is 1");
        assertThat(log.logEndOffset()).isEqualTo(1);
        assertThatThrownBy(() -> log.appendAsLeader(twoBatches(batch(7, 0, 1, "b"), batch(7, 0, 3, "d")), 0))
                .isInstanceOf(ProducerSequenceException.class).hasMessageContaining("in one append");
        assertThat(log.appendAsLeader(twoBatches(batch(7, 0, 1, "b"), batch(7, 0, 2, "c")), 0).lastOffset())
                .isEqualTo(2);
    }

    @Test
    void anOlderEpochIsFencedAndANewEpochStartsAtZero() {
        PartitionLog log = open();
        log.appendAsLeader(batch(7, 1, 0, "a"), 0);

        assertThatThrownBy(() -> log.appendAsLeader(batch(7, 0, 1, "zombie"), 0))
                .isInstanceOfSatisfying(ProducerSequenceException.class,
                        e -> assertThat(e.reason()).isEqualTo(ProducerSequenceException.Reason.FENCED_EPOCH));
        assertThatThrownBy(() -> log.appendAsLeader(batch(7, 2, 5, "b"), 0))
                .isInstanceOf(ProducerSequenceException.class).hasMessageContaining("instead of 0");
        log.appendAsLeader(batch(7, 2, 0, "b"), 0);
        assertThatThrownBy(() -> log.appendAsLeader(batch(7, 1, 1, "late"), 0))
                .isInstanceOf(ProducerSequenceException.class);
    }

    @Test
    void theLogRemembersItsProducersAcrossARestart() {
        PartitionLog log = open();
        log.appendAsLeader(batch(9, 0, 0, "a"), 0);
        log.appendAsLeader(batch(9, 0, 1, "b", "c"), 0);
        manager.close();

        PartitionLog reopened = open();
        LogAppendInfo again = reopened.appendAsLeader(batch(9, 0, 1, "b", "c"), 0);
        assertThat(again.duplicate()).isTrue();
        assertThat(again.firstOffset()).isEqualTo(1);
        assertThatThrownBy(() -> reopened.appendAsLeader(batch(9, 0, 7, "x"), 0))
                .isInstanceOf(ProducerSequenceException.class);
    }

    @Test
    void aTruncatedBatchIsNewAgain() {
        PartitionLog log = open();
        log.appendAsLeader(batch(5, 0, 0, "a"), 0);
        log.appendAsLeader(batch(5, 0, 1, "b"), 0);
        log.truncateTo(1);

        LogAppendInfo resent = log.appendAsLeader(batch(5, 0, 1, "b"), 1);
        assertThat(resent.duplicate()).as("the first copy is gone").isFalse();
        assertThat(resent.firstOffset()).isEqualTo(1);
    }

    @Test
    void aReplicaKnowsTheSequencesItCopiedWhenItBecomesLeader() {
        PartitionLog log = open();
        log.appendAsLeader(batch(-1, -1, -1, "plain"), 0); // the state is known from here on
        ByteBuffer copied = batch(3, 0, 0, "a");
        copied.putLong(0, 1); // the offset the leader gave it
        log.appendAsFollower(copied);

        LogAppendInfo again = log.appendAsLeader(batch(3, 0, 0, "a"), 1);
        assertThat(again.duplicate()).isTrue();
        assertThat(again.firstOffset()).isEqualTo(1);
    }

    @Test
    void sequencesWrapAroundAfterTheLargestInt() {
        assertThat(ProducerStates.lastSequence(Integer.MAX_VALUE - 1, 3)).isEqualTo(0);
        assertThat(ProducerStates.next(Integer.MAX_VALUE)).isZero();
        PartitionLog log = open();
        log.appendAsLeader(batch(4, 0, Integer.MAX_VALUE - 1, "x", "y"), 0);
        assertThat(log.appendAsLeader(batch(4, 0, 0, "z"), 0).duplicate()).isFalse();
    }
}
