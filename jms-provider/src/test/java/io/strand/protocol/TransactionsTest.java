package io.strand.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransactionsTest {
    private static Transactions.CommitRequest sample() {
        return new Transactions.CommitRequest(
                List.of(new Transactions.PartitionRecords(DestinationType.QUEUE, "orders", 2,
                                Unpooled.wrappedBuffer(new byte[] {1, 2, 3})),
                        new Transactions.PartitionRecords(DestinationType.TOPIC, "prices", 0,
                                Unpooled.wrappedBuffer(new byte[] {4}))),
                List.of(new Transactions.QueueAcks(7, 1, List.of(new Shares.AckRange(10, 12, Shares.AckType.ACCEPT),
                        new Shares.AckRange(15, 15, Shares.AckType.ACCEPT)))),
                List.of(new Transactions.TopicAck(8, 0, 99L)));
    }

    private static ByteBuf written(Transactions.CommitRequest request) {
        ByteBuf out = Unpooled.buffer();
        request.writeTo(out);
        return out;
    }

    @Test
    void shouldRoundTripACommitWithItsRecordsAsSlicesOfTheFrame() {
        Transactions.CommitRequest read = Transactions.CommitRequest.readFrom(new FrameReader(written(sample())));
        assertThat(read.records()).hasSize(2);
        assertThat(read.records().get(0).destination()).isEqualTo("orders");
        assertThat(read.records().get(0).partition()).isEqualTo(2);
        assertThat(ByteBufUtil.getBytes(read.records().get(0).records())).containsExactly(1, 2, 3);
        assertThat(read.records().get(1).type()).isEqualTo(DestinationType.TOPIC);
        assertThat(read.queueAcks()).isEqualTo(sample().queueAcks());
        assertThat(read.topicAcks()).isEqualTo(sample().topicAcks());
        assertThat(read.isEmpty()).isFalse();
        assertThat(new Transactions.CommitRequest(List.of(), List.of(), List.of()).isEmpty()).isTrue();
    }

    @Test
    void shouldRefuseEveryTruncationAndEveryCountTheFrameCannotHold() {
        ByteBuf whole = written(sample());
        for (int length = 0; length < whole.readableBytes(); length++) {
            ByteBuf cut = whole.slice(0, length);
            assertThatThrownBy(() -> Transactions.CommitRequest.readFrom(new FrameReader(cut)))
                    .as("cut at %d", length).isInstanceOf(MalformedFrameException.class);
        }
        ByteBuf trailing = written(sample()).writeByte(0);
        assertThatThrownBy(() -> Transactions.CommitRequest.readFrom(new FrameReader(trailing)))
                .isInstanceOf(MalformedFrameException.class).hasMessageContaining("trailing");
        ByteBuf tooMany = Unpooled.buffer().writeInt(Transactions.MAX_PARTITIONS + 1);
        assertThatThrownBy(() -> Transactions.CommitRequest.readFrom(new FrameReader(tooMany)))
                .isInstanceOf(MalformedFrameException.class).hasMessageContaining("staged partitions");
        ByteBuf hugeRecords = Unpooled.buffer().writeInt(1).writeByte(0).writeShort(1).writeByte('q').writeInt(0)
                .writeInt(Integer.MAX_VALUE);
        assertThatThrownBy(() -> Transactions.CommitRequest.readFrom(new FrameReader(hugeRecords)))
                .isInstanceOf(MalformedFrameException.class).hasMessageContaining("records");
        ByteBuf badAckType = Unpooled.buffer().writeInt(0).writeInt(1).writeInt(1).writeInt(0).writeInt(1)
                .writeLong(0).writeLong(0).writeByte(9).writeInt(0);
        assertThatThrownBy(() -> Transactions.CommitRequest.readFrom(new FrameReader(badAckType)))
                .isInstanceOf(MalformedFrameException.class).hasMessageContaining("acknowledgement type 9");
    }

    @Test
    void shouldRoundTripACommitStatusQueryAndItsAnswerAndRefuseBadBytes() {
        Transactions.CommitStatusRequest query = new Transactions.CommitStatusRequest(List.of(
                new Transactions.CommitStamp(DestinationType.QUEUE, "orders", 2, (1L << 62) + 5, (short) 0, 17),
                new Transactions.CommitStamp(DestinationType.TOPIC, "prices", 0, (1L << 62) + 6, (short) 1, 0)));
        ByteBuf out = Unpooled.buffer();
        query.writeTo(out);
        assertThat(Transactions.CommitStatusRequest.readFrom(new FrameReader(out.copy()))).isEqualTo(query);
        for (int length = 0; length < out.readableBytes(); length++) {
            ByteBuf cut = out.slice(0, length);
            assertThatThrownBy(() -> Transactions.CommitStatusRequest.readFrom(new FrameReader(cut)))
                    .as("cut at %d", length).isInstanceOf(MalformedFrameException.class);
        }
        ByteBuf none = Unpooled.buffer().writeInt(0);
        assertThatThrownBy(() -> Transactions.CommitStatusRequest.readFrom(new FrameReader(none)))
                .isInstanceOf(MalformedFrameException.class).hasMessageContaining("no stamp");
        assertThatThrownBy(() -> new Transactions.CommitStatusRequest(List.of()))
                .isInstanceOf(IllegalArgumentException.class);

        for (Transactions.CommitStatusResponse answer : List.of(
                new Transactions.CommitStatusResponse(ResponseStatus.OK, true),
                new Transactions.CommitStatusResponse(ResponseStatus.OK, false),
                new Transactions.CommitStatusResponse(ResponseStatus.of(ErrorCode.STORAGE_ERROR, "disk"), false))) {
            ByteBuf written = Unpooled.buffer();
            answer.writeTo(written);
            assertThat(Transactions.CommitStatusResponse.readFrom(new FrameReader(written))).isEqualTo(answer);
        }
    }
}
