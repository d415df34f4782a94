package io.strand.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.strand.protocol.ApiKey;
import io.strand.protocol.Consumers;
import io.strand.protocol.DestinationType;
import io.strand.protocol.ErrorCode;
import io.strand.protocol.Produce;
import io.strand.protocol.ResponseStatus;
import io.strand.protocol.Shares;
import io.strand.protocol.StatusResponse;
import io.strand.protocol.SubscriptionKind;
import io.strand.protocol.Transactions;
import io.strand.protocol.XaTransactions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The XA apis on the raw protocol: malformed frames (Xid lengths out of range, the null Xid, bad part counts,
 * trailing bytes) are answered with MALFORMED_REQUEST naming the field while the connection and other clients go
 * on; the states of a branch as the broker answers them; and a branch prepared in parts from two connections,
 * where one part refused rolls back the whole branch, gives the records another part took back to its consumer,
 * and refuses the parts still to come at once.
 */
class XaProtocolTest {
    @TempDir
    Path dataDir;
    private StrandBroker broker;
    private RawClient client;

    @BeforeEach
    void start() throws IOException {
        Properties properties = new Properties();
        properties.setProperty(BrokerConfig.PORT, "0");
        properties.setProperty(BrokerConfig.DATA_DIR, dataDir.toString());
        broker = StrandBroker.start(BrokerConfig.from(properties), null);
        client = new RawClient(broker.address());
        assertThat(client.handshake(null).resourceManagerId()).as("the handshake names the resource manager")
                .isNotBlank();
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        broker.close();
    }

    private static XaTransactions.BranchId xid(String gtrid) {
        return new XaTransactions.BranchId(7, gtrid.getBytes(StandardCharsets.UTF_8), new byte[] {1});
    }

    private static ResponseStatus status(RawClient on, ApiKey api, Consumer<ByteBuf> body) throws IOException {
        return StatusResponse.readFrom(on.call(api, body).body()).status();
    }

    private static XaTransactions.PrepareResponse prepare(RawClient on, XaTransactions.BranchId xid,
                                                          Transactions.CommitRequest work) throws IOException {
        XaTransactions.PrepareRequest request = new XaTransactions.PrepareRequest(xid, 1, work);
        return XaTransactions.PrepareResponse.readFrom(on.call(ApiKey.XA_PREPARE, request::writeTo).body());
    }

    private static Transactions.CommitRequest sendTo(String queue, String... values) {
        return new Transactions.CommitRequest(List.of(new Transactions.PartitionRecords(DestinationType.QUEUE, queue, 0,
                BrokerProtocolTest.batchOf(values))), List.of(), List.of());
    }

    private static Transactions.CommitRequest accept(int consumer, long offset) {
        return new Transactions.CommitRequest(List.of(), List.of(new Transactions.QueueAcks(consumer, 0,
                List.of(new Shares.AckRange(offset, offset, Shares.AckType.ACCEPT)))), List.of());
    }

    private static ResponseStatus decide(RawClient on, ApiKey api, XaTransactions.BranchId xid) throws IOException {
        return status(on, api, new XaTransactions.BranchRequest(xid)::writeTo);
    }

    private static List<XaTransactions.BranchId> recover(RawClient on) throws IOException {
        return XaTransactions.RecoverResponse.readFrom(on.call(ApiKey.XA_RECOVER, out -> { }).body()).branches();
    }

    @Test
    void malformedXaFramesAreAnsweredNamingTheFieldAndEveryoneGoesOn() throws IOException {
        ResponseStatus longGtrid = status(client, ApiKey.XA_COMMIT, out -> out.writeInt(1).writeByte(65)
                .writeBytes(new byte[65]).writeByte(1).writeByte(1));
        assertThat(longGtrid.error()).isEqualTo(ErrorCode.MALFORMED_REQUEST);
        assertThat(longGtrid.describe()).contains("global transaction id length 65");
        ResponseStatus emptyGtrid = status(client, ApiKey.XA_ROLLBACK, out -> out.writeInt(1).writeByte(0)
                .writeByte(0));
        assertThat(emptyGtrid.describe()).contains("global transaction id length 0 is outside [1, 64]");
        ResponseStatus longBqual = status(client, ApiKey.XA_FORGET, out -> out.writeInt(1).writeByte(1).writeByte(9)
                .writeByte(200).writeBytes(new byte[200]));
        assertThat(longBqual.describe()).contains("branch qualifier length 200");
        ResponseStatus nullXid = status(client, ApiKey.XA_COMMIT, out -> out.writeInt(-1).writeByte(1).writeByte(9)
                .writeByte(0));
        assertThat(nullXid.describe()).contains("null Xid");
        ResponseStatus truncated = status(client, ApiKey.XA_COMMIT, out -> out.writeInt(1).writeByte(10)
                .writeBytes(new byte[3]));
        assertThat(truncated.error()).isEqualTo(ErrorCode.MALFORMED_REQUEST);
        ResponseStatus trailing = status(client, ApiKey.XA_COMMIT, out -> {
            xid("g").writeTo(out);
            out.writeInt(42);
        });
        assertThat(trailing.describe()).contains("trailing bytes");
        ResponseStatus recoverWithBody = status(client, ApiKey.XA_RECOVER, out -> out.writeInt(1));
        assertThat(recoverWithBody.error()).isEqualTo(ErrorCode.MALFORMED_REQUEST);
        for (int parts : new int[] {0, 65, -3}) {
            ResponseStatus badParts = XaTransactions.PrepareResponse.readFrom(client.call(ApiKey.XA_PREPARE, out -> {
                xid("g").writeTo(out);
                out.writeInt(parts);
                new Transactions.CommitRequest(List.of(), List.of(), List.of()).writeTo(out);
            }).body()).status();
            assertThat(badParts.describe()).contains("parts " + parts + " is outside [1, 64]");
        }
        ResponseStatus badWork = XaTransactions.PrepareResponse.readFrom(client.call(ApiKey.XA_PREPARE, out -> {
            xid("g").writeTo(out);
            out.writeInt(1).writeInt(Integer.MAX_VALUE);
        }).body()).status();
        assertThat(badWork.error()).isEqualTo(ErrorCode.MALFORMED_REQUEST);

        assertThat(status(client, ApiKey.HEARTBEAT, out -> { }).isOk()).as("the same connection goes on").isTrue();
        try (RawClient other = new RawClient(broker.address())) {
            other.handshake(null);
            XaTransactions.BranchId fine = xid("fine");
            assertThat(prepare(other, fine, sendTo("xq", "v")).vote()).isEqualTo(XaTransactions.Vote.PREPARED);
            assertThat(decide(other, ApiKey.XA_COMMIT, fine).isOk()).isTrue();
        }
    }

