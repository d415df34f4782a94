package io.strand.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.strand.broker.BrokerConfig;
import io.strand.broker.StrandBroker;
import io.strand.jms.StrandConnectionFactory;
import io.strand.jms.StrandXAConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.XAConnection;
import jakarta.jms.XASession;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Runs strand-admin commands in this JVM against a real broker on 127.0.0.1, as an operator would type them. */
class StrandAdminCliTest {
    @TempDir
    Path dataDir;
    private StrandBroker broker;
    private final List<Connection> connections = new ArrayList<>();

    /** What one command printed and its exit status. */
    record Run(int status, String out, String err) {
    }

    @BeforeEach
    void start() {
        Properties properties = new Properties();
        properties.setProperty(BrokerConfig.PORT, "0");
        properties.setProperty(BrokerConfig.HOST, "127.0.0.1");
        properties.setProperty(BrokerConfig.DATA_DIR, dataDir.toString());
        properties.setProperty(BrokerConfig.MAX_DELIVERY_ATTEMPTS, "1");
        broker = StrandBroker.start(BrokerConfig.from(properties), null);
    }

    @AfterEach
    void stop() throws Exception {
        for (Connection connection : connections) {
            connection.close();
        }
        broker.close();
    }

    private String url() {
        return "strand://127.0.0.1:" + broker.address().getPort();
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine line = StrandAdminCli.commandLine();
        line.setOut(new PrintWriter(out));
        line.setErr(new PrintWriter(err));
        String[] withUrl = Stream.concat(Stream.of(args), Stream.of("--url", url())).toArray(String[]::new);
        boolean needsUrl = args.length >= 2 && !args[args.length - 1].equals("--help");
        int status = line.execute(needsUrl ? withUrl : args);
        return new Run(status, out.toString(), err.toString());
    }

    private Run ok(String... args) {
        Run run = run(args);
        assertThat(run.status()).as("exit status of %s; stderr %s", String.join(" ", args), run.err()).isZero();
        return run;
    }

    private Session session(String clientId, int ackMode) throws Exception {
        Connection connection = new StrandConnectionFactory(url()).createConnection();
        if (clientId != null) {
            connection.setClientID(clientId);
        }
        connection.start();
        connections.add(connection);
        return connection.createSession(false, ackMode);
    }

    private void sendToQueue(String queue, String... texts) throws Exception {
        Session session = session(null, Session.AUTO_ACKNOWLEDGE);
        MessageProducer producer = session.createProducer(session.createQueue(queue));
        for (String text : texts) {
            producer.send(session.createTextMessage(text));
        }
        session.close();
    }

    @Test
    void describesTheClusterAsATableAndAsJson() {
        Run table = ok("cluster", "describe");
        assertThat(table.out()).contains("controller:").contains("BROKERS").contains("ID  HOST       PORT")
                .contains("0   127.0.0.1  " + broker.address().getPort());
        Run json = ok("cluster", "describe", "--output", "json");
        assertThat(json.out()).contains("\"controller\": 0").contains("\"host\": \"127.0.0.1\"")
                .contains("\"port\": " + broker.address().getPort());
    }

    @Test
    void aBrokerThatRunsAloneHasNoActiveRoleToHandOver() {
        Run move = run("cluster", "move-active", "2");
        assertThat(move.status()).isEqualTo(1);
        assertThat(move.err()).startsWith("strand-admin: moving the active role to broker 2: ")
                .contains("runs alone: there is no other broker to take the active role");
        assertThat(run("cluster", "move-active", "two").status()).isEqualTo(2);
    }

