package io.strand.jms.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import io.strand.jms.message.EncodedMessage;
import io.strand.protocol.DestinationType;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ProduceAccumulatorTest {
    private static final ProduceAccumulator.PartitionKey P0 = new ProduceAccumulator.PartitionKey(DestinationType.TOPIC, "t", 0);
    private static final ProduceAccumulator.PartitionKey P1 = new ProduceAccumulator.PartitionKey(DestinationType.TOPIC, "t", 1);

    private record Sent(ProduceAccumulator.PartitionKey partition, boolean durable, List<EncodedMessage> records,
                        CompletableFuture<Long> answer) {
    }

    private final List<Sent> sent = new ArrayList<>();
    private final List<Runnable> timers = new ArrayList<>();
    private int cancelled;

    private ProduceAccumulator accumulator(long lingerMs, int batchBytes) {
        return new ProduceAccumulator((partition, durable, records, ts) -> {
            final CompletableFuture<Long> answer = new CompletableFuture<>();
            sent.add(new Sent(partition, durable, List.copyOf(records), answer));
            return answer;
        }, (task, delayMs) -> {
            timers.add(task);
            return () -> cancelled++;
        }, lingerMs, batchBytes);
    }

    private static EncodedMessage record(int bodyBytes) {
        return new EncodedMessage(null, ByteBuffer.allocate(bodyBytes), List.of(Map.entry("#t", new byte[] {1, 0})));
    }

    @Test
    void shouldHoldRecordsUntilLingerExpires() {
        final ProduceAccumulator acc = accumulator(5, 16 * 1024);
        final CompletableFuture<Long> a = acc.append(P0, record(10), 1, false, false);
        final CompletableFuture<Long> b = acc.append(P0, record(10), 2, false, false);
        assertThat(sent).isEmpty();
        assertThat(timers).hasSize(1); // one timer per batch, not per record
        assertThat(acc.pendingRecords()).isEqualTo(2);
        timers.get(0).run();
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).records()).hasSize(2);
        assertThat(sent.get(0).durable()).isFalse();
        sent.get(0).answer().complete(40L);
        assertThat(a).isCompletedWithValue(40L);
        assertThat(b).isCompletedWithValue(41L);
    }

    @Test
    void shouldSendWhenBatchReachesItsSize() {
        final ProduceAccumulator acc = accumulator(1000, 100);
        acc.append(P0, record(40), 0, false, false);
        acc.append(P0, record(40), 0, false, false);
        assertThat(sent).isEmpty();
        acc.append(P0, record(40), 0, false, false); // would pass 100: the first two leave, this one starts a batch
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).records()).hasSize(2);
        assertThat(cancelled).isEqualTo(1);
        acc.append(P0, record(200), 0, false, false); // larger than a batch alone: the open one leaves, then this one
        assertThat(sent).hasSize(3);
        assertThat(sent.get(2).records()).hasSize(1);
    }

    @Test
    void shouldSendAtOnceForPersistentSyncSendKeepingOrder() {
        final ProduceAccumulator acc = accumulator(1000, 16 * 1024);
        acc.append(P0, record(10), 0, false, false);
        acc.append(P0, record(10), 0, true, true);
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).records()).hasSize(2); // the lingering record goes first, in the same batch
        assertThat(sent.get(0).durable()).isTrue();
        timers.get(0).run(); // a linger that fires after the batch left does nothing
        assertThat(sent).hasSize(1);
    }

    @Test
    void shouldKeepOneBatchPerPartition() {
        final ProduceAccumulator acc = accumulator(1000, 16 * 1024);
        acc.append(P0, record(10), 0, false, false);
        acc.append(P1, record(10), 0, false, false);
        acc.flush();
        assertThat(sent).extracting(Sent::partition).containsExactlyInAnyOrder(P0, P1);
    }

    @Test
    void shouldSendImmediatelyWithZeroLinger() {
        final ProduceAccumulator acc = accumulator(0, 16 * 1024);
        acc.append(P0, record(10), 0, false, false);
        assertThat(sent).hasSize(1);
        assertThat(timers).isEmpty();
    }

    @Test
    void shouldFailEveryRecordOfAFailedBatch() {
        final ProduceAccumulator acc = accumulator(1000, 16 * 1024);
        final CompletableFuture<Long> a = acc.append(P0, record(10), 0, false, false);
        final CompletableFuture<Long> b = acc.append(P0, record(10), 0, false, false);
        final CompletableFuture<Void> drained = acc.drain();
        assertThat(drained).isNotDone();
        sent.get(0).answer().completeExceptionally(new IllegalStateException("boom"));
        assertThat(a).isCompletedExceptionally();
        assertThat(b).isCompletedExceptionally();
        assertThat(drained).isDone();
    }

    @Test
    void shouldKeepAtMostFiveBatchesOfAPartitionUnansweredAndGatherWhatComesMeanwhileIntoTheNextOne() {
        final ProduceAccumulator acc = accumulator(0, 16 * 1024);
        final List<EncodedMessage> appended = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            final EncodedMessage r = record(10);
            appended.add(r);
            acc.append(P0, r, i, true, true);
        }
        acc.append(P1, record(10), 0, true, true);
        assertThat(sent).extracting(Sent::partition).as("another partition does not wait behind P0")
                .containsExactly(P0, P0, P0, P0, P0, P1);

        sent.get(0).answer().complete(0L);
        assertThat(sent).as("the three records that came meanwhile leave in one batch").hasSize(7);
        assertThat(sent.get(6).records()).containsExactlyElementsOf(appended.subList(5, 8));
        final EncodedMessage later = record(10);
        appended.add(later);
        acc.append(P0, later, 9, true, true);
        assertThat(sent).as("five of P0's batches are in flight again").hasSize(7);
        sent.get(1).answer().complete(1L);
        assertThat(sent).hasSize(8);
        assertThat(sent.get(7).records()).containsExactly(later);
        final CompletableFuture<Void> drained = acc.drain();
        for (int i = 2; i < sent.size(); i++) {
            assertThat(drained).isNotDone();
            sent.get(i).answer().complete((long) i);
        }
        assertThat(drained).as("close waits for every batch").isDone();
        assertThat(sent.stream().filter(s -> s.partition().equals(P0)).flatMap(s -> s.records().stream()).toList())
                .as("in the order they were appended").containsExactlyElementsOf(appended);
    }

    @Test
    void aBatchThatFillsWhileThePartitionIsBusyWaitsItsTurnAndTheNextGathersBehindIt() {
        final int batchBytes = 3 * record(10).sizeInBytes();
        final ProduceAccumulator acc = accumulator(0, batchBytes);
        for (int i = 0; i < 5; i++) {
            acc.append(P0, record(10), i, true, true);
        }
        final List<EncodedMessage> meanwhile = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            final EncodedMessage r = record(10);
            meanwhile.add(r);
            acc.append(P0, r, i, true, true);
        }
        assertThat(sent).as("nothing more leaves while five are in flight").hasSize(5);

        for (int i = 0; i < 5; i++) {
            sent.get(i).answer().complete((long) i);
        }
        acc.drain();
        for (int i = 5; i < sent.size(); i++) {
            assertThat(sent.get(i).records().stream().mapToInt(EncodedMessage::sizeInBytes).sum())
                    .as("batch %d within batchBytes", i).isLessThanOrEqualTo(batchBytes);
        }
        assertThat(sent).as("11 records in batches of 3").hasSize(5 + 4);
        assertThat(sent.subList(5, sent.size()).stream().flatMap(s -> s.records().stream()).toList())
                .containsExactlyElementsOf(meanwhile);
    }

    @Test
    void shouldFailRecordsWhenTheSenderThrows() {
        final ProduceAccumulator acc = new ProduceAccumulator((p, d, r, t) -> {
            throw new IllegalArgumentException("too long");
        }, (task, delay) -> () -> { }, 0, 100);
        assertThat(acc.append(P0, record(1), 0, true, true)).isCompletedExceptionally();
    }

    @Test
    void shouldNotAllocateABatchOfBatchBytesForEachPartition() {
        final int partitions = 10_000;
        final int batchBytes = 64 * 1024;
        final ProduceAccumulator acc = accumulator(1000, batchBytes);
        final ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        final EncodedMessage small = record(10);
        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int p = 0; p < partitions; p++) {
            acc.append(new ProduceAccumulator.PartitionKey(DestinationType.QUEUE, "q", p), small, 1, false, false);
        }
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        // A batch buffer each would be 10,000 x 64 KiB = 625 MiB; a lingering batch of one record is a few hundred bytes.
        assertThat(allocated).as("bytes allocated for %d lingering one-record batches", partitions)
                .isLessThan((long) partitions * 4 * 1024);
        assertThat(acc.partitionsHeld()).isEqualTo(partitions);

        acc.flush();
        assertThat(sent).hasSize(partitions);
        sent.forEach(s -> s.answer().complete(0L));
        assertThat(acc.partitionsHeld()).as("idle partitions hold nothing").isZero();
    }
}