    @Test
    void theBrokerAnswersEachRequestAsTheBranchsStateAllows() throws IOException {
        XaTransactions.BranchId xid = xid("states");
        assertThat(decide(client, ApiKey.XA_COMMIT, xid).error()).isEqualTo(ErrorCode.UNKNOWN_XID);
        assertThat(decide(client, ApiKey.XA_ROLLBACK, xid).error()).isEqualTo(ErrorCode.UNKNOWN_XID);
        assertThat(prepare(client, xid("empty"), new Transactions.CommitRequest(List.of(), List.of(), List.of()))
                .vote()).isEqualTo(XaTransactions.Vote.READ_ONLY);
        assertThat(recover(client)).isEmpty();

        assertThat(prepare(client, xid, sendTo("xq", "a")).vote()).isEqualTo(XaTransactions.Vote.PREPARED);
        assertThat(prepare(client, xid, sendTo("xq", "b")).status().error()).as("prepared twice")
                .isEqualTo(ErrorCode.INVALID_XA_STATE);
        assertThat(recover(client)).containsExactly(xid);
        assertThat(decide(client, ApiKey.XA_FORGET, xid).error()).isEqualTo(ErrorCode.INVALID_XA_STATE);
        assertThat(decide(client, ApiKey.XA_COMMIT, xid).isOk()).isTrue();
        assertThat(decide(client, ApiKey.XA_COMMIT, xid).isOk()).as("repeated").isTrue();
        assertThat(decide(client, ApiKey.XA_ROLLBACK, xid).error()).isEqualTo(ErrorCode.INVALID_XA_STATE);
        assertThat(decide(client, ApiKey.XA_FORGET, xid).error()).isEqualTo(ErrorCode.UNKNOWN_XID);
        assertThat(recover(client)).isEmpty();

        XaTransactions.BranchId rolledBack = xid("rolled");
        assertThat(prepare(client, rolledBack, sendTo("xq", "c")).vote()).isEqualTo(XaTransactions.Vote.PREPARED);
        assertThat(decide(client, ApiKey.XA_ROLLBACK, rolledBack).isOk()).isTrue();
        assertThat(decide(client, ApiKey.XA_COMMIT, rolledBack).error()).isEqualTo(ErrorCode.TRANSACTION_ROLLED_BACK);

        assertThat(prepare(client, xid("nobody"), accept(42, 0)).status().error()).isEqualTo(ErrorCode.UNKNOWN_CONSUMER);
        send(client, "r0");
        assertThat(open(client, 1, 10).isOk()).isTrue();
        Transactions.CommitRequest reject = new Transactions.CommitRequest(List.of(), List.of(new Transactions.QueueAcks(
                1, 0, List.of(new Shares.AckRange(0, 0, Shares.AckType.REJECT)))), List.of());
        ResponseStatus rejected = prepare(client, xid("reject"), reject).status();
        assertThat(rejected.error()).isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(rejected.describe()).contains("REJECT");
        assertThat(prepare(client, xid("notheld"), accept(1, 5)).status().error()).as("a record it does not hold")
                .isEqualTo(ErrorCode.INVALID_REQUEST);
    }

    private static void send(RawClient on, String... values) throws IOException {
        Produce.Request request = new Produce.Request(DestinationType.QUEUE, "xjobs", 0, true,
                BrokerProtocolTest.batchOf(values));
        assertThat(Produce.Response.readFrom(on.call(ApiKey.PRODUCE, request::writeTo).body()).status().isOk()).isTrue();
    }

