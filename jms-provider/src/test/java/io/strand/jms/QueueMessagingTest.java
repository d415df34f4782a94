package io.strand.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strand.protocol.ApiKey;
import io.strand.protocol.Consumers;
import io.strand.protocol.ErrorCode;
import io.strand.protocol.ResponseStatus;
import io.strand.protocol.Shares;
import io.strand.protocol.Shares.AckRange;
import io.strand.protocol.Shares.AckType;
import io.strand.protocol.SubscriptionKind;
import jakarta.jms.DeliveryMode;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueReceiver;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Queue receivers through the client against a {@link FakeBroker} whose queues are share groups:
 * picking acquired records out of pushed batches, delivery counts, accept ranges, redelivery on recover and
 * from a throwing listener (and release for a broker without it), credit held until the connection starts, competing receivers.
 */
class QueueMessagingTest {
    private FakeBroker broker;
    private StrandConnection connection;
    private Queue queue;

    @BeforeEach
    void start() throws Exception {
        broker = new FakeBroker();
        connection = broker.connect("?lingerMs=20");
        queue = new StrandQueue("orders");
    }

    @AfterEach
    void stop() throws Exception {
        connection.close();
        broker.close();
    }

    private void send(String... texts) throws JMSException {
        final Session s = connection.createSession();
        final MessageProducer p = s.createProducer(queue);
        for (String t : texts) {
            p.send(s.createTextMessage(t));
        }
        s.close();
    }

    /** Sends the texts as one batch, so that their records travel together in every push. */
    private void sendOneBatch(String... texts) throws Exception {
        final Session s = connection.createSession();
        final MessageProducer p = s.createProducer(queue);
        p.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
        for (String t : texts) {
            p.send(s.createTextMessage(t));
        }
        s.close();
        waitFor(() -> !broker.requests(ApiKey.PRODUCE).isEmpty());
        Thread.sleep(50); // past the linger: a second batch would have been sent by now
        assertThat(broker.requests(ApiKey.PRODUCE)).hasSize(1);
    }

    private List<AckRange> ackRanges() {
        final List<AckRange> ranges = new ArrayList<>();
        for (FakeBroker.Request r : broker.requests(ApiKey.SHARE_ACKNOWLEDGE)) {
            ranges.addAll(((Shares.AcknowledgeRequest) r.body()).ranges());
        }
        return ranges;
    }

    /** @return the offset ranges of every SHARE_REDELIVER request, in order */
    private List<Shares.OffsetRange> redeliveredRanges() {
        final List<Shares.OffsetRange> ranges = new ArrayList<>();
        for (FakeBroker.Request r : broker.requests(ApiKey.SHARE_REDELIVER)) {
            ranges.addAll(((Shares.RedeliverRequest) r.body()).ranges());
        }
        return ranges;
    }

    private Consumers.OpenRequest opened(int i) {
        return (Consumers.OpenRequest) broker.requests(ApiKey.OPEN_CONSUMER).get(i).body();
    }

