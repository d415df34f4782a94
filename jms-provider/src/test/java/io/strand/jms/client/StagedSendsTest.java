package io.strand.jms.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBufAllocator;
import io.strand.jms.message.EncodedMessage;
import io.strand.protocol.DestinationType;
import io.strand.protocol.Transactions;
import io.strand.record.CompressionType;
import io.strand.record.RecordBatch;
import jakarta.jms.ResourceAllocationException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StagedSendsTest {
    private static final ProduceAccumulator.PartitionKey ORDERS =
            new ProduceAccumulator.PartitionKey(DestinationType.QUEUE, "orders", 0);
    private static final ProduceAccumulator.PartitionKey PRICES =
            new ProduceAccumulator.PartitionKey(DestinationType.TOPIC, "prices", 3);
    private final RecordFormat format = new RecordFormats(CompressionType.NONE, 1 << 24);

    private static EncodedMessage message(int bytes) {
        return new EncodedMessage(null, ByteBuffer.wrap(new byte[bytes]), List.of());
    }

    /** @return the record count of each batch of the entry */
    private static List<Integer> batchSizes(Transactions.PartitionRecords records) {
        ByteBuffer bytes = records.records().nioBuffer();
        RecordBatch batch = new RecordBatch();
        List<Integer> counts = new ArrayList<>();
        for (int pos = 0; pos < bytes.limit(); pos += batch.sizeInBytes()) {
            batch.wrap(bytes, pos).ensureValid(bytes.limit(), Integer.MAX_VALUE);
            counts.add(batch.recordCount());
        }
        return counts;
    }

    @Test
    void shouldRefuseTheSendThatPassesTheCapAndKeepTheOthers() throws Exception {
        StagedSends sends = new StagedSends(2500);
        sends.add(ORDERS, message(1000), 1);
        sends.add(PRICES, message(1000), 2);
        assertThatThrownBy(() -> sends.add(ORDERS, message(1000), 3)).isInstanceOf(ResourceAllocationException.class)
                .hasMessageContaining("2000").hasMessageContaining("2500").hasMessageContaining("transactionMaxBytes");
        assertThat(sends.records()).isEqualTo(2);
        assertThat(sends.bytes()).isEqualTo(2000);
        sends.add(ORDERS, message(500), 4); // exactly at the cap
        sends.clear();
        assertThat(sends.isEmpty()).isTrue();
        assertThat(sends.bytes()).isZero();
    }

    @Test
    void shouldBuildOneBatchPerPartitionInTheOrderThePartitionsWereFirstUsed() throws Exception {
        StagedSends sends = new StagedSends(1 << 20);
        sends.add(PRICES, message(10), 1);
        sends.add(ORDERS, message(10), 2);
        sends.add(PRICES, message(10), 3);
        List<Transactions.PartitionRecords> encoded = sends.encode(format, ByteBufAllocator.DEFAULT);
        try {
            assertThat(encoded).extracting(Transactions.PartitionRecords::destination).containsExactly("prices", "orders");
            assertThat(encoded.get(0).partition()).isEqualTo(3);
            assertThat(batchSizes(encoded.get(0))).containsExactly(2);
            assertThat(batchSizes(encoded.get(1))).containsExactly(1);
        } finally {
            encoded.forEach(r -> r.records().release());
        }
    }

    @Test
    void shouldSplitAPartitionsRecordsIntoSeveralBatchesOnlyWhenTheyAreLarge() throws Exception {
        StagedSends sends = new StagedSends(16 << 20);
        int records = 2 * StagedSends.BATCH_RECORD_BYTES / 100_000 + 3;
        for (int i = 0; i < records; i++) {
            sends.add(ORDERS, message(100_000), i);
        }
        List<Transactions.PartitionRecords> encoded = sends.encode(format, ByteBufAllocator.DEFAULT);
        try {
            List<Integer> sizes = batchSizes(encoded.get(0));
            assertThat(sizes).hasSizeGreaterThan(1);
            assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(records);
            assertThat(sizes).allSatisfy(n -> assertThat(n * 100_000).isLessThanOrEqualTo(StagedSends.BATCH_RECORD_BYTES));
        } finally {
            encoded.forEach(r -> r.records().release());
        }
    }

    /** @return producer id, epoch and base sequence of each batch of the entry */
    private static List<List<Long>> stamps(Transactions.PartitionRecords records) {
        ByteBuffer bytes = records.records().nioBuffer();
        RecordBatch batch = new RecordBatch();
        List<List<Long>> stamps = new ArrayList<>();
        for (int pos = 0; pos < bytes.limit(); pos += batch.sizeInBytes()) {
            batch.wrap(bytes, pos).ensureValid(bytes.limit(), Integer.MAX_VALUE);
            stamps.add(List.of(batch.producerId(), (long) batch.producerEpoch(), (long) batch.baseSequence()));
        }
        return stamps;
    }

    @Test
    void stampedBatchesCarryEachPartitionsProducerIdAndFollowingSequencesAcrossCommits() throws Exception {
        ProducerSequences stamps = new ProducerSequences();
        StagedSends sends = new StagedSends(16 << 20);
        int large = StagedSends.BATCH_RECORD_BYTES / 100_000 + 1; // two batches
        for (int i = 0; i < large; i++) {
            sends.add(ORDERS, message(100_000), i);
        }
        sends.add(PRICES, message(10), 1);
        List<Transactions.PartitionRecords> first = sends.encode(format, ByteBufAllocator.DEFAULT, stamps);
        sends.clear();
        sends.add(ORDERS, message(10), 1);
        List<Transactions.PartitionRecords> second = sends.encode(format, ByteBufAllocator.DEFAULT, stamps);
        try {
            List<List<Long>> orders = stamps(first.get(0));
            long ordersProducer = orders.get(0).get(0);
            assertThat(ordersProducer).isGreaterThanOrEqualTo(1L << 62);
            int firstBatchRecords = batchSizes(first.get(0)).get(0);
            assertThat(orders).containsExactly(List.of(ordersProducer, 0L, 0L),
                    List.of(ordersProducer, 0L, (long) firstBatchRecords));
            assertThat(stamps(first.get(1))).singleElement().satisfies(stamp -> {
                assertThat(stamp.get(0)).isNotEqualTo(ordersProducer); // one producer id per partition
                assertThat(stamp.get(2)).isZero();
            });
            assertThat(stamps(second.get(0))).containsExactly(List.of(ordersProducer, 0L, (long) large));
        } finally {
            first.forEach(r -> r.records().release());
            second.forEach(r -> r.records().release());
        }
        List<Transactions.PartitionRecords> unstamped = sends.encode(format, ByteBufAllocator.DEFAULT);
        try {
            assertThat(stamps(unstamped.get(0))).as("unstamped without producer sequences").containsExactly(List.of(
                    RecordBatch.NO_PRODUCER_ID, (long) RecordBatch.NO_PRODUCER_EPOCH, (long) RecordBatch.NO_SEQUENCE));
        } finally {
            unstamped.forEach(r -> r.records().release());
        }
    }
}