    @Test
    void createsADestinationWithItsReplicationAndShowsIt() {
        assertThat(ok("destinations", "create", "single", "-t", "queue", "--replication-factor", "1",
                "--min-insync-replicas", "1").out()).containsPattern("replication factor: +1")
                .containsPattern("min insync replicas: +1");
        Run described = ok("destinations", "describe", "single");
        assertThat(described.out()).containsPattern("replication factor: +1").containsPattern("min insync replicas: +1");
        assertThat(ok("destinations", "describe", "single", "-o", "json").out()).contains("\"replicationFactor\": 1")
                .contains("\"minInsyncReplicas\": 1");

        Run twoCopies = run("destinations", "create", "pair", "-t", "queue", "--replication-factor", "2");
        assertThat(twoCopies.status()).isEqualTo(1);
        assertThat(twoCopies.err()).startsWith("strand-admin: creating queue pair: ")
                .contains("replication.factor=2 of queue pair needs a cluster");
        Run none = run("destinations", "create", "pair", "-t", "queue", "--min-insync-replicas", "0");
        assertThat(none.status()).isEqualTo(1);
        assertThat(none.err()).contains("min.insync.replicas=0 of queue pair must be at least 1");
        Run notANumber = run("destinations", "create", "pair", "-t", "queue", "--replication-factor", "two");
        assertThat(notANumber.status()).isEqualTo(2);
        assertThat(notANumber.err()).contains("--replication-factor").contains("two");

        Run alterCopies = run("destinations", "alter", "single", "-t", "queue", "--replication-factor", "3");
        assertThat(alterCopies.status()).isEqualTo(1);
        assertThat(alterCopies.err()).startsWith("strand-admin: altering queue single: ")
                .contains("replication.factor=3 of queue single needs a cluster");
        Run alterMinInsync = run("destinations", "alter", "single", "-t", "queue", "--min-insync-replicas", "2");
        assertThat(alterMinInsync.status()).isEqualTo(1);
        assertThat(alterMinInsync.err()).contains("min.insync.replicas=2 of queue single is more than its "
                + "replication.factor=1");
        assertThat(ok("destinations", "alter", "single", "-t", "queue", "--min-insync-replicas", "1").out())
                .containsPattern("min insync replicas: +1");
    }

    @Test
    void createsListsDescribesAltersAndDeletesDestinations() throws Exception {
        assertThat(ok("destinations", "create", "orders", "--type", "queue", "-p", "2", "--retention-ms", "3600000").out())
                .contains("orders").contains("1h00m");
        sendToQueue("orders", "a", "b", "c");
        Run list = ok("destinations", "list");
        assertThat(list.out()).contains("TYPE   NAME    PARTITIONS  MESSAGES  SIZE BYTES  RETENTION  RETENTION BYTES")
                .containsPattern("queue  orders  2 +3 ");
        assertThat(ok("destinations", "list", "-o", "json").out()).contains("\"messages\": 3")
                .contains("\"retentionMs\": 3600000").contains("\"retentionBytes\": \"none\"");

        Run described = ok("destinations", "describe", "orders");
        assertThat(described.out()).contains("partitions:").contains("PARTITION DETAILS")
                .contains("PARTITION  LEADER  REPLICAS  ISR  LOG START OFFSET  LOG END OFFSET  HIGH WATERMARK");

        assertThat(ok("destinations", "alter", "orders", "-t", "queue", "-p", "3", "--retention-bytes", "1048576").out())
                .containsPattern("partitions: +3").containsPattern("retention bytes: +1048576");
        Run shrink = run("destinations", "alter", "orders", "-t", "queue", "-p", "1");
        assertThat(shrink.status()).isEqualTo(1);
        assertThat(shrink.err()).startsWith("strand-admin: altering queue orders: ").contains("never removed");

        assertThat(ok("destinations", "delete", "orders", "-t", "queue").out()).contains("queue orders");
        assertThat(ok("destinations", "list").out()).contains("(none)");
        Run missing = run("destinations", "describe", "orders", "-t", "queue");
        assertThat(missing.status()).isEqualTo(1);
        assertThat(missing.err()).contains("queue orders does not exist");
    }

