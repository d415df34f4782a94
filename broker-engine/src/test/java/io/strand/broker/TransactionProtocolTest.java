package io.strand.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.strand.jms.StrandConnectionFactory;
import io.strand.protocol.ApiKey;
import io.strand.protocol.DestinationType;
import io.strand.protocol.Destinations;
import io.strand.protocol.ErrorCode;
import io.strand.protocol.ResponseStatus;
import io.strand.protocol.Shares;
import io.strand.protocol.StatusResponse;
import io.strand.protocol.Transactions;
import io.strand.record.CompressionType;
import io.strand.record.RecordBatch;
import io.strand.record.RecordBatchBuilder;
import io.strand.record.RecordIterator;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.TransactionRolledBackException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code COMMIT} refused for any reason appends nothing anywhere: an unknown destination (auto-creation
 * off), a corrupt or oversized batch in one of its partitions, a consumer it does not know; a malformed
 * request is answered and the connection goes on. Through JMS, a transaction whose destination was
 * deleted before the commit rolls back, and the message it received comes again.
 */
class TransactionProtocolTest {
    private static final int MAX_BATCH_BYTES = 4096;

    @TempDir
    Path dataDir;
    private StrandBroker broker;
    private RawClient client;

    @BeforeEach
    void start() throws IOException {
        Properties properties = new Properties();
        properties.setProperty(BrokerConfig.PORT, "0");
        properties.setProperty(BrokerConfig.DATA_DIR, dataDir.toString());
        properties.setProperty(BrokerConfig.AUTO_CREATE, "false");
        properties.setProperty("log.max.message.bytes", Integer.toString(MAX_BATCH_BYTES));
        broker = StrandBroker.start(BrokerConfig.from(properties), null);
        client = new RawClient(broker.address());
        client.handshake(null);
        for (String queue : List.of("q1", "q2", "q3", "q4", "q5")) {
            Destinations.CreateRequest create = new Destinations.CreateRequest(DestinationType.QUEUE, queue, 1, false);
            assertThat(status(ApiKey.CREATE_DESTINATION, out -> create.writeTo(out, (short) 0)).isOk()).isTrue();
        }
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        broker.close();
    }

    private ResponseStatus status(ApiKey api, java.util.function.Consumer<ByteBuf> body) throws IOException {
        return StatusResponse.readFrom(client.call(api, body).body()).status();
    }

    private static Transactions.PartitionRecords records(String queue, ByteBuf batches) {
        return new Transactions.PartitionRecords(DestinationType.QUEUE, queue, 0, batches);
    }

    private ResponseStatus commit(List<Transactions.PartitionRecords> records, List<Transactions.QueueAcks> acks)
            throws IOException {
        Transactions.CommitRequest request = new Transactions.CommitRequest(records, acks, List.of());
        return status(ApiKey.COMMIT, request::writeTo);
    }

    private StrandConnectionFactory factory() {
        return new StrandConnectionFactory("strand://127.0.0.1:" + broker.address().getPort());
    }

