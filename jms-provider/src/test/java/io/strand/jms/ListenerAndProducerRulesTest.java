package io.strand.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strand.protocol.ApiKey;
import jakarta.jms.CompletionListener;
import jakarta.jms.Destination;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Listener threading rules, redelivery from listeners, and producer argument rules, against a {@link FakeBroker}. */
class ListenerAndProducerRulesTest {
    private FakeBroker broker;
    private StrandConnection connection;
    private Topic topic;

    @BeforeEach
    void start() throws Exception {
        broker = new FakeBroker();
        connection = broker.connect("");
        topic = new StrandTopic("rules");
    }

    @AfterEach
    void stop() throws Exception {
        connection.close();
        broker.close();
    }

    private void send(String... texts) throws JMSException {
        final Session s = connection.createSession();
        final MessageProducer p = s.createProducer(topic);
        for (String t : texts) {
            p.send(s.createTextMessage(t));
        }
        s.close();
    }

    @Test
    void shouldRedeliverAtOnceWhenAutoListenerThrows() throws Exception {
        final Session session = connection.createSession(Session.AUTO_ACKNOWLEDGE);
        final MessageConsumer consumer = session.createConsumer(topic);
        final List<String> seen = new CopyOnWriteArrayList<>();
        final CountDownLatch twice = new CountDownLatch(2);
        consumer.setMessageListener(m -> {
            try {
                seen.add(((TextMessage) m).getText() + ":" + m.getJMSRedelivered() + ":" + m.getIntProperty("JMSXDeliveryCount"));
            } catch (JMSException e) {
                throw new IllegalArgumentException(e);
            }
            twice.countDown();
            if (seen.size() == 1) {
                throw new IllegalStateRuntime("listener bug");
            }
        });
        connection.start();
        send("boom");
        assertThat(twice.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(seen).containsExactly("boom:false:1", "boom:true:2");
    }

    /** A runtime exception a listener might throw. */
    private static final class IllegalStateRuntime extends RuntimeException {
        IllegalStateRuntime(String m) {
            super(m);
        }
    }

    @Test
    void shouldRedeliverCurrentMessageWhenListenerRecovers() throws Exception {
        final Session session = connection.createSession(Session.CLIENT_ACKNOWLEDGE);
        final MessageConsumer consumer = session.createConsumer(topic);
        final List<Boolean> redelivered = new CopyOnWriteArrayList<>();
        final CountDownLatch done = new CountDownLatch(2);
        consumer.setMessageListener(m -> {
            try {
                redelivered.add(m.getJMSRedelivered());
                if (!m.getJMSRedelivered()) {
                    session.recover();
                } else {
                    m.acknowledge();
                }
            } catch (JMSException e) {
                redelivered.add(null);
            }
            done.countDown();
        });
        connection.start();
        send("again");
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(redelivered).containsExactly(false, true);
        assertThat(broker.requests(ApiKey.ACKNOWLEDGE)).hasSize(1);
    }

    @Test
    void shouldRefuseClosingOrStoppingFromOwnListenerButAllowClosingOwnConsumer() throws Exception {
        final Session session = connection.createSession();
        final MessageConsumer consumer = session.createConsumer(topic);
        final CompletableFuture<List<String>> outcome = new CompletableFuture<>();
        consumer.setMessageListener(m -> {
            final List<String> results = new CopyOnWriteArrayList<>();
            results.add(attempt(session::close));
            results.add(attempt(connection::stop));
            results.add(attempt(connection::close));
            results.add(attempt(consumer::close));
            outcome.complete(results);
        });
        connection.start();
        send("x");
        assertThat(outcome.get(5, TimeUnit.SECONDS)).containsExactly("IllegalStateException", "IllegalStateException",
                "IllegalStateException", "ok");
        assertThat(broker.requests(ApiKey.CLOSE_CONSUMER)).hasSize(1);
    }

    private interface JmsAction {
        void run() throws JMSException;
    }

    private static String attempt(JmsAction action) {
        try {
            action.run();
            return "ok";
        } catch (JMSException e) {
            return e.getClass().getSimpleName();
        }
    }

    @Test
    void shouldWaitForListenerInProgressOnStop() throws Exception {
        final Session session = connection.createSession();
        final MessageConsumer consumer = session.createConsumer(topic);
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<String> order = new CopyOnWriteArrayList<>();
        consumer.setMessageListener(m -> {
            entered.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            order.add("listener done");
        });
        connection.start();
        send("slow");
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
        final CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> {
            try {
                connection.stop();
                order.add("stopped");
            } catch (JMSException e) {
                order.add(e.toString());
            }
        });
        Thread.sleep(50);
        assertThat(stopped).isNotDone();
        release.countDown();
        stopped.get(5, TimeUnit.SECONDS);
        assertThat(order).containsExactly("listener done", "stopped");
        assertThat(broker.requests(ApiKey.ACKNOWLEDGE)).hasSize(1); // stop flushed the AUTO acknowledgement
    }