    @Test
    void showsSubscriptionLagAndRewindsBySubscriptionOffsetAndTime() throws Exception {
        Session session = session("reports", Session.AUTO_ACKNOWLEDGE);
        session.createDurableSubscriber(session.createTopic("sales"), "daily").close();
        MessageProducer producer = session.createProducer(session.createTopic("sales"));
        for (String text : new String[] {"s1", "s2", "s3"}) {
            producer.send(session.createTextMessage(text));
        }
        Run list = ok("subscriptions", "list");
        assertThat(list.out()).containsPattern("CLIENT ID +NAME +TOPIC +KIND +CONSUMERS +LAG +IN FLIGHT +OLDEST AGE"
                        + " +DEAD LETTERS +SELECTOR")
                .containsPattern("reports +daily +sales +durable +0 +3 +0 ");
        Run described = ok("subscriptions", "describe", "reports", "daily", "-o", "json");
        assertThat(described.out()).contains("\"lag\": 3").contains("\"position\": 0").contains("\"highWatermark\": 3")
                .contains("\"kind\": \"durable\"").contains("\"members\": []");

        MessageConsumer consumer = session.createDurableSubscriber(session.createTopic("sales"), "daily");
        for (int i = 0; i < 3; i++) {
            assertThat(consumer.receive(10_000)).isNotNull();
        }
        Run busy = run("subscriptions", "rewind", "reports", "daily", "--to-offset", "0");
        assertThat(busy.status()).isEqualTo(1);
        assertThat(busy.err()).contains("active consumer");
        consumer.close();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(ok("subscriptions", "list", "--topic", "sales", "-o", "json").out()).contains("\"lag\": 0"));

        assertThat(ok("subscriptions", "rewind", "reports", "daily", "--to-time", "-1h").out())
                .contains("PARTITION  POSITION").containsPattern("0 +0");
        assertThat(ok("subscriptions", "list", "-o", "json").out()).contains("\"lag\": 3");
        assertThat(ok("subscriptions", "rewind", "reports", "daily", "--to-offset", "2", "--partition", "0").out())
                .containsPattern("0 +2");
        consumer = session.createDurableSubscriber(session.createTopic("sales"), "daily");
        assertThat(((TextMessage) consumer.receive(10_000)).getText()).isEqualTo("s3");
        consumer.close();

        Run both = run("subscriptions", "rewind", "reports", "daily", "--to-offset", "0", "--to-time", "-1h");
        assertThat(both.status()).isEqualTo(2);
        assertThat(both.err()).contains("mutually exclusive");
        Run beyond = run("subscriptions", "rewind", "reports", "daily", "--to-offset", "9");
        assertThat(beyond.status()).isEqualTo(1);
        assertThat(beyond.err()).contains("past the high watermark 3");
        Run badTime = run("subscriptions", "rewind", "reports", "daily", "--to-time", "yesterday");
        assertThat(badTime.status()).isEqualTo(2);
        assertThat(badTime.err()).contains("is no time");