    private static ResponseStatus open(RawClient on, int id, int credit) throws IOException {
        Consumers.OpenRequest open = new Consumers.OpenRequest(id, DestinationType.QUEUE, "xjobs", SubscriptionKind.QUEUE,
                null, null, false, credit);
        return StatusResponse.readFrom(on.call(ApiKey.OPEN_CONSUMER, out -> open.writeTo(out, (short) 0)).body()).status();
    }

    /** Reads frames until a queue consumer's push: the offset it acquired (one record). */
    private static long acquired(RawClient on) throws IOException {
        while (true) {
            RawClient.Frame frame = on.read();
            if (frame.header().apiKey() == ApiKey.SHARE_DELIVER.id) {
                return Shares.Deliver.readFrom(frame.body()).acquired().get(0).firstOffset();
            }
        }
    }

    /** Reads frames until the answer to request {@code correlationId}, setting pushes aside. */
    private static RawClient.Frame answer(RawClient on, int correlationId) throws IOException {
        while (true) {
            RawClient.Frame frame = on.read();
            if (frame.header().correlationId() == correlationId) {
                return frame;
            }
        }
    }

    @Test
    void aBranchPreparedInPartsFromTwoConnectionsIsOneBranchAndOneRefusedPartRollsItAllBack() throws IOException {
        try (RawClient second = new RawClient(broker.address()); RawClient third = new RawClient(broker.address())) {
            second.handshake(null);
            third.handshake(null);
            send(client, "j0", "j1");
            assertThat(open(client, 1, 1).isOk()).isTrue();
            assertThat(open(second, 1, 1).isOk()).isTrue();
            long mine = acquired(client);
            long theirs = acquired(second);
            assertThat(List.of(mine, theirs)).containsExactlyInAnyOrder(0L, 1L);

            // Both parts come: one branch, prepared once, answered on both connections.
            XaTransactions.BranchId joined = xid("joined");
            int first = client.send(ApiKey.XA_PREPARE, new XaTransactions.PrepareRequest(joined, 2, accept(1, mine))::writeTo);
            XaTransactions.PrepareRequest secondPart = new XaTransactions.PrepareRequest(joined, 2, sendTo("xout", "o"));
            assertThat(XaTransactions.PrepareResponse.readFrom(second.call(ApiKey.XA_PREPARE, secondPart::writeTo)
                    .body()).vote()).isEqualTo(XaTransactions.Vote.PREPARED);
            assertThat(XaTransactions.PrepareResponse.readFrom(answer(client, first).body()).vote())
                    .isEqualTo(XaTransactions.Vote.PREPARED);
            assertThat(recover(third)).containsExactly(joined);

            // A part refused: the whole branch rolls back, and the first part's record goes back to its consumer.
            XaTransactions.BranchId broken = xid("broken");
            int held = second.send(ApiKey.XA_PREPARE, new XaTransactions.PrepareRequest(broken, 2, accept(1, theirs))::writeTo);
            XaTransactions.PrepareRequest refusedPart = new XaTransactions.PrepareRequest(broken, 2, accept(99, 0));
            assertThat(XaTransactions.PrepareResponse.readFrom(third.call(ApiKey.XA_PREPARE, refusedPart::writeTo)
                    .body()).status().error()).isEqualTo(ErrorCode.UNKNOWN_CONSUMER);
            ResponseStatus rolledBack = XaTransactions.PrepareResponse.readFrom(answer(second, held).body()).status();
            assertThat(rolledBack.error()).isEqualTo(ErrorCode.TRANSACTION_ROLLED_BACK);
            assertThat(rolledBack.describe()).contains("another part");

            // A part refused before the others came: those are refused as they come, without waiting for the rest.
            XaTransactions.BranchId refusedFirst = xid("refused-first");
            XaTransactions.PrepareRequest early = new XaTransactions.PrepareRequest(refusedFirst, 2, accept(99, 0));
            assertThat(XaTransactions.PrepareResponse.readFrom(third.call(ApiKey.XA_PREPARE, early::writeTo).body())
                    .status().error()).isEqualTo(ErrorCode.UNKNOWN_CONSUMER);
            XaTransactions.PrepareRequest late = new XaTransactions.PrepareRequest(refusedFirst, 2, accept(1, theirs));
            assertThat(XaTransactions.PrepareResponse.readFrom(second.call(ApiKey.XA_PREPARE, late::writeTo).body())
                    .status().error()).isEqualTo(ErrorCode.TRANSACTION_ROLLED_BACK);
            Shares.AcknowledgeRequest ack = new Shares.AcknowledgeRequest(1, 0,
                    List.of(new Shares.AckRange(theirs, theirs, Shares.AckType.ACCEPT)));
            assertThat(status(second, ApiKey.SHARE_ACKNOWLEDGE, ack::writeTo).isOk())
                    .as("the consumer holds its record again").isTrue();
            assertThat(recover(third)).containsExactly(joined);
            assertThat(decide(third, ApiKey.XA_COMMIT, joined).isOk()).isTrue();
        }
    }
}
