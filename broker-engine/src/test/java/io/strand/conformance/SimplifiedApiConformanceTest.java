package io.strand.conformance;

import static io.strand.conformance.ConformanceBroker.QUIET_MS;
import static io.strand.conformance.ConformanceBroker.WAIT_MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.CompletionListener;
import jakarta.jms.DeliveryMode;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatRuntimeException;
import jakarta.jms.Queue;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The simplified API of Jakarta Messaging 3.1 (§2.8, JMSContext, JMSProducer, JMSConsumer): sending
 * bodies directly and receiving them with receiveBody (§8.6), JMSProducer properties, headers, delivery
 * options and method chaining (§7.5, §7.6, §7.10), auto-start (§6.1.4), acknowledgement through the
 * context, closing, and unchecked exceptions in place of checked ones (§10.2).
 */
class SimplifiedApiConformanceTest {
    @RegisterExtension
    static final ConformanceBroker BROKER = new ConformanceBroker("simplified");

    /** A serializable application type for ObjectMessage bodies. */
    record Order(String item, int quantity) implements Serializable {
    }

    private static String text(Message m) throws Exception {
        return m == null ? null : ((TextMessage) m).getText();
    }

    /** §7.2 and §8.6: JMSProducer sends a String, Map, byte[] or Serializable body; receiveBody returns it. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void bodiesAreSentAndReceivedDirectly(Transport transport) {
        try (JMSContext context = BROKER.factory(transport).createContext()) {
            Queue queue = context.createQueue(BROKER.unique("bodies"));
            JMSConsumer consumer = context.createConsumer(queue);
            JMSProducer producer = context.createProducer();
            producer.send(queue, "text");
            producer.send(queue, Map.<String, Object>of("n", 1, "s", "x"));
            producer.send(queue, new byte[] {1, 2, 3});
            producer.send(queue, new Order("pen", 3));

            assertThat(consumer.receiveBody(String.class, WAIT_MS)).isEqualTo("text");
            assertThat(consumer.receiveBody(Map.class, WAIT_MS)).isEqualTo(Map.of("n", 1, "s", "x"));
            assertThat(consumer.receiveBody(byte[].class, WAIT_MS)).containsExactly(1, 2, 3);
            assertThat(consumer.receiveBody(Serializable.class, WAIT_MS)).isEqualTo(new Order("pen", 3));
            assertThat(consumer.receiveBodyNoWait(String.class)).isNull();
        }
    }

    /**
     * §8.6: a body that cannot be assigned to the type throws MessageFormatRuntimeException; in AUTO mode
     * the message is delivered again next, and that is not a redelivery.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void receiveBodyOfTheWrongTypeLeavesTheMessageForTheNextReceiveInAutoMode(Transport transport) throws Exception {
        try (JMSContext context = BROKER.factory(transport).createContext(JMSContext.AUTO_ACKNOWLEDGE)) {
            Queue queue = context.createQueue(BROKER.unique("wrongtype"));
            JMSConsumer consumer = context.createConsumer(queue);
            context.createProducer().send(queue, "first").send(queue, "second");

            assertThatThrownBy(() -> consumer.receiveBody(Map.class, WAIT_MS)).isInstanceOf(MessageFormatRuntimeException.class);
            Message again = consumer.receive(WAIT_MS);
            assertThat(text(again)).isEqualTo("first");
            assertThat(again.getJMSRedelivered()).isFalse();
            assertThat(again.getIntProperty("JMSXDeliveryCount")).isEqualTo(1);
            assertThat(consumer.receiveBody(String.class, WAIT_MS)).isEqualTo("second");
        }
    }

    /**
     * §8.6: in CLIENT mode a failed receiveBody counts as delivered: the next message comes next, and
     * recover redelivers the failed one, marked redelivered.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void receiveBodyOfTheWrongTypeCountsAsDeliveredInClientMode(Transport transport) throws Exception {
        try (JMSContext context = BROKER.factory(transport).createContext(JMSContext.CLIENT_ACKNOWLEDGE)) {
            Queue queue = context.createQueue(BROKER.unique("wrongtypeclient"));
            JMSConsumer consumer = context.createConsumer(queue);
            context.createProducer().send(queue, "first").send(queue, "second");

            assertThatThrownBy(() -> consumer.receiveBody(byte[].class, WAIT_MS)).isInstanceOf(MessageFormatRuntimeException.class);
            assertThat(consumer.receiveBody(String.class, WAIT_MS)).isEqualTo("second");
            context.recover();
            List<Message> redelivered = new ArrayList<>();
            redelivered.add(consumer.receive(WAIT_MS));
            redelivered.add(consumer.receive(WAIT_MS));
            // §6.2.10: recover restarts with the first unacknowledged message
            assertThat(redelivered).extracting(m -> ((TextMessage) m).getText()).containsExactly("first", "second");
            assertThat(redelivered).allSatisfy(m -> assertThat(m.getJMSRedelivered()).isTrue());
            context.acknowledge();
        }
    }

    /**
     * §8.6 and JMSConsumer.receiveBody: a message without a body (null text, empty map, empty bytes, null
     * object) throws MessageFormatRuntimeException rather than returning a null that looks like a timeout;
     * in AUTO and DUPS_OK mode it is not consumed: the next receive returns it, not as a redelivery.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void receiveBodyRefusesMessagesWithoutABodyAndLeavesThemForTheNextReceive(Transport transport) throws Exception {
        for (int mode : new int[] {JMSContext.AUTO_ACKNOWLEDGE, JMSContext.DUPS_OK_ACKNOWLEDGE}) {
            try (JMSContext context = BROKER.factory(transport).createContext(mode)) {
                Queue queue = context.createQueue(BROKER.unique("nobody"));
                JMSConsumer consumer = context.createConsumer(queue);
                List<Message> withoutBody = List.of(context.createTextMessage(), context.createMapMessage(),
                        context.createBytesMessage(), context.createObjectMessage());
                for (Message m : withoutBody) {
                    context.createProducer().send(queue, m);
                }
                for (Message sent : withoutBody) {
                    assertThatThrownBy(() -> consumer.receiveBody(Object.class, WAIT_MS))
                            .as("receiveBody of an empty " + sent.getClass().getSimpleName())
                            .isInstanceOf(MessageFormatRuntimeException.class);
                    Message again = consumer.receive(WAIT_MS);
                    assertThat(again).as("the empty message stays for the next receive").isNotNull();
                    assertThat(again.getJMSMessageID()).isEqualTo(sent.getJMSMessageID());
                    assertThat(again.getJMSRedelivered()).isFalse();
                    assertThat(again.getIntProperty("JMSXDeliveryCount")).isEqualTo(1);
                }
                assertThat(consumer.receiveBodyNoWait(String.class)).isNull();
            }
        }
    }

    /** §8.6: receiveBody does not take a StreamMessage or a plain Message: MessageFormatRuntimeException. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void receiveBodyRefusesStreamAndPlainMessages(Transport transport) {
        try (JMSContext context = BROKER.factory(transport).createContext()) {
            Queue queue = context.createQueue(BROKER.unique("unsupported"));
            JMSConsumer consumer = context.createConsumer(queue);
            context.createProducer().send(queue, context.createStreamMessage());

            assertThatThrownBy(() -> consumer.receiveBody(Object.class, WAIT_MS)).isInstanceOf(MessageFormatRuntimeException.class);
            consumer.receive(WAIT_MS);
            context.createProducer().send(queue, context.createMessage());
            assertThatThrownBy(() -> consumer.receiveBody(Object.class, WAIT_MS)).isInstanceOf(MessageFormatRuntimeException.class);
        }
    }

    /** §7.10: every JMSProducer setter returns the producer itself, and so does send. */
    @Test
    void jmsProducerMethodsChain() {
        try (JMSContext context = BROKER.factory(Transport.VM).createContext()) {
            JMSProducer producer = context.createProducer();
            Queue queue = context.createQueue(BROKER.unique("chain"));

            assertThat(List.of(producer.setDeliveryMode(DeliveryMode.PERSISTENT), producer.setPriority(4),
                    producer.setTimeToLive(0), producer.setDeliveryDelay(0), producer.setDisableMessageID(false),
                    producer.setDisableMessageTimestamp(false), producer.setAsync(null),
                    producer.setProperty("b", true), producer.setProperty("y", (byte) 1),
                    producer.setProperty("s", (short) 1), producer.setProperty("i", 1), producer.setProperty("l", 1L),
                    producer.setProperty("f", 1f), producer.setProperty("d", 1d), producer.setProperty("t", "x"),
                    producer.setProperty("o", (Object) 1), producer.clearProperties(), producer.setJMSCorrelationID("c"),
                    producer.setJMSCorrelationIDAsBytes(new byte[] {1}), producer.setJMSType("t"),
                    producer.setJMSReplyTo(queue), producer.send(queue, "chained")))
                    .allSatisfy(returned -> assertThat(returned).isSameAs(producer));
        }
    }