        ok("subscriptions", "delete", "reports", "daily");
        assertThat(ok("subscriptions", "list").out()).contains("(none)");
    }

    @Test
    void showsShareGroupsRewindsAQueueAndRedrivesItsDeadLetters() throws Exception {
        sendToQueue("tasks", "t1", "t2");
        Run list = ok("share-groups", "list");
        assertThat(list.out()).contains("QUEUE  CONSUMERS  LAG  IN FLIGHT  OLDEST AGE  DEAD LETTER QUEUE  DEAD LETTERS")
                .containsPattern("tasks +0 +2 +0 .*DLQ.tasks +0");

        Session session = session(null, Session.CLIENT_ACKNOWLEDGE);
        MessageConsumer receiver = session.createConsumer(session.createQueue("tasks"));
        Message first = receiver.receive(10_000);
        assertThat(receiver.receive(10_000)).isNotNull();
        assertThat(ok("share-groups", "describe", "tasks", "-o", "json").out()).contains("\"consumers\": 1");
        session.recover(); // max.delivery.attempts=1: both go to DLQ.tasks
        assertThat(receiver.receive(300)).isNull();
        receiver.close();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(ok("share-groups", "list", "--queue", "tasks", "-o", "json").out())
                        .contains("\"deadLetters\": 2").contains("\"lag\": 0"));
        assertThat(first).isNotNull();

        assertThat(ok("destinations", "browse", "DLQ.tasks", "--max", "5").out())
                .contains("OFFSET  TIMESTAMP").contains("JMS_Strand_OriginalQueue=tasks").contains("t1").contains("t2");
        Run redrive = ok("dlq", "redrive", "DLQ.tasks");
        assertThat(redrive.out()).containsPattern("moved: +2").contains("MOVED TO")
                .containsPattern("DESTINATION +SUBSCRIPTION +MOVED").containsPattern("tasks +- +2");
        assertThat(ok("share-groups", "list", "--queue", "tasks", "-o", "json").out())
                .contains("\"deadLetters\": 0").contains("\"lag\": 2");

        assertThat(ok("destinations", "purge", "tasks").out()).containsPattern("purged: +2");
        // The queue's log holds the two originals and their two copies: a rewind to 0 offers all four again.
        assertThat(ok("share-groups", "rewind", "tasks", "--to-offset", "0").out()).containsPattern("0 +0");
        assertThat(ok("share-groups", "describe", "tasks").out()).containsPattern("lag: +4")
                .contains("PARTITION  START OFFSET  HIGH WATERMARK  LAG  IN FLIGHT  DELAYED  OLDEST AGE");
    }

    @Test
    void listsConnectionsByClientIdWithEachSessionsConsumers() throws Exception {
        sendToQueue("invoices", "i1", "i2", "i3");
        Connection connection = new StrandConnectionFactory(url() + "?prefetch=2").createConnection();
        connection.setClientID("billing");
        connection.start();
        connections.add(connection);
        connection.createSession(false, Session.AUTO_ACKNOWLEDGE).createProducer(null); // no consumers: not listed
        Session receiving = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        receiving.createConsumer(receiving.createQueue("invoices"));
        Session subscribing = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        subscribing.createConsumer(subscribing.createTopic("events"), "region = 'eu'");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(ok("connections", "list").out())
                .containsPattern("CLIENT ID +REMOTE ADDRESS +USER +SESSION +CONSUMER +KIND +DESTINATION +SUBSCRIPTION"
                        + " +DELIVERY RATE +IN FLIGHT +LAG +OLDEST AGE +SELECTOR")
                .containsPattern("billing +/127.0.0.1:\\d+ +- +1 +\\d+ +queue +invoices +- +[0-9.]+ +2 +1 ")
                .containsPattern("billing +/127.0.0.1:\\d+ +- +2 +\\d+ +non-durable +events +- +0.0 +0 +0 +- +region = 'eu'"));
        // The client id's connections come first; the admin's own, without a client id, after them.
        Run table = ok("connections", "list");
        assertThat(table.out().lines().skip(1).findFirst().orElseThrow()).startsWith("billing");
        assertThat(table.out()).containsPattern("\n- +/127.0.0.1");

        Run json = ok("connections", "list", "--client-id", "billing", "-o", "json");
        assertThat(json.out()).contains("\"clientId\": \"billing\"").contains("\"sessions\": [")
                .contains("\"session\": 1").contains("\"session\": 2").contains("\"kind\": \"queue\"")
                .contains("\"inFlight\": 2").contains("\"lag\": 1").contains("\"selector\": \"region = 'eu'\"")
                .contains("\"delivered\": 2").doesNotContain("\"clientId\": null");
    }

    @Test
    void showsSharedSubscriptionsRedrivesTheirDeadLettersAndDeletesThem() throws Exception {
        Session counting = session(null, Session.CLIENT_ACKNOWLEDGE);
        MessageConsumer counter = counting.createSharedDurableConsumer(counting.createTopic("clicks"), "counter");
        MessageProducer producer = session(null, Session.AUTO_ACKNOWLEDGE).createProducer(counting.createTopic("clicks"));
        producer.send(counting.createTextMessage("c1"));
        producer.send(counting.createTextMessage("c2"));
        assertThat(counter.receive(10_000)).isNotNull();
        assertThat(counter.receive(10_000)).isNotNull();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(ok("subscriptions", "list").out())
                .containsPattern("- +counter +clicks +shared-durable +1 +2 +2 .* +0 +-"));
        assertThat(ok("subscriptions", "describe", "-", "counter").out()).containsPattern("dead letter queue: +DLQ.clicks")
                .contains("MEMBERS").containsPattern("PARTITION +POSITION +HIGH WATERMARK +LAG +IN FLIGHT +OLDEST AGE");
        Run busy = run("subscriptions", "delete", "-", "counter");
        assertThat(busy.status()).isEqualTo(1);
        assertThat(busy.err()).contains("active consumer");

        counting.recover(); // max.delivery.attempts=1: both go to DLQ.clicks
        assertThat(counter.receive(300)).isNull();
        counter.close();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(ok("subscriptions", "list", "--topic", "clicks", "-o", "json").out())
                        .contains("\"deadLetters\": 2").contains("\"lag\": 0"));
        Run redrive = ok("dlq", "redrive", "DLQ.clicks");
        assertThat(redrive.out()).containsPattern("moved: +2").containsPattern("clicks +counter +2");
        assertThat(ok("subscriptions", "list", "-o", "json").out()).contains("\"deadLetters\": 0").contains("\"lag\": 2");

        ok("subscriptions", "delete", "-", "counter");
        assertThat(ok("subscriptions", "list").out()).contains("(none)");
        Run gone = run("subscriptions", "describe", "-", "counter");
        assertThat(gone.status()).isEqualTo(2);
        assertThat(gone.err()).contains("without a client id there is no subscription 'counter'");
    }

    /** An Xid as a transaction manager makes one. */
    private record TmXid(int getFormatId, byte[] getGlobalTransactionId, byte[] getBranchQualifier) implements Xid {
    }

    @Test
    void listsPreparedXaBranchesAndDecidesThemHeuristically() throws Exception {
        try (XAConnection connection = new StrandXAConnectionFactory(url()).createXAConnection()) {
            XASession session = connection.createXASession();
            XAResource resource = session.getXAResource();
            for (byte branch = 1; branch <= 2; branch++) {
                Xid xid = new TmXid(7, new byte[] {(byte) 0xab, branch}, new byte[] {1});
                resource.start(xid, XAResource.TMNOFLAGS);
                session.createProducer(session.createQueue("xa")).send(session.createTextMessage("m" + branch));
                resource.end(xid, XAResource.TMSUCCESS);
                resource.prepare(xid);
            }
        }
        assertThat(ok("transactions", "list").out()).contains("XID").containsPattern("7:ab01:01 +PREPARED")
                .containsPattern("7:ab02:01 +PREPARED");
        assertThat(ok("transactions", "commit", "7:ab01:01").out()).contains("HEURISTIC_COMMIT");
        assertThat(ok("transactions", "rollback", "7:ab02:01").out()).contains("HEURISTIC_ROLLBACK");
        assertThat(ok("transactions", "list").out()).containsPattern("7:ab01:01 +HEURISTIC_COMMIT");
        Run again = run("transactions", "commit", "7:ab02:01");
        assertThat(again.status()).isEqualTo(1);
        assertThat(again.err()).contains("rolled back by an operator");
        Run bad = run("transactions", "commit", "not-an-xid");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).contains("formatId:globalTransactionIdHex:branchQualifierHex");
        Session session = session(null, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = session.createConsumer(session.createQueue("xa"));
        assertThat(((TextMessage) consumer.receive(10_000)).getText()).isEqualTo("m1");
        assertThat(consumer.receive(300)).isNull();
    }

    @Test
    void saysWhatIsWrongWithACommandLine() {
        Run group = run("destinations");
        assertThat(group.status()).isEqualTo(2);
        assertThat(group.err()).contains("choose one of: list, describe, create, alter, delete, purge, browse");
        Run unknown = run("topics", "list");
        assertThat(unknown.status()).isEqualTo(2);
        Run noType = run("destinations", "create", "x");
        assertThat(noType.status()).isEqualTo(2);
        assertThat(noType.err()).contains("--type");
        Run help = run("destinations", "--help");
        assertThat(help.status()).isZero();
        assertThat(help.out()).contains("browse").contains("purge");

        StringWriter err = new StringWriter();
        CommandLine line = StrandAdminCli.commandLine();
        line.setErr(new PrintWriter(err));
        line.setOut(new PrintWriter(new StringWriter()));
        assertThat(line.execute("cluster", "describe", "--url", "strand://127.0.0.1:1")).isEqualTo(1);
        assertThat(err.toString()).startsWith("strand-admin: cannot connect");
    }
}
