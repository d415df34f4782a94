package io.strand.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strand.jms.client.NoLocal;
import io.strand.protocol.ApiKey;
import io.strand.protocol.Consumers;
import io.strand.protocol.Produce;
import jakarta.jms.CompletionListener;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageFormatRuntimeException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Producers, consumers, acknowledgement and recover end to end through the client, against a
 * {@link FakeBroker} that pushes every produced batch to the consumers of its topic.
 */
class MessagingTest {
    private FakeBroker broker;
    private StrandConnection connection;
    private Session session;
    private Topic topic;

    @BeforeEach
    void start() throws Exception {
        broker = new FakeBroker();
        connection = broker.connect("?lingerMs=20");
        session = connection.createSession(Session.AUTO_ACKNOWLEDGE);
        topic = session.createTopic("prices");
    }

    @AfterEach
    void stop() throws Exception {
        connection.close();
        broker.close();
    }

    private List<Produce.Request> produced() {
        return broker.requests(ApiKey.PRODUCE).stream().map(r -> (Produce.Request) r.body()).toList();
    }

    @Test
    void shouldSendPersistentMessageDurablyAndReceiveItWithHeaders() throws Exception {
        final MessageConsumer consumer = session.createConsumer(topic);
        connection.start();
        final MessageProducer producer = session.createProducer(topic);
        producer.setTimeToLive(60_000);
        producer.setPriority(7);
        final TextMessage sent = session.createTextMessage("hello");
        final long before = System.currentTimeMillis();
        producer.send(sent);

        assertThat(produced()).hasSize(1);
        assertThat(produced().get(0).durable()).isTrue();
        assertThat(sent.getJMSMessageID()).startsWith("ID:");
        assertThat(sent.getJMSExpiration()).isBetween(before + 60_000, System.currentTimeMillis() + 60_000);
        final TextMessage received = (TextMessage) consumer.receive(5000);
        assertThat(received.getText()).isEqualTo("hello");
        assertThat(received.getJMSMessageID()).isEqualTo(sent.getJMSMessageID());
        assertThat(received.getJMSPriority()).isEqualTo(7);
        assertThat(received.getJMSDestination()).isEqualTo(topic);
        assertThat(received.getJMSRedelivered()).isFalse();
        assertThat(received.getIntProperty("JMSXDeliveryCount")).isEqualTo(1);
        assertThat(received.getStringProperty(NoLocal.CONNECTION_ID_PROPERTY)).isEqualTo(connection.connectionId());
        // the metadata lookup happened once, with create=true
        assertThat(broker.requests(ApiKey.METADATA)).hasSize(1);
    }