    private static String text(Message m) throws JMSException {
        return m == null ? null : ((TextMessage) m).getText();
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        final long deadline = System.currentTimeMillis() + 5000;
        while (!condition.getAsBoolean()) {
            assertThat(System.currentTimeMillis()).as("waited 5 s").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    @Test
    void shouldReceiveFromQueueAndAcceptWhatWasReceivedWhenClosing() throws Exception {
        connection.start();
        final Session session = connection.createSession(Session.AUTO_ACKNOWLEDGE);
        final MessageConsumer consumer = session.createConsumer(queue);
        send("a", "b", "c");
        assertThat(text(consumer.receive(5000))).isEqualTo("a");
        final Message b = consumer.receive(5000);
        assertThat(text(b)).isEqualTo("b");
        assertThat(b.getJMSRedelivered()).isFalse();
        assertThat(b.getIntProperty("JMSXDeliveryCount")).isEqualTo(1);
        assertThat(b.getJMSDestination()).isEqualTo(queue);
        consumer.close(); // "c" was prefetched, never handed out: it is not accepted, the broker releases it

        final Consumers.OpenRequest open = opened(0);
        assertThat(open.kind()).isEqualTo(SubscriptionKind.QUEUE);
        assertThat(open.subscriptionName()).isNull();
        assertThat(open.selector()).isNull();
        assertThat(open.credit()).isEqualTo(1000);
        // The acknowledgement of "a" leaves from the event loop, that of "b" from the closing thread: in either order.
        assertThat(ackRanges()).allMatch(r -> r.type() == AckType.ACCEPT)
                .flatExtracting(r -> offsets(r)).containsExactlyInAnyOrder(0L, 1L);
        assertThat(broker.queue("orders").states()).containsExactly(
                Map.entry(0L, "accepted/1"), Map.entry(1L, "accepted/1"), Map.entry(2L, "available/1"));
    }

    private static List<Long> offsets(AckRange r) {
        final List<Long> offsets = new ArrayList<>();
        for (long o = r.firstOffset(); o <= r.lastOffset(); o++) {
            offsets.add(o);
        }
        return offsets;
    }

    @Test
    void shouldDeliverOnlyAcquiredRecordsOfPushedBatchesWithTheirDeliveryCounts() throws Exception {
        broker.dispatchQueues = false;
        sendOneBatch("m0", "m1", "m2", "m3", "m4", "m5");
        final Session session = connection.createSession(Session.CLIENT_ACKNOWLEDGE);
        final MessageConsumer consumer = session.createConsumer(queue);
        connection.start();
        final int id = opened(0).consumerId();
        // One push whose batch holds six records; this receiver acquired 1, 3..4 (3rd time) and 5 (2nd time).
        broker.pushShare(id, List.of(new Shares.AcquiredRange(3, 4, (short) 3), new Shares.AcquiredRange(1, 1, (short) 1),
                new Shares.AcquiredRange(5, 5, (short) 2)));
        final List<String> seen = new ArrayList<>();
        Message m;
        while ((m = consumer.receive(500)) != null) {
            seen.add(text(m) + ":" + m.getJMSRedelivered() + ":" + m.getIntProperty("JMSXDeliveryCount"));
        }
        assertThat(seen).containsExactly("m1:false:1", "m3:true:3", "m4:true:3", "m5:true:2");

        session.recover(); // nothing acknowledged yet: all four are delivered again, the broker counting it
        assertThat(ackRanges()).isEmpty();
        assertThat(redeliveredRanges()).containsExactly(new Shares.OffsetRange(1, 1), new Shares.OffsetRange(3, 5));
        seen.clear();
        while ((m = consumer.receive(500)) != null) {
            seen.add(text(m) + ":" + m.getJMSRedelivered() + ":" + m.getIntProperty("JMSXDeliveryCount"));
        }
        assertThat(seen).containsExactly("m1:true:2", "m3:true:4", "m4:true:4", "m5:true:3");
    }

    @Test
    void shouldGrantBackCreditForAcquiredRecordsThePushDidNotCarry() throws Exception {
        broker.dispatchQueues = false;
        send("kept");
        try (StrandConnection c = broker.connect("?prefetch=2")) {
            final Session session = c.createSession(Session.AUTO_ACKNOWLEDGE);
            final MessageConsumer consumer = session.createConsumer(queue);
            c.start();
            final int id = ((Consumers.OpenRequest) broker.requests(ApiKey.OPEN_CONSUMER).get(0).body()).consumerId();
            // Offset 5 was acquired but is in no batch (removed by retention on its way): it costs credit
            // that only the client can give back.
            broker.pushShare(id, List.of(new Shares.AcquiredRange(0, 0, (short) 1), new Shares.AcquiredRange(5, 5, (short) 1)));
            waitFor(() -> broker.requests(ApiKey.CONSUMER_CREDIT).size() == 2); // the held prefetch, and 1
            assertThat(broker.requests(ApiKey.CONSUMER_CREDIT)).extracting(r -> ((Consumers.CreditRequest) r.body()).credit())
                    .containsExactlyInAnyOrder(2, 1);
            assertThat(text(consumer.receive(5000))).isEqualTo("kept");
        }
    }

    @Test
    void shouldAcceptEveryConsumedMessageOfEveryQueueReceiverOfTheSessionAsRanges() throws Exception {
        broker.dispatchQueues = false;
        sendOneBatch("m0", "m1", "m2", "m3", "m4", "m5");
        final Queue other = new StrandQueue("invoices");
        final Session session = connection.createSession(Session.CLIENT_ACKNOWLEDGE);
        final MessageConsumer first = session.createConsumer(queue);
        final MessageConsumer second = session.createConsumer(other);
        connection.start();
        broker.pushShare(opened(0).consumerId(), List.of(new Shares.AcquiredRange(0, 1, (short) 1),
                new Shares.AcquiredRange(3, 5, (short) 1)));
        final MessageProducer p = session.createProducer(other);
        p.send(session.createTextMessage("i6"));
        broker.pushShare(opened(1).consumerId(), List.of(new Shares.AcquiredRange(6, 6, (short) 1)));
        for (int i = 0; i < 4; i++) {
            assertThat(first.receive(5000)).isNotNull();
        }
        final Message last = second.receive(5000);
        assertThat(text(last)).isEqualTo("i6");
        assertThat(broker.requests(ApiKey.SHARE_ACKNOWLEDGE)).isEmpty();

        last.acknowledge(); // CLIENT: every message the session consumed, on both receivers; m5 was not consumed
        final List<Shares.AcknowledgeRequest> acks = broker.requests(ApiKey.SHARE_ACKNOWLEDGE).stream()
                .map(r -> (Shares.AcknowledgeRequest) r.body()).toList();
        assertThat(acks).hasSize(2);
        assertThat(acks.get(0).ranges()).containsExactly(new AckRange(0, 1, AckType.ACCEPT), new AckRange(3, 4, AckType.ACCEPT));
        assertThat(acks.get(1).ranges()).containsExactly(new AckRange(6, 6, AckType.ACCEPT));
        assertThat(broker.queue("orders").states()).containsEntry(4L, "accepted/1").containsEntry(5L, "held by "
                + opened(0).consumerId() + "/1");
    }

    @Test
    void shouldRedeliverUnacknowledgedMessagesOnRecoverAheadOfPrefetchedOnesWhileHoldingThem() throws Exception {
        final Session session = connection.createSession(Session.CLIENT_ACKNOWLEDGE);
        final MessageConsumer consumer = session.createConsumer(queue);
        connection.start();
        send("m0", "m1", "m2");
        final Message m0 = consumer.receive(5000);
        assertThat(text(m0)).isEqualTo("m0");
        m0.acknowledge();
        assertThat(text(consumer.receive(5000))).isEqualTo("m1");
        waitFor(() -> broker.queue("orders").states().get(2L).startsWith("held")); // m2 is prefetched

        session.recover(); // a round trip: the broker counted the redelivery before recover returns
        assertThat(ackRanges()).containsExactly(new AckRange(0, 0, AckType.ACCEPT));
        assertThat(redeliveredRanges()).containsExactly(new Shares.OffsetRange(1, 1));
        final int id = opened(0).consumerId();
        assertThat(broker.queue("orders").states()).containsEntry(1L, "held by " + id + "/2");
        final Message again = consumer.receive(5000);
        assertThat(text(again)).isEqualTo("m1");
        assertThat(again.getJMSRedelivered()).isTrue();
        assertThat(again.getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
        final Message m2 = consumer.receive(5000);
        assertThat(text(m2)).isEqualTo("m2");
        assertThat(m2.getJMSRedelivered()).isFalse();
        m2.acknowledge();
        assertThat(broker.queue("orders").states()).containsExactly(Map.entry(0L, "accepted/1"), Map.entry(1L, "accepted/2"),
                Map.entry(2L, "accepted/1"));
    }

    @Test
    void shouldReleaseUnacknowledgedMessagesOnRecoverWhenTheBrokerDoesNotKnowRedelivery() throws Exception {
        broker.errors.put(ApiKey.SHARE_REDELIVER, ResponseStatus.of(ErrorCode.UNSUPPORTED_API, "an older broker"));
        final Session session = connection.createSession(Session.CLIENT_ACKNOWLEDGE);
        final MessageConsumer consumer = session.createConsumer(queue);
        connection.start();
        send("m0");
        assertThat(text(consumer.receive(5000))).isEqualTo("m0");

        session.recover();
        assertThat(ackRanges()).containsExactly(new AckRange(0, 0, AckType.RELEASE));
        final Message again = consumer.receive(5000);
        assertThat(text(again)).isEqualTo("m0");
        assertThat(again.getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
    }

    @Test
    void shouldRedeliverTheMessageAtOnceWhenAnAutoListenerThrowsAndAcceptItsRedelivery() throws Exception {
        final Session session = connection.createSession(Session.AUTO_ACKNOWLEDGE);
        final MessageConsumer consumer = session.createConsumer(queue);
        final List<String> seen = new CopyOnWriteArrayList<>();
        final CountDownLatch twice = new CountDownLatch(2);
        consumer.setMessageListener(m -> {
            try {
                seen.add(text(m) + ":" + m.getJMSRedelivered() + ":" + m.getIntProperty("JMSXDeliveryCount"));
            } catch (JMSException e) {
                throw new IllegalArgumentException(e);
            }
            twice.countDown();
            if (seen.size() == 1) {
                throw new IllegalStateException("listener bug");
            }
        });
        connection.start();
        send("boom");
        assertThat(twice.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(seen).containsExactly("boom:false:1", "boom:true:2");
        connection.stop(); // flushes the accept with a round trip
        assertThat(redeliveredRanges()).containsExactly(new Shares.OffsetRange(0, 0));
        assertThat(ackRanges()).containsExactly(new AckRange(0, 0, AckType.ACCEPT));
    }

    @Test
    void shouldTakeNoQueueRecordsBeforeTheConnectionStarts() throws Exception {
        send("early");
        final Session session = connection.createSession(Session.AUTO_ACKNOWLEDGE);
        final MessageConsumer receiver = session.createConsumer(queue);
        final MessageConsumer subscriber = session.createConsumer(new StrandTopic("news"));
        assertThat(opened(0).credit()).isZero();
        assertThat(opened(1).credit()).isEqualTo(1000); // topics: unchanged, nothing to take from others
        assertThat(receiver.receive(100)).isNull();
        assertThat(broker.queue("orders").states()).containsExactly(Map.entry(0L, "available/0"));

        connection.start();
        assertThat(text(receiver.receive(5000))).isEqualTo("early");
        final List<Consumers.CreditRequest> grants = broker.requests(ApiKey.CONSUMER_CREDIT).stream()
                .map(r -> (Consumers.CreditRequest) r.body()).toList();
        assertThat(grants.get(0)).isEqualTo(new Consumers.CreditRequest(opened(0).consumerId(), 1000));
        connection.stop();
        connection.start(); // the held credit was granted once
        assertThat(broker.requests(ApiKey.CONSUMER_CREDIT).stream()
                .filter(r -> ((Consumers.CreditRequest) r.body()).credit() == 1000)).hasSize(1);
        subscriber.close();
    }

    @Test
    void shouldSplitMessagesBetweenCompetingReceiversWithoutDuplicates() throws Exception {
        try (StrandConnection c = broker.connect("?prefetch=2")) {
            final Session s1 = c.createSession(Session.AUTO_ACKNOWLEDGE);
            final Session s2 = c.createSession(Session.AUTO_ACKNOWLEDGE);
            final MessageConsumer r1 = s1.createConsumer(queue);
            final MessageConsumer r2 = s2.createConsumer(queue);
            c.start();
            final List<String> texts = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                texts.add("m" + i);
            }
            send(texts.toArray(new String[0]));
            final List<String> one = new ArrayList<>();
            final List<String> two = new ArrayList<>();
            while (one.size() + two.size() < 20) {
                final Message a = r1.receive(20);
                final Message b = r2.receive(20);
                if (a != null) {
                    one.add(text(a));
                }
                if (b != null) {
                    two.add(text(b));
                }
            }
            assertThat(one).isNotEmpty();
            assertThat(two).isNotEmpty();
            final Set<String> all = new HashSet<>(one);
            all.addAll(two);
            assertThat(all).hasSize(20).containsAll(texts);
            assertThat(r1.receive(100)).isNull();
            assertThat(r2.receiveNoWait()).isNull();
        }
    }

    @Test
    void shouldAcceptLazilyInDupsOkMode() throws Exception {
        final Session session = connection.createSession(Session.DUPS_OK_ACKNOWLEDGE);
        final MessageConsumer consumer = session.createConsumer(queue);
        connection.start();
        send("a", "b", "c");
        for (int i = 0; i < 3; i++) {
            assertThat(consumer.receive(5000)).isNotNull();
        }
        waitFor(() -> !broker.requests(ApiKey.SHARE_ACKNOWLEDGE).isEmpty());
        assertThat(ackRanges()).containsExactly(new AckRange(0, 2, AckType.ACCEPT)); // one range, one request
    }

    @Test
    void shouldAcceptExpiredMessagesItDropsSoNoOneGetsThemAgain() throws Exception {
        final Session session = connection.createSession(Session.CLIENT_ACKNOWLEDGE);
        final MessageProducer producer = session.createProducer(queue);
        producer.send(session.createTextMessage("stale"), DeliveryMode.PERSISTENT, 4, 1);
        producer.send(session.createTextMessage("fresh"));
        final MessageConsumer consumer = session.createConsumer(queue);
        Thread.sleep(5);
        connection.start();
        assertThat(text(consumer.receive(5000))).isEqualTo("fresh");
        waitFor(() -> !ackRanges().isEmpty());
        assertThat(ackRanges()).containsExactly(new AckRange(0, 0, AckType.ACCEPT));
    }

    @Test
    void shouldOfferTheClassicQueueApiAndRefuseWhatComesLater() throws Exception {
        final QueueSession session = connection.createQueueSession(false, Session.AUTO_ACKNOWLEDGE);
        final QueueReceiver receiver = session.createReceiver(queue);
        assertThat(receiver.getQueue()).isEqualTo(queue);
        assertThat(receiver).isNotInstanceOf(jakarta.jms.TopicSubscriber.class);
        connection.start();
        session.createSender(queue).send(session.createTextMessage("classic"));
        assertThat(text(receiver.receive(5000))).isEqualTo("classic");
        assertThatThrownBy(() -> session.createReceiver(queue, "region = ")).isInstanceOf(InvalidSelectorException.class)
                .hasMessageContaining("position");
        assertThat(connection.createQueueSession(true, Session.AUTO_ACKNOWLEDGE).getTransacted()).isTrue();
    }

    @Test
    void shouldRecoverTopicAndQueueMessagesOfOneSessionLocally() throws Exception {
        final Topic topic = new StrandTopic("news");
        final Session session = connection.createSession(Session.CLIENT_ACKNOWLEDGE);
        final MessageConsumer subscriber = session.createConsumer(topic);
        final MessageConsumer receiver = session.createConsumer(queue);
        connection.start();
        session.createProducer(topic).send(session.createTextMessage("t"));
        send("q");
        assertThat(text(subscriber.receive(5000))).isEqualTo("t");
        assertThat(text(receiver.receive(5000))).isEqualTo("q");
        session.recover();
        // The fake numbers records across destinations: the topic's record is 0, the queue's 1.
        assertThat(ackRanges()).isEmpty();
        assertThat(redeliveredRanges()).containsExactly(new Shares.OffsetRange(1, 1));
        final Message t = subscriber.receive(5000);
        final Message q = receiver.receive(5000);
        assertThat(List.of(text(t), text(q))).containsExactly("t", "q");
        assertThat(t.getJMSRedelivered()).isTrue();
        assertThat(q.getJMSRedelivered()).isTrue();
        q.acknowledge();
        assertThat(broker.requests(ApiKey.ACKNOWLEDGE)).hasSize(1); // the topic's, cumulative
    }

    @Test
    void shouldReceiveFromQueueThroughJmsContext() throws Exception {
        try (JMSContext context = new StrandJMSContext(new SharedConnection(broker.connect("")), JMSContext.AUTO_ACKNOWLEDGE)) {
            final JMSConsumer consumer = context.createConsumer(queue); // auto-start
            context.createProducer().send(queue, "hi");
            assertThat(consumer.receiveBody(String.class, 5000)).isEqualTo("hi");
        }
        assertThat(ackRanges()).containsExactly(new AckRange(0, 0, AckType.ACCEPT)); // flushed by close
    }
}
