package io.strand.jms.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;
import java.io.Serializable;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Which classes a received ObjectMessage body may hold, and how a refused one is reported. */
class TrustedPackagesTest {
    /** A class of no trusted package by default. */
    record Order(String id, int quantity) implements Serializable {
    }

    private static StrandObjectMessage received(Serializable body, TrustedPackages trusted) throws JMSException {
        final StrandObjectMessage sent = new StrandObjectMessage();
        sent.setObject(body);
        final MessageCodec codec = new MessageCodec(trusted);
        final EncodedMessage encoded = codec.encode(sent);
        return (StrandObjectMessage) codec.decode(encoded.keyBuffer(), encoded.value(), encoded.headerViews());
    }

    @Test
    void shouldTrustTheJdkByDefault() {
        assertThat(TrustedPackages.DEFAULT.trusts("java.util.ArrayList")).isTrue();
        assertThat(TrustedPackages.DEFAULT.trusts("java.lang.String")).isTrue();
        assertThat(TrustedPackages.DEFAULT.trusts("[Ljava.lang.String;")).isTrue();
        assertThat(TrustedPackages.DEFAULT.trusts("[[I")).isTrue();
        assertThat(TrustedPackages.DEFAULT.trusts("javax.management.BadAttributeValueExpException")).isFalse();
        assertThat(TrustedPackages.DEFAULT.trusts("com.example.Order")).isFalse();
        assertThat(TrustedPackages.DEFAULT.trusts("[Lcom.example.Order;")).isFalse();
        assertThat(TrustedPackages.DEFAULT.trusts("I")).as("a primitive name outside an array is no class").isFalse();
    }

    @Test
    void shouldMatchWholePackageNamesOnly() {
        final TrustedPackages trusted = TrustedPackages.parse(" com.example , org.acme.Order ");
        assertThat(trusted.trusts("com.example.Order")).isTrue();
        assertThat(trusted.trusts("com.example.deep.Order$Line")).isTrue();
        assertThat(trusted.trusts("com.examples.Order")).isFalse();
        assertThat(trusted.trusts("org.acme.Order")).isTrue();
        assertThat(trusted.trusts("org.acme.Other")).isFalse();
        assertThat(trusted.trusts("java.lang.String")).isFalse();
        assertThat(TrustedPackages.parse("*").trusts("anything.At.All")).isTrue();
    }

    @Test
    void shouldRefuseEntriesThatAreNoPackageNames() {
        for (String bad : List.of("", "java.,", "com..example", "com.9x", "com.exa mple")) {
            assertThatThrownBy(() -> TrustedPackages.parse(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a package name");
        }
    }

    @Test
    void shouldDeserializeJdkTypesOfAReceivedBody() throws JMSException {
        final Map<String, Object> body = new HashMap<>();
        body.put("list", new ArrayList<>(List.of(1, "two", 3.0)));
        body.put("amount", new BigDecimal("12.50"));
        body.put("date", LocalDate.of(2026, 11, 27));
        body.put("ints", new int[] {1, 2});
        body.put("names", new String[] {"a", "b"});
        final Object read = received((Serializable) body, TrustedPackages.DEFAULT).getObject();
        assertThat(read).isInstanceOf(HashMap.class);
        assertThat(((Map<?, ?>) read).get("amount")).isEqualTo(new BigDecimal("12.50"));
        assertThat((int[]) ((Map<?, ?>) read).get("ints")).containsExactly(1, 2);
        assertThat((String[]) ((Map<?, ?>) read).get("names")).containsExactly("a", "b");
    }

    @Test
    void shouldRefuseAnUntrustedClassNamingItAndTheOption() throws JMSException {
        final StrandObjectMessage message = received(new Order("o-1", 2), TrustedPackages.DEFAULT);
        assertThatThrownBy(message::getObject).isInstanceOf(MessageFormatException.class)
                .hasMessageContaining(Order.class.getName())
                .hasMessageContaining("objectMessage.trustedPackages=java.");
        assertThat(message.isBodyAssignableTo(Serializable.class)).isFalse();
    }

    @Test
    void shouldRefuseAnUntrustedClassInsideATrustedCollection() throws JMSException {
        final ArrayList<Object> list = new ArrayList<>(List.of("fine", new Order("o-2", 1)));
        assertThatThrownBy(received(list, TrustedPackages.DEFAULT)::getObject)
                .isInstanceOf(MessageFormatException.class).hasMessageContaining(Order.class.getName());
    }

    @Test
    void shouldRefuseAProxyOfAnUntrustedInterface() throws JMSException {
        final Serializable proxy = (Serializable) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Supplier.class, Serializable.class, UntrustedInterface.class},
                new NamedHandler());
        assertThatThrownBy(received(proxy, TrustedPackages.DEFAULT)::getObject)
                .isInstanceOf(MessageFormatException.class).hasMessageContaining(UntrustedInterface.class.getName());
    }

    interface UntrustedInterface {
    }

    /** A serializable handler, so that the proxy serializes. */
    static final class NamedHandler implements java.lang.reflect.InvocationHandler, Serializable {
        @Override
        public Object invoke(Object proxy, java.lang.reflect.Method method, Object[] args) {
            return null;
        }
    }

    @Test
    void shouldDeserializeAClassOfAListedPackage() throws JMSException {
        final TrustedPackages trusted = TrustedPackages.parse("java.,io.strand.jms.message.");
        assertThat(received(new Order("o-3", 4), trusted).getObject()).isEqualTo(new Order("o-3", 4));
    }

    @Test
    void shouldTrustABodySetInThisJvm() throws JMSException {
        final StrandObjectMessage message = new StrandObjectMessage();
        message.setObject(new Order("local", 1));
        assertThat(message.getObject()).isEqualTo(new Order("local", 1));
    }
}