    @Test
    void shouldBatchNonPersistentSendsWithinLinger() throws Exception {
        // A linger far longer than any pause between two sends, however loaded the machine.
        final StrandConnection lingering = broker.connect("?lingerMs=2000");
        final Session session = lingering.createSession(Session.AUTO_ACKNOWLEDGE);
        final MessageProducer producer = session.createProducer(topic);
        producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
        producer.setDisableMessageID(true);
        producer.setDisableMessageTimestamp(true);
        final TextMessage a = session.createTextMessage("a");
        producer.send(a);
        producer.send(session.createTextMessage("b"));
        assertThat(a.getJMSMessageID()).isNull();
        assertThat(a.getJMSTimestamp()).isZero();
        final long deadline = System.currentTimeMillis() + 5000;
        while (produced().isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
        assertThat(produced()).hasSize(1);
        assertThat(produced().get(0).durable()).isFalse();
        assertThat(new io.strand.record.RecordBatch().wrap(produced().get(0).records().nioBuffer(), 0).recordCount())
                .isEqualTo(2);
        lingering.close();
    }

    @Test
    void shouldCompleteAsyncSendsInOrderOnCallbackThread() throws Exception {
        final StrandConnection lingering = broker.connect("?lingerMs=2000");
        final Session session = lingering.createSession(Session.AUTO_ACKNOWLEDGE);
        final MessageProducer producer = session.createProducer(topic);
        final List<String> completed = new CopyOnWriteArrayList<>();
        final CountDownLatch done = new CountDownLatch(3);
        final CompletionListener listener = new CompletionListener() {
            @Override
            public void onCompletion(Message message) {
                try {
                    completed.add(((TextMessage) message).getText() + "@" + Thread.currentThread().getName());
                } catch (Exception e) {
                    completed.add(e.toString());
                }
                done.countDown();
            }

            @Override
            public void onException(Message message, Exception exception) {
                completed.add("failed " + exception);
                done.countDown();
            }
        };
        for (String text : List.of("1", "2", "3")) {
            producer.send(session.createTextMessage(text), listener);
        }
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(completed).hasSize(3).allMatch(s -> s.contains("@strand-callbacks"));
        assertThat(completed.stream().map(s -> s.substring(0, 1)).toList()).containsExactly("1", "2", "3");
        assertThat(produced()).hasSize(1); // batched within the linger
        lingering.close();
    }

    @Test
    void shouldAcknowledgeAutomaticallyAfterReceive() throws Exception {
        final MessageConsumer consumer = session.createConsumer(topic);
        connection.start();
        session.createProducer(topic).send(session.createTextMessage("x"));
        assertThat(consumer.receive(5000)).isNotNull();
        consumer.close(); // flushes acknowledgements with a round trip, then closes the consumer
        final List<Consumers.AcknowledgeRequest> acks = broker.requests(ApiKey.ACKNOWLEDGE).stream()
                .map(r -> (Consumers.AcknowledgeRequest) r.body()).toList();
        assertThat(acks).extracting(Consumers.AcknowledgeRequest::offset).containsExactly(0L);
        assertThat(broker.requests(ApiKey.CLOSE_CONSUMER)).hasSize(1);
    }

    @Test
    void shouldRedeliverUnacknowledgedMessagesOnRecoverInClientMode() throws Exception {
        final Session client = connection.createSession(Session.CLIENT_ACKNOWLEDGE);
        final MessageConsumer consumer = client.createConsumer(topic);
        connection.start();
        final MessageProducer producer = session.createProducer(topic);
        producer.send(session.createTextMessage("m1"));
        producer.send(session.createTextMessage("m2"));
        assertThat(((TextMessage) consumer.receive(5000)).getText()).isEqualTo("m1");
        assertThat(((TextMessage) consumer.receive(5000)).getText()).isEqualTo("m2");
        client.recover();
        final TextMessage again1 = (TextMessage) consumer.receive(5000);
        final TextMessage again2 = (TextMessage) consumer.receive(5000);
        assertThat(List.of(again1.getText(), again2.getText())).containsExactly("m1", "m2");
        assertThat(again1.getJMSRedelivered()).isTrue();
        assertThat(again1.getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
        assertThat(broker.requests(ApiKey.ACKNOWLEDGE)).isEmpty();
        again2.acknowledge();
        final List<Consumers.AcknowledgeRequest> acks = broker.requests(ApiKey.ACKNOWLEDGE).stream()
                .map(r -> (Consumers.AcknowledgeRequest) r.body()).toList();
        assertThat(acks).extracting(Consumers.AcknowledgeRequest::offset).containsExactly(1L); // cumulative
    }

    @Test
    void shouldDeliverToListenersOnTheSessionThread() throws Exception {
        final MessageConsumer consumer = session.createConsumer(topic);
        final List<String> threads = new CopyOnWriteArrayList<>();
        final CountDownLatch got = new CountDownLatch(3);
        consumer.setMessageListener(m -> {
            threads.add(Thread.currentThread().getName());
            got.countDown();
        });
        connection.start();
        final MessageProducer producer = session.createProducer(topic);
        for (int i = 0; i < 3; i++) {
            producer.send(session.createTextMessage("m" + i));
        }
        assertThat(got.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(threads).allMatch(t -> t.startsWith("strand-session-")).hasSize(3);
        assertThat(threads.stream().distinct().count()).isEqualTo(1);
        assertThatThrownBy(consumer::receive).isInstanceOf(jakarta.jms.IllegalStateException.class);
    }

    @Test
    void shouldNotDeliverOwnMessagesToNoLocalConsumer() throws Exception {
        final MessageConsumer local = session.createConsumer(topic, null, true);
        connection.start();
        session.createProducer(topic).send(session.createTextMessage("mine"));
        try (StrandConnection other = broker.connect("")) {
            final Session s = other.createSession();
            s.createProducer(topic).send(s.createTextMessage("theirs"));
        }
        final TextMessage m = (TextMessage) local.receive(5000);
        assertThat(m.getText()).isEqualTo("theirs");
        assertThat(local.receiveNoWait()).isNull();
        assertThat(((Consumers.OpenRequest) broker.requests(ApiKey.OPEN_CONSUMER).get(0).body()).noLocal()).isTrue();
    }

    @Test
    void shouldNotDeliverMessagesThatExpiredOnTheirWay() throws Exception {
        final MessageConsumer consumer = session.createConsumer(topic);
        connection.start();
        final MessageProducer producer = session.createProducer(topic);
        producer.send(session.createTextMessage("stale"), DeliveryMode.PERSISTENT, 4, 1);
        Thread.sleep(5);
        producer.send(session.createTextMessage("fresh"));
        assertThat(((TextMessage) consumer.receive(5000)).getText()).isEqualTo("fresh");
    }

    @Test
    void shouldNotDeliverWhileStopped() throws Exception {
        final MessageConsumer consumer = session.createConsumer(topic);
        session.createProducer(topic).send(session.createTextMessage("x"));
        assertThat(consumer.receive(100)).isNull(); // not started yet
        connection.start();
        assertThat(consumer.receive(5000)).isNotNull();
    }

    @Test
    void shouldOpenDurableSubscriptionAndUnsubscribe() throws Exception {
        try (StrandConnection c = broker.connect("?clientId=durable-app")) {
            final Session s = c.createSession();
            final MessageConsumer sub = s.createDurableConsumer(topic, "audit");
            final Consumers.OpenRequest open = (Consumers.OpenRequest) broker.requests(ApiKey.OPEN_CONSUMER).get(0).body();
            assertThat(open.kind()).isEqualTo(io.strand.protocol.SubscriptionKind.DURABLE);
            assertThat(open.subscriptionName()).isEqualTo("audit");
            assertThatThrownBy(() -> s.unsubscribe("audit")).isInstanceOf(jakarta.jms.IllegalStateException.class);
            sub.close();
            s.unsubscribe("audit");
            assertThat(((Consumers.UnsubscribeRequest) broker.requests(ApiKey.UNSUBSCRIBE).get(0).body())
                    .subscriptionName()).isEqualTo("audit");
        }
    }

    @Test
    void shouldSendAndReceiveThroughJmsContext() throws Exception {
        try (JMSContext context = new StrandJMSContext(new SharedConnection(broker.connect("")), JMSContext.AUTO_ACKNOWLEDGE)) {
            context.setClientID("ctx-app"); // still allowed: the session is created lazily
            final JMSConsumer consumer = context.createConsumer(topic);
            context.createProducer().setProperty("n", 5).setJMSType("greeting").send(topic, "hi");
            final Message m = consumer.receive(5000);
            assertThat(m.getBody(String.class)).isEqualTo("hi");
            assertThat(m.getIntProperty("n")).isEqualTo(5);
            assertThat(m.getJMSType()).isEqualTo("greeting");
            context.createProducer().send(topic, new byte[] {1, 2});
            assertThatThrownBy(() -> consumer.receiveBody(String.class, 5000))
                    .isInstanceOf(MessageFormatRuntimeException.class);
            assertThat(consumer.receiveBody(byte[].class, 5000)).containsExactly(1, 2); // put back, not lost
            context.createProducer().send(topic, context.createStreamMessage());
            assertThatThrownBy(() -> consumer.receiveBody(Object.class, 5000)) // stream bodies are never returned
                    .isInstanceOf(MessageFormatRuntimeException.class);
        }
    }

    @Test
    void shouldCountMistypedReceiveBodyAsDeliveredInClientMode() throws Exception {
        try (JMSContext context = new StrandJMSContext(new SharedConnection(broker.connect("")),
                JMSContext.CLIENT_ACKNOWLEDGE)) {
            final JMSConsumer consumer = context.createConsumer(topic);
            context.createProducer().send(topic, "text");
            context.createProducer().send(topic, "next");
            assertThatThrownBy(() -> consumer.receiveBody(Integer.class, 5000))
                    .isInstanceOf(MessageFormatRuntimeException.class);
            assertThat(consumer.receiveBody(String.class, 5000)).isEqualTo("next"); // not delivered again
            context.recover();
            final Message again = consumer.receive(5000);
            assertThat(again.getBody(String.class)).isEqualTo("text");
            assertThat(again.getJMSRedelivered()).isTrue();
        }
    }

    @Test
    void shouldGrantCreditAfterHalfThePrefetchIsConsumed() throws Exception {
        try (StrandConnection c = broker.connect("?prefetch=4")) {
            final Session s = c.createSession();
            final MessageConsumer consumer = s.createConsumer(topic);
            c.start();
            final MessageProducer p = s.createProducer(topic);
            for (int i = 0; i < 4; i++) {
                p.send(s.createTextMessage("m" + i));
            }
            assertThat(((Consumers.OpenRequest) broker.requests(ApiKey.OPEN_CONSUMER).get(0).body()).credit()).isEqualTo(4);
            consumer.receive(5000);
            assertThat(broker.requests(ApiKey.CONSUMER_CREDIT)).isEmpty();
            consumer.receive(5000);
            final CompletableFuture<Void> waited = CompletableFuture.runAsync(() -> {
                while (broker.requests(ApiKey.CONSUMER_CREDIT).isEmpty()) {
                    Thread.onSpinWait();
                }
            });
            waited.get(5, TimeUnit.SECONDS);
            assertThat(((Consumers.CreditRequest) broker.requests(ApiKey.CONSUMER_CREDIT).get(0).body()).credit()).isEqualTo(2);
        }
    }
}
