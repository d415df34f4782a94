package io.strand.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The XA frames: Xids, prepare requests and answers, branch requests and recover answers survive the wire; Xid
 * fields out of range are refused naming the field, when built and when read; the handshake names the resource
 * manager from version 2 on.
 */
class XaTransactionsTest {
    private static XaTransactions.BranchId xid(int format, int gtridBytes, int bqualBytes) {
        return new XaTransactions.BranchId(format, new byte[gtridBytes], new byte[bqualBytes]);
    }

    @Test
    void xaFramesSurviveTheWire() {
        XaTransactions.BranchId xid = new XaTransactions.BranchId(0x1234, new byte[] {1, 2, 3}, new byte[] {9});
        ByteBuf out = Unpooled.buffer();
        new XaTransactions.PrepareRequest(xid, 3, new Transactions.CommitRequest(List.of(), List.of(
                new Transactions.QueueAcks(4, 0, List.of(new Shares.AckRange(5, 6, Shares.AckType.ACCEPT)))),
                List.of(new Transactions.TopicAck(2, 1, 77)))).writeTo(out);
        XaTransactions.PrepareRequest prepare = XaTransactions.PrepareRequest.readFrom(new FrameReader(out));
        assertThat(prepare.xid()).isEqualTo(xid).hasSameHashCodeAs(xid);
        assertThat(prepare.xid().toString()).isEqualTo("4660:010203:09");
        assertThat(prepare.parts()).isEqualTo(3);
        assertThat(prepare.work().queueAcks()).hasSize(1);
        assertThat(prepare.work().topicAcks()).containsExactly(new Transactions.TopicAck(2, 1, 77));

        List<XaTransactions.BranchId> branches = List.of(xid, xid(7, 64, 0), xid(-2, 1, 64));
        out = Unpooled.buffer();
        new XaTransactions.RecoverResponse(ResponseStatus.OK, branches).writeTo(out);
        assertThat(XaTransactions.RecoverResponse.readFrom(new FrameReader(out)).branches()).isEqualTo(branches);

        for (XaTransactions.Vote vote : XaTransactions.Vote.values()) {
            out = Unpooled.buffer();
            new XaTransactions.PrepareResponse(ResponseStatus.OK, vote).writeTo(out);
            assertThat(XaTransactions.PrepareResponse.readFrom(new FrameReader(out)).vote()).isEqualTo(vote);
        }
        out = Unpooled.buffer();
        new XaTransactions.PrepareResponse(ResponseStatus.of(ErrorCode.TRANSACTION_ROLLED_BACK, "no"), null).writeTo(out);
        assertThat(XaTransactions.PrepareResponse.readFrom(new FrameReader(out)).status().error())
                .isEqualTo(ErrorCode.TRANSACTION_ROLLED_BACK);
    }

    @Test
    void xidFieldsOutOfRangeAreRefusedNamingTheField() {
        assertThatThrownBy(() -> xid(1, 0, 1)).hasMessageContaining("global transaction id has 0 bytes");
        assertThatThrownBy(() -> xid(1, 65, 1)).hasMessageContaining("global transaction id has 65 bytes");
        assertThatThrownBy(() -> xid(1, 1, 65)).hasMessageContaining("branch qualifier has 65 bytes");
        assertThatThrownBy(() -> xid(-1, 1, 1)).hasMessageContaining("null Xid");
        assertThatThrownBy(() -> new XaTransactions.BranchId(1, null, new byte[0]))
                .hasMessageContaining("global transaction id has no bytes");
        assertThatThrownBy(() -> new XaTransactions.PrepareRequest(xid(1, 1, 1), 0,
                new Transactions.CommitRequest(List.of(), List.of(), List.of()))).hasMessageContaining("1 to 64 parts");

        ByteBuf longBqual = Unpooled.buffer().writeInt(1).writeByte(1).writeByte(5).writeByte(65).writeBytes(new byte[65]);
        assertThatThrownBy(() -> XaTransactions.BranchId.readFrom(new FrameReader(longBqual)))
                .isInstanceOf(MalformedFrameException.class).hasMessageContaining("xid branch qualifier length 65");
        ByteBuf cut = Unpooled.buffer().writeInt(1).writeByte(4).writeByte(5);
        assertThatThrownBy(() -> XaTransactions.BranchId.readFrom(new FrameReader(cut)))
                .isInstanceOf(MalformedFrameException.class).hasMessageContaining("xid global transaction id");
    }

    @Test
    void theHandshakeNamesTheResourceManagerFromVersionTwoOn() {
        Handshake.Response v2 = new Handshake.Response(ResponseStatus.OK, (short) 2, 0, "strand", "rm-1");
        ByteBuf out = Unpooled.buffer();
        v2.writeTo(out);
        assertThat(Handshake.Response.readFrom(new FrameReader(out))).isEqualTo(v2);
        Handshake.Response v1 = new Handshake.Response(ResponseStatus.OK, (short) 1, 0, "strand", "rm-1");
        out = Unpooled.buffer();
        v1.writeTo(out);
        assertThat(Handshake.Response.readFrom(new FrameReader(out)).resourceManagerId()).as("not sent to version 1")
                .isNull();
    }
}