    /**
     * §7.5 and JMSProducer: properties set on the producer go on every message it sends and override the
     * message's own; they read back through the property conversion table.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void producerPropertiesGoOnEveryMessage(Transport transport) throws Exception {
        try (JMSContext context = BROKER.factory(transport).createContext()) {
            Queue queue = context.createQueue(BROKER.unique("props"));
            JMSConsumer consumer = context.createConsumer(queue);
            JMSProducer producer = context.createProducer().setProperty("region", "eu").setProperty("attempt", 2)
                    .setProperty("urgent", true);
            assertThat(producer.getPropertyNames()).containsExactlyInAnyOrder("region", "attempt", "urgent");
            assertThat(producer.propertyExists("attempt")).isTrue();
            assertThat(producer.getLongProperty("attempt")).isEqualTo(2L);
            assertThat(producer.getStringProperty("attempt")).isEqualTo("2");
            assertThat(producer.getObjectProperty("urgent")).isEqualTo(true);
            assertThatThrownBy(() -> producer.getIntProperty("missing")).isInstanceOf(NumberFormatException.class);
            assertThatThrownBy(() -> producer.getPropertyNames().add("x")).isInstanceOf(UnsupportedOperationException.class);

            TextMessage own = context.createTextMessage("own");
            own.setStringProperty("region", "us");
            own.setIntProperty("mine", 1);
            producer.send(queue, own).send(queue, "second");

            Message first = consumer.receive(WAIT_MS);
            assertThat(first.getStringProperty("region")).as("the producer's value wins").isEqualTo("eu");
            assertThat(first.getIntProperty("mine")).isEqualTo(1);
            Message second = consumer.receive(WAIT_MS);
            assertThat(second.getStringProperty("region")).isEqualTo("eu");
            assertThat(second.getIntProperty("attempt")).isEqualTo(2);
            assertThat(second.getBooleanProperty("urgent")).isTrue();

            producer.clearProperties();
            assertThat(producer.getPropertyNames()).isEmpty();
            producer.send(queue, "third");
            assertThat(consumer.receive(WAIT_MS).propertyExists("region")).isFalse();
        }
    }

    /** JMSProducer.setProperty: a null or empty name must throw IllegalArgumentException. */
    @Test
    void jmsProducerRefusesNullAndEmptyPropertyNames() {
        try (JMSContext context = BROKER.factory(Transport.VM).createContext()) {
            JMSProducer producer = context.createProducer();
            assertThatThrownBy(() -> producer.setProperty(null, 1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> producer.setProperty("", "x")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    /** §7.6: JMSCorrelationID, JMSType and JMSReplyTo set on the JMSProducer are set on what it sends. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void producerHeadersGoOnTheMessagesItSends(Transport transport) throws Exception {
        try (JMSContext context = BROKER.factory(transport).createContext()) {
            Queue queue = context.createQueue(BROKER.unique("headers"));
            Topic replies = context.createTopic("replies");
            JMSConsumer consumer = context.createConsumer(queue);
            JMSProducer producer = context.createProducer().setJMSCorrelationID("corr").setJMSType("kind")
                    .setJMSReplyTo(replies);
            assertThat(producer.getJMSCorrelationID()).isEqualTo("corr");
            assertThat(producer.getJMSType()).isEqualTo("kind");
            assertThat(producer.getJMSReplyTo()).isEqualTo(replies);
            producer.send(queue, "with headers");
            producer.setJMSCorrelationIDAsBytes(new byte[] {7, 8});
            producer.send(queue, "with byte correlation id");

            Message first = consumer.receive(WAIT_MS);
            assertThat(first.getJMSCorrelationID()).isEqualTo("corr");
            assertThat(first.getJMSType()).isEqualTo("kind");
            assertThat(first.getJMSReplyTo()).isEqualTo(replies);
            assertThat(consumer.receive(WAIT_MS).getJMSCorrelationIDAsBytes()).containsExactly(7, 8);
        }
    }

    /** §7.4 and JMSProducer: delivery mode, priority, time to live, disabled ids and timestamps apply to sends. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void producerDeliveryOptionsApplyToTheMessagesItSends(Transport transport) throws Exception {
        try (JMSContext context = BROKER.factory(transport).createContext()) {
            Queue queue = context.createQueue(BROKER.unique("options"));
            JMSConsumer consumer = context.createConsumer(queue);
            JMSProducer producer = context.createProducer();
            assertThat(producer.getDeliveryMode()).isEqualTo(DeliveryMode.PERSISTENT);
            assertThat(producer.getPriority()).isEqualTo(Message.DEFAULT_PRIORITY);
            assertThat(producer.getTimeToLive()).isZero();
            producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT).setPriority(8).setTimeToLive(60_000)
                    .setDisableMessageID(true).setDisableMessageTimestamp(true).send(queue, "options");

            Message m = consumer.receive(WAIT_MS);
            assertThat(m.getJMSDeliveryMode()).isEqualTo(DeliveryMode.NON_PERSISTENT);
            assertThat(m.getJMSPriority()).isEqualTo(8);
            assertThat(m.getJMSExpiration()).isGreaterThan(System.currentTimeMillis());
            assertThat(m.getJMSMessageID()).isNull();
            assertThat(m.getJMSTimestamp()).isZero();
            assertThatThrownBy(() -> producer.setPriority(10)).isInstanceOf(JMSRuntimeException.class);
            assertThatThrownBy(() -> producer.setDeliveryMode(0)).isInstanceOf(JMSRuntimeException.class);
        }
    }

    /** §7.3 with JMSProducer.setAsync: sends complete through the listener, in order. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void asynchronousSendsThroughAJmsProducer(Transport transport) throws Exception {
        try (JMSContext context = BROKER.factory(transport).createContext()) {
            Queue queue = context.createQueue(BROKER.unique("async"));
            List<String> completed = new CopyOnWriteArrayList<>();
            CountDownLatch all = new CountDownLatch(10);
            JMSProducer producer = context.createProducer().setAsync(new CompletionListener() {
                @Override
                public void onCompletion(Message message) {
                    try {
                        completed.add(text(message));
                    } catch (Exception e) {
                        completed.add(e.toString());
                    }
                    all.countDown();
                }

                @Override
                public void onException(Message message, Exception exception) {
                    completed.add(exception.toString());
                    all.countDown();
                }
            });
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                sent.add("a" + i);
                producer.send(queue, "a" + i);
            }

            assertThat(all.await(WAIT_MS, TimeUnit.MILLISECONDS)).isTrue();
            assertThat(completed).isEqualTo(sent);
        }
    }

    /** §6.1.4: creating a consumer starts the connection, unless auto-start is off; stop and start pause and resume. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void autoStartAndExplicitStartAndStop(Transport transport) {
        try (JMSContext context = BROKER.factory(transport).createContext()) {
            assertThat(context.getAutoStart()).isTrue();
            Queue queue = context.createQueue(BROKER.unique("autostart"));
            JMSConsumer consumer = context.createConsumer(queue);
            context.createProducer().send(queue, "started by createConsumer");
            assertThat(consumer.receiveBody(String.class, WAIT_MS)).isEqualTo("started by createConsumer");
            context.stop();
            context.createProducer().send(queue, "while stopped");
            assertThat(consumer.receiveBody(String.class, QUIET_MS)).isNull();
            context.start();
            assertThat(consumer.receiveBody(String.class, WAIT_MS)).isEqualTo("while stopped");
        }
        try (JMSContext context = BROKER.factory(transport).createContext()) {
            context.setAutoStart(false);
            Queue queue = context.createQueue(BROKER.unique("noautostart"));
            JMSConsumer consumer = context.createConsumer(queue);
            context.createProducer().send(queue, "waits for start");
            assertThat(consumer.receiveBodyNoWait(String.class)).isNull();
            assertThat(consumer.receiveBody(String.class, QUIET_MS)).isNull();
            context.start();
            assertThat(consumer.receiveBody(String.class, WAIT_MS)).isEqualTo("waits for start");
        }
    }

    /** JMSContext: the session mode it was made with; CLIENT acknowledgement and recover through the context. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void clientAcknowledgementThroughTheContext(Transport transport) throws Exception {
        String queueName = BROKER.unique("ack");
        try (JMSContext context = BROKER.factory(transport).createContext(JMSContext.CLIENT_ACKNOWLEDGE)) {
            assertThat(context.getSessionMode()).isEqualTo(JMSContext.CLIENT_ACKNOWLEDGE);
            assertThat(context.getTransacted()).isFalse();
            Queue queue = context.createQueue(queueName);
            JMSConsumer consumer = context.createConsumer(queue);
            context.createProducer().send(queue, "one").send(queue, "two");
            assertThat(consumer.receiveBody(String.class, WAIT_MS)).isEqualTo("one");
            context.recover();
            // Both come (again); on a queue Strand may hand out the prefetched "two" first (docs/conformance.md).
            Map<String, Boolean> redeliveredByText = new HashMap<>();
            for (int i = 0; i < 2; i++) {
                Message m = consumer.receive(WAIT_MS);
                redeliveredByText.put(text(m), m.getJMSRedelivered());
            }
            assertThat(redeliveredByText).containsEntry("one", true).containsEntry("two", false);
            context.acknowledge();
        }
        try (JMSContext context = BROKER.factory(transport).createContext()) {
            assertThat(context.getSessionMode()).isEqualTo(JMSContext.AUTO_ACKNOWLEDGE);
            JMSConsumer consumer = context.createConsumer(context.createQueue(queueName));
            assertThat(consumer.receive(QUIET_MS)).as("acknowledged through the context").isNull();
        }
    }

    /**
     * JMSContext.createContext: a second context on the same connection, with its own session; the
     * connection stays open until the last context closes (§6.2.15).
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void contextsCreatedFromAContextShareItsConnection(Transport transport) {
        String clientId = BROKER.unique("shared");
        JMSContext first = BROKER.factory(transport).createContext();
        first.setClientID(clientId);
        try (JMSContext second = first.createContext(JMSContext.DUPS_OK_ACKNOWLEDGE)) {
            assertThat(second.getClientID()).isEqualTo(clientId);
            assertThat(second.getSessionMode()).isEqualTo(JMSContext.DUPS_OK_ACKNOWLEDGE);
            first.close();
            Queue queue = second.createQueue(BROKER.unique("shared"));
            JMSConsumer consumer = second.createConsumer(queue);
            second.createProducer().send(queue, "still connected");
            assertThat(consumer.receiveBody(String.class, WAIT_MS)).isEqualTo("still connected");
        }
    }

    /** JMSContext.close: afterwards its methods, and its consumers', throw IllegalStateRuntimeException; closing again is ignored. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aClosedContextThrowsIllegalStateRuntimeException(Transport transport) {
        JMSContext context = BROKER.factory(transport).createContext();
        Queue queue = context.createQueue(BROKER.unique("closed"));
        JMSConsumer consumer = context.createConsumer(queue);
        context.close();
        context.close();

        assertThatThrownBy(context::createProducer).isInstanceOf(IllegalStateRuntimeException.class);
        assertThatThrownBy(() -> context.createConsumer(queue)).isInstanceOf(IllegalStateRuntimeException.class);
        assertThatThrownBy(context::createTextMessage).isInstanceOf(IllegalStateRuntimeException.class);
        assertThatThrownBy(context::start).isInstanceOf(IllegalStateRuntimeException.class);
        assertThatThrownBy(context::getClientID).isInstanceOf(IllegalStateRuntimeException.class);
        assertThatThrownBy(context::acknowledge).isInstanceOf(IllegalStateRuntimeException.class);
        assertThatThrownBy(context::getSessionMode).isInstanceOf(IllegalStateRuntimeException.class);
        assertThatThrownBy(consumer::receiveNoWait).isInstanceOf(IllegalStateRuntimeException.class);
        consumer.close();
    }

    /**
     * §6.1.5, §6.2.15 and §7.3.4: a listener may not stop or close its own context (Strand throws
     * IllegalStateRuntimeException, one of the two behaviours allowed), nor may a CompletionListener close it.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void listenersCannotStopOrCloseTheirOwnContext(Transport transport) throws Exception {
        try (JMSContext context = BROKER.factory(transport).createContext()) {
            Queue queue = context.createQueue(BROKER.unique("selfclose"));
            List<Throwable> thrown = new CopyOnWriteArrayList<>();
            CountDownLatch done = new CountDownLatch(2);
            context.createConsumer(queue).setMessageListener(m -> {
                for (Runnable action : List.<Runnable>of(context::stop, context::close)) {
                    try {
                        action.run();
                        thrown.add(new AssertionError("succeeded"));
                    } catch (Throwable t) {
                        thrown.add(t);
                    }
                }
                done.countDown();
            });
            try (JMSContext sending = context.createContext(JMSContext.AUTO_ACKNOWLEDGE)) {
                sending.createProducer().setAsync(new CompletionListener() {
                    @Override
                    public void onCompletion(Message message) {
                        try {
                            sending.close();
                            thrown.add(new AssertionError("succeeded"));
                        } catch (Throwable t) {
                            thrown.add(t);
                        }
                        done.countDown();
                    }

                    @Override
                    public void onException(Message message, Exception exception) {
                        thrown.add(exception);
                        done.countDown();
                    }
                }).send(queue, "x");
                assertThat(done.await(WAIT_MS, TimeUnit.MILLISECONDS)).isTrue();
            }
            assertThat(thrown).hasSize(3).allSatisfy(t -> assertThat(t).isInstanceOf(IllegalStateRuntimeException.class));
        }
    }
}
