package io.strand.jms.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strand.jms.StrandDestination;
import io.strand.jms.StrandQueue;
import io.strand.jms.StrandTemporaryQueue;
import io.strand.jms.StrandTemporaryTopic;
import io.strand.jms.StrandTopic;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The destinations of {@code io.strand.jms}: name rules, value equality, temporary deletion. They sit here
 * because messages carry them in headers and the codec stores them.
 */
class DestinationTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "orders", "Orders.EU-1_x", "0", "a.b.c"})
    void shouldAcceptNamesOfLettersDigitsDotsDashesAndUnderscores(String name) throws JMSException {
        assertThat(new StrandQueue(name).getQueueName()).isEqualTo(name);
        assertThat(new StrandTopic(name).getTopicName()).isEqualTo(name);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"a/b", "a b", "ä", "queue://x", "a\\b", "..\u0000"})
    void shouldRefuseOtherNamesWithInvalidDestinationException(String name) {
        assertThatThrownBy(() -> new StrandQueue(name)).isInstanceOf(InvalidDestinationException.class)
                .hasMessageContaining("name=" + name);
        assertThatThrownBy(() -> new StrandTopic(name)).isInstanceOf(InvalidDestinationException.class);
        assertThatThrownBy(() -> new StrandTemporaryQueue(name)).isInstanceOf(InvalidDestinationException.class);
    }

    @Test
    void shouldAllowTwoHundredCharactersButNoMore() throws JMSException {
        assertThat(new StrandQueue("q".repeat(200)).name()).hasSize(200);
        assertThatThrownBy(() -> new StrandQueue("q".repeat(201))).isInstanceOf(InvalidDestinationException.class)
                .hasMessageContaining("length=201");
    }

    @Test
    void shouldBeEqualByTypeAndName() throws JMSException {
        assertThat(new StrandQueue("x")).isEqualTo(new StrandQueue("x")).hasSameHashCodeAs(new StrandQueue("x"));
        assertThat(new StrandQueue("x")).isNotEqualTo(new StrandQueue("y"));
        assertThat((StrandDestination) new StrandQueue("x")).isNotEqualTo(new StrandTopic("x"));
        assertThat((StrandDestination) new StrandQueue("x")).isNotEqualTo(new StrandTemporaryQueue("x"));
        assertThat((StrandDestination) new StrandTopic("x")).isNotEqualTo(new StrandTemporaryTopic("x"));
        assertThat(new StrandQueue("x").toString()).isEqualTo("queue://x");
        assertThat(new StrandTemporaryTopic("t").toString()).isEqualTo("temp-topic://t");
    }

    @Test
    void shouldSayWhatKindOfDestinationItIs() throws JMSException {
        assertThat(new StrandQueue("x").isQueue()).isTrue();
        assertThat(new StrandQueue("x").isTemporary()).isFalse();
        assertThat(new StrandTopic("x").isQueue()).isFalse();
        assertThat(new StrandTemporaryQueue("x").isQueue()).isTrue();
        assertThat(new StrandTemporaryQueue("x").isTemporary()).isTrue();
        assertThat(new StrandTemporaryTopic("x").isQueue()).isFalse();
        assertThat(new StrandTemporaryTopic("x").getTopicName()).isEqualTo("x");
    }

    @Test
    void shouldRefuseToDeleteATemporaryDestinationWithoutItsConnection() throws JMSException {
        assertThatThrownBy(() -> new StrandTemporaryQueue("tq").delete()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("tq").hasMessageContaining("not owned");
        assertThatThrownBy(() -> new StrandTemporaryTopic("tt").delete()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldDeleteThroughTheDeleterTheConnectionSet() throws JMSException {
        final List<StrandDestination> deleted = new ArrayList<>();
        final StrandTemporaryQueue queue = new StrandTemporaryQueue("tq");
        final StrandTemporaryTopic topic = new StrandTemporaryTopic("tt");
        queue.setDeleter(deleted::add);
        topic.setDeleter(deleted::add);

        queue.delete();
        topic.delete();

        assertThat(deleted).containsExactly(queue, topic);
    }

    @Test
    void shouldSerializeForJndiButNotCarryTheDeleter() throws Exception {
        final StrandTemporaryQueue queue = new StrandTemporaryQueue("tq");
        queue.setDeleter(d -> { });

        final StrandTemporaryQueue copy = roundTrip(queue);
        assertThat(copy).isEqualTo(queue);
        assertThatThrownBy(copy::delete).isInstanceOf(IllegalStateException.class);
        assertThat(roundTrip(new StrandTopic("t"))).isEqualTo(new StrandTopic("t"));
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T value) throws IOException, ClassNotFoundException {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }
}