    @Test
    void shouldAcknowledgeLazilyInDupsOkMode() throws Exception {
        final Session session = connection.createSession(Session.DUPS_OK_ACKNOWLEDGE);
        final MessageConsumer consumer = session.createConsumer(topic);
        connection.start();
        send("a", "b");
        assertThat(consumer.receive(5000)).isNotNull();
        assertThat(consumer.receive(5000)).isNotNull();
        final long deadline = System.currentTimeMillis() + 5000;
        while (broker.requests(ApiKey.ACKNOWLEDGE).isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertThat(broker.requests(ApiKey.ACKNOWLEDGE)).hasSize(1); // both in one cumulative acknowledgement
    }

    @Test
    void shouldRefuseClosingProducerFromItsCompletionListener() throws Exception {
        final Session session = connection.createSession();
        final MessageProducer producer = session.createProducer(topic);
        final CompletableFuture<String> outcome = new CompletableFuture<>();
        producer.send(session.createTextMessage("x"), new CompletionListener() {
            @Override
            public void onCompletion(Message message) {
                outcome.complete(attempt(producer::close) + "/" + attempt(session::close) + "/" + attempt(connection::close));
            }

            @Override
            public void onException(Message message, Exception exception) {
                outcome.complete(exception.toString());
            }
        });
        assertThat(outcome.get(5, TimeUnit.SECONDS))
                .isEqualTo("IllegalStateException/IllegalStateException/IllegalStateException");
    }

    @Test
    void shouldCheckProducerArguments() throws Exception {
        final Session session = connection.createSession();
        final MessageProducer bound = session.createProducer(topic);
        final MessageProducer unbound = session.createProducer(null);
        final TextMessage m = session.createTextMessage("x");
        assertThatThrownBy(() -> bound.send(topic, m)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> unbound.send(m)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> unbound.send((Destination) null, m)).isInstanceOf(InvalidDestinationException.class);
        assertThatThrownBy(() -> unbound.send(new Destination() { }, m)).isInstanceOf(InvalidDestinationException.class)
                .hasMessageContaining("not a Strand destination");
        assertThatThrownBy(() -> bound.send(null)).isInstanceOf(jakarta.jms.MessageFormatException.class);
        assertThatThrownBy(() -> bound.setPriority(10)).hasMessageContaining("priority 10");
        assertThatThrownBy(() -> bound.setDeliveryMode(3)).hasMessageContaining("delivery mode 3");
        assertThatThrownBy(() -> bound.send(m, (CompletionListener) null)).isInstanceOf(IllegalArgumentException.class);
        bound.close();
        assertThatThrownBy(() -> bound.send(m)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldSendAForeignMessageAndSetItsHeaders() throws Exception {
        final Map<String, Object> headers = new HashMap<>();
        final TextMessage foreign = (TextMessage) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {TextMessage.class}, (proxy, method, args) -> {
                    final String name = method.getName();
                    if (name.equals("getText")) {
                        return "from elsewhere";
                    }
                    if (name.equals("getPropertyNames")) {
                        return Collections.enumeration(List.of("color"));
                    }
                    if (name.equals("getObjectProperty")) {
                        return "blue";
                    }
                    if (name.equals("getJMSType")) {
                        return "foreign";
                    }
                    if (name.startsWith("setJMS")) {
                        headers.put(name, args[0]);
                        return null;
                    }
                    return null;
                });
        final Session session = connection.createSession();
        final MessageConsumer consumer = session.createConsumer(topic);
        connection.start();
        session.createProducer(topic).send(foreign);
        assertThat((String) headers.get("setJMSMessageID")).startsWith("ID:");
        assertThat(headers.get("setJMSDestination")).isEqualTo(topic);
        final TextMessage received = (TextMessage) consumer.receive(5000);
        assertThat(received.getText()).isEqualTo("from elsewhere");
        assertThat(received.getStringProperty("color")).isEqualTo("blue");
        assertThat(received.getJMSType()).isEqualTo("foreign");
    }
}