    private List<String> drain(String queue) throws JMSException {
        try (Connection connection = factory().createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(queue));
            connection.start();
            List<String> texts = new ArrayList<>();
            for (Message m = consumer.receive(500); m != null; m = consumer.receive(300)) {
                texts.add(((TextMessage) m).getText());
            }
            return texts;
        }
    }

    /**
     * Bytes in the queue's log files. Raw batches are not JMS messages, which a JMS receiver would skip, so
     * the log itself tells whether anything was appended.
     */
    private long queueEnd(String queue) {
        java.io.File[] segments = dataDir.resolve("q$" + queue + "-0").toFile().listFiles((d, n) -> n.endsWith(".log"));
        long bytes = 0;
        for (java.io.File segment : segments == null ? new java.io.File[0] : segments) {
            bytes += segment.length();
        }
        return bytes;
    }

    @Test
    void aCommitNamingAnUnknownDestinationAppendsNothingAnywhere() throws IOException {
        ResponseStatus refused = commit(List.of(records("q1", BrokerProtocolTest.batchOf("a")),
                records("q2", BrokerProtocolTest.batchOf("b")), records("nowhere", BrokerProtocolTest.batchOf("c"))),
                List.of());
        assertThat(refused.error()).isEqualTo(ErrorCode.UNKNOWN_DESTINATION);
        assertThat(refused.describe()).contains("nowhere");
        assertThat(queueEnd("q1")).isZero();
        assertThat(queueEnd("q2")).isZero();

        assertThat(commit(List.of(records("q1", BrokerProtocolTest.batchOf("a")),
                records("q2", BrokerProtocolTest.batchOf("b"))), List.of()).isOk()).isTrue();
        assertThat(queueEnd("q1")).isPositive();
        assertThat(queueEnd("q2")).isPositive();
    }

    @Test
    void aCorruptOrOversizedBatchInOnePartitionFailsTheWholeCommit() throws IOException {
        ByteBuf corrupt = BrokerProtocolTest.batchOf("bad");
        corrupt.setByte(corrupt.writerIndex() - 1, corrupt.getByte(corrupt.writerIndex() - 1) ^ 0x5a);
        ResponseStatus refused = commit(List.of(records("q1", BrokerProtocolTest.batchOf("fine")),
                records("q2", corrupt)), List.of());
        assertThat(refused.error()).isEqualTo(ErrorCode.CORRUPT_RECORDS);

        ResponseStatus tooLarge = commit(List.of(records("q1", BrokerProtocolTest.batchOf("fine")),
                records("q2", BrokerProtocolTest.batchOf("x".repeat(MAX_BATCH_BYTES)))), List.of());
        assertThat(tooLarge.error()).isEqualTo(ErrorCode.MESSAGE_TOO_LARGE);
        assertThat(tooLarge.describe()).contains("q2");

        ResponseStatus twice = commit(List.of(records("q1", BrokerProtocolTest.batchOf("one")),
                records("q1", BrokerProtocolTest.batchOf("two"))), List.of());
        assertThat(twice.error()).isEqualTo(ErrorCode.INVALID_REQUEST);

        ResponseStatus unknownConsumer = commit(List.of(records("q1", BrokerProtocolTest.batchOf("fine")),
                records("q2", BrokerProtocolTest.batchOf("fine"))),
                List.of(new Transactions.QueueAcks(99, 0, List.of(new Shares.AckRange(0, 0, Shares.AckType.ACCEPT)))));
        assertThat(unknownConsumer.error()).isEqualTo(ErrorCode.UNKNOWN_CONSUMER);
        assertThat(queueEnd("q1")).isZero();
        assertThat(queueEnd("q2")).isZero();
    }

    /** One batch of {@code values} stamped as an idempotent producer's, as a local transaction's client stamps it. */
    private static ByteBuf stampedBatch(long producerId, int sequence, String... values) {
        RecordBatchBuilder builder = new RecordBatchBuilder().reset(CompressionType.NONE, 0, producerId, (short) 0,
                sequence, false);
        for (String value : values) {
            builder.append(System.currentTimeMillis(), null, ByteBuffer.wrap(value.getBytes(StandardCharsets.UTF_8)),
                    null);
        }
        return Unpooled.wrappedBuffer(builder.build());
    }

    /** The values of the records in a queue's log files, read from the files (trailing preallocated zeros ignored). */
    private List<String> logged(String queue) throws IOException {
        List<String> values = new ArrayList<>();
        java.io.File[] segments = dataDir.resolve("q$" + queue + "-0").toFile().listFiles((d, n) -> n.endsWith(".log"));
        java.util.Arrays.sort(segments == null ? new java.io.File[0] : segments);
        for (java.io.File segment : segments == null ? new java.io.File[0] : segments) {
            ByteBuffer bytes = ByteBuffer.wrap(java.nio.file.Files.readAllBytes(segment.toPath()));
            RecordBatch batch = new RecordBatch();
            RecordIterator records = new RecordIterator();
            for (int pos = 0; pos + RecordBatch.HEADER_SIZE <= bytes.limit(); pos += batch.sizeInBytes()) {
                if (bytes.getInt(pos + RecordBatch.LENGTH_OFFSET) == 0) {
                    break;
                }
                records.reset(batch.wrap(bytes, pos));
                while (records.hasNext()) {
                    values.add(StandardCharsets.UTF_8.decode(records.next().value()).toString());
                }
            }
        }
        return values;
    }

    @Test
    void aCommitSentAgainWithTheClientsStampsAppendsNothingTwice() throws IOException {
        // What a client does when the connection is lost after its commit left: it sends the same bytes again.
        final long client = ClientProducerIds.FIRST; // where a client's producer ids start
        List<Transactions.PartitionRecords> single = List.of(records("q1", stampedBatch(client + 77, 0, "a", "b")));
        assertThat(commit(single, List.of()).isOk()).isTrue();
        assertThat(commit(List.of(records("q1", stampedBatch(client + 77, 0, "a", "b"))), List.of()).isOk()).isTrue();
        assertThat(logged("q1")).containsExactly("a", "b");

        ByteBuf large = Unpooled.wrappedBuffer(stampedBatch(client + 78, 0, "c"), stampedBatch(client + 78, 1, "d", "e"));
        assertThat(commit(List.of(records("q2", large.copy()), records("q3", stampedBatch(client + 79, 5, "f"))), List.of())
                .isOk()).isTrue();
        assertThat(commit(List.of(records("q2", large.copy()), records("q3", stampedBatch(client + 79, 5, "f"))), List.of())
                .isOk()).isTrue();
        assertThat(logged("q2")).containsExactly("c", "d", "e");
        assertThat(logged("q3")).containsExactly("f");

        // The session's next commit follows on; a gap in its sequences is refused before anything is promised.
        assertThat(commit(List.of(records("q2", stampedBatch(client + 78, 3, "g")), records("q3", stampedBatch(client + 79, 6, "h"))),
                List.of()).isOk()).isTrue();
        ResponseStatus gap = commit(List.of(records("q2", stampedBatch(client + 78, 9, "lost")),
                records("q3", stampedBatch(client + 79, 7, "i"))), List.of());
        assertThat(gap.isOk()).isFalse();
        assertThat(gap.describe()).contains("producer " + (client + 78), "sequence 9", "the next is 4");
        assertThat(logged("q2")).containsExactly("c", "d", "e", "g");
        assertThat(logged("q3")).containsExactly("f", "h");

        // A target's batches are one producer's in sequence, or all unstamped.
        ResponseStatus mixed = commit(List.of(records("q4", Unpooled.wrappedBuffer(stampedBatch(client + 80, 0, "j"),
                BrokerProtocolTest.batchOf("k"))), records("q5", stampedBatch(client + 81, 0, "l"))), List.of());
        assertThat(mixed.error()).isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(mixed.describe()).contains("not one producer's in sequence");
        assertThat(logged("q4")).isEmpty();

        // Producer ids below a client's range are the broker's own transaction ids: refused.
        ResponseStatus brokers = commit(List.of(records("q4", stampedBatch(77, 0, "m")),
                records("q5", stampedBatch(client + 82, 0, "n"))), List.of());
        assertThat(brokers.error()).isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(brokers.describe()).contains("producer id 77", "a client's producer ids start at " + client);
        assertThat(logged("q4")).isEmpty();
        assertThat(logged("q5")).isEmpty();
    }

    private Transactions.CommitStatusResponse commitStatus(RawClient on, Transactions.CommitStamp... stamps)
            throws IOException {
        Transactions.CommitStatusRequest request = new Transactions.CommitStatusRequest(List.of(stamps));
        return Transactions.CommitStatusResponse.readFrom(on.call(ApiKey.COMMIT_STATUS, request::writeTo).body());
    }

    private static Transactions.CommitStamp stamp(String queue, long producerId, int sequence) {
        return new Transactions.CommitStamp(DestinationType.QUEUE, queue, 0, producerId, (short) 0, sequence);
    }

    @Test
    void aClientThatLostTheAnswerToItsCommitLearnsWhetherItHappenedAndAnAnswerOfNoStaysTrue() throws IOException {
        final long session = ClientProducerIds.FIRST; // a client's producer ids, one per partition
        assertThat(commit(List.of(records("q1", stampedBatch(session + 1, 0, "a")),
                records("q2", stampedBatch(session + 2, 0, "b"))), List.of()).isOk()).isTrue();
        assertThat(commit(List.of(records("q1", stampedBatch(session + 1, 1, "c")),
                records("q2", stampedBatch(session + 2, 1, "d"))), List.of()).isOk()).isTrue();

        Transactions.CommitStatusResponse first = commitStatus(client, stamp("q1", session + 1, 0),
                stamp("q2", session + 2, 0));
        assertThat(first.status().isOk()).isTrue();
        assertThat(first.committed()).as("an earlier commit of the session").isTrue();
        assertThat(commitStatus(client, stamp("q1", session + 1, 1), stamp("q2", session + 2, 1)).committed()).isTrue();

        // A commit that never arrived: no, and should it arrive after all, it is refused.
        Transactions.CommitStatusResponse never = commitStatus(client, stamp("q1", session + 1, 2),
                stamp("q2", session + 2, 2));
        assertThat(never.status().isOk()).isTrue();
        assertThat(never.committed()).isFalse();
        ResponseStatus late = commit(List.of(records("q1", stampedBatch(session + 1, 2, "late")),
                records("q2", stampedBatch(session + 2, 2, "late"))), List.of());
        assertThat(late.error()).isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(late.describe()).contains("told it did not happen");
        assertThat(logged("q1")).containsExactly("a", "c");
        assertThat(commitStatus(client, stamp("q1", session + 1, 2), stamp("q2", session + 2, 2)).committed())
                .as("asked again").isFalse();

        // A commit refused for a bad batch did not happen either.
        ByteBuf corrupt = stampedBatch(session + 4, 0, "bad");
        corrupt.setByte(corrupt.writerIndex() - 1, corrupt.getByte(corrupt.writerIndex() - 1) ^ 0x5a);
        assertThat(commit(List.of(records("q3", stampedBatch(session + 3, 0, "e")), records("q4", corrupt)), List.of())
                .error()).isEqualTo(ErrorCode.CORRUPT_RECORDS);
        assertThat(commitStatus(client, stamp("q3", session + 3, 0), stamp("q4", session + 4, 0)).committed())
                .isFalse();

        // After a restart the logs alone tell.
        client.close();
        broker.close();
        Properties properties = new Properties();
        properties.setProperty(BrokerConfig.PORT, "0");
        properties.setProperty(BrokerConfig.DATA_DIR, dataDir.toString());
        broker = StrandBroker.start(BrokerConfig.from(properties), null);
        client = new RawClient(broker.address());
        client.handshake(null);
        assertThat(commitStatus(client, stamp("q1", session + 1, 1), stamp("q2", session + 2, 1)).committed()).isTrue();
        assertThat(commitStatus(client, stamp("q1", session + 1, 3), stamp("q2", session + 2, 3)).committed()).isFalse();

        Transactions.CommitStatusResponse unknown = commitStatus(client, stamp("nowhere", session + 1, 0));
        assertThat(unknown.status().error()).isEqualTo(ErrorCode.UNKNOWN_DESTINATION);
        Transactions.CommitStatusResponse unstamped = commitStatus(client, stamp("q1", -1, 0));
        assertThat(unstamped.status().error()).isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(unstamped.status().message()).contains("names no producer for queue q1 partition 0");
        Transactions.CommitStatusResponse brokers = commitStatus(client, stamp("q1", 77, 0));
        assertThat(brokers.status().error()).isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(brokers.status().message()).contains("producer id 77", "a client's producer ids start at");
    }

    @Test
    void aMalformedCommitIsAnsweredAndTheConnectionGoesOn() throws IOException {
        ResponseStatus malformed = status(ApiKey.COMMIT, out -> out.writeInt(1).writeByte(0).writeShort(2)
                .writeBytes(new byte[] {'q', '1'}).writeInt(0).writeInt(1 << 30));
        assertThat(malformed.error()).isEqualTo(ErrorCode.MALFORMED_REQUEST);
        ResponseStatus tooMany = status(ApiKey.COMMIT, out -> out.writeInt(Integer.MAX_VALUE));
        assertThat(tooMany.error()).isEqualTo(ErrorCode.MALFORMED_REQUEST);
        assertThat(status(ApiKey.HEARTBEAT, out -> { }).isOk()).isTrue();
        ByteBuf truncated = BrokerProtocolTest.batchOf("cut");
        ByteBuf half = truncated.slice(0, RecordBatch.HEADER_SIZE);
        assertThat(commit(List.of(records("q1", half)), List.of()).error()).isEqualTo(ErrorCode.CORRUPT_RECORDS);
        assertThat(queueEnd("q1")).isZero();
    }

    @Test
    void aTransactionWhoseDestinationWasDeletedBeforeItsCommitRollsBack() throws Exception {
        try (Connection connection = factory().createConnection()) {
            Session plain = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            plain.createProducer(plain.createQueue("q5")).send(plain.createTextMessage("input"));
            Session session = connection.createSession(Session.SESSION_TRANSACTED);
            MessageConsumer consumer = session.createConsumer(session.createQueue("q5"));
            connection.start();
            assertThat(((TextMessage) consumer.receive(10_000)).getText()).isEqualTo("input");
            MessageProducer producer = session.createProducer(null);
            producer.send(session.createQueue("q3"), session.createTextMessage("to-q3"));
            producer.send(session.createQueue("q4"), session.createTextMessage("to-q4"));
            Destinations.DeleteRequest delete = new Destinations.DeleteRequest(DestinationType.QUEUE, "q4");
            assertThat(status(ApiKey.DELETE_DESTINATION, delete::writeTo).isOk()).isTrue();

            assertThatThrownBy(session::commit).isInstanceOf(TransactionRolledBackException.class)
                    .hasMessageContaining("q4");
            Message again = consumer.receive(10_000);
            assertThat(((TextMessage) again).getText()).isEqualTo("input");
            assertThat(again.getJMSRedelivered()).isTrue();
            assertThat(again.getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
            session.commit(); // the next transaction: only the receive
        }
        assertThat(drain("q3")).isEmpty();
        assertThat(drain("q5")).isEmpty();
    }
}
