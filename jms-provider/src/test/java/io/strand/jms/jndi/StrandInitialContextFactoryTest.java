package io.strand.jms.jndi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strand.jms.StrandConnectionFactory;
import io.strand.jms.StrandQueue;
import io.strand.jms.StrandTopic;
import io.strand.jms.StrandXAConnectionFactory;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Queue;
import jakarta.jms.Topic;
import jakarta.jms.XAConnectionFactory;
import jakarta.jms.XAQueueConnectionFactory;
import jakarta.jms.XATopicConnectionFactory;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import javax.naming.ConfigurationException;
import javax.naming.Context;
import javax.naming.InitialContext;
import javax.naming.NameClassPair;
import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.OperationNotSupportedException;
import org.junit.jupiter.api.Test;

class StrandInitialContextFactoryTest {
    private static InitialContext context(String... keyValues) throws Exception {
        final Hashtable<String, Object> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, StrandInitialContextFactory.class.getName());
        for (int i = 0; i < keyValues.length; i += 2) {
            env.put(keyValues[i], keyValues[i + 1]);
        }
        return new InitialContext(env);
    }

    @Test
    void shouldBindFromTheEnvironment() throws Exception {
        final InitialContext ctx = context("connectionFactory.cf", "strand://h1:1,h2:2?clientId=x",
                "queue.jms/queue/orders", "orders", "topic.events", "events");
        final ConnectionFactory cf = (ConnectionFactory) ctx.lookup("cf");
        assertThat(((StrandConnectionFactory) cf).getUrl()).isEqualTo("strand://h1:1,h2:2?clientId=x");
        assertThat(((Queue) ctx.lookup("jms/queue/orders")).getQueueName()).isEqualTo("orders");
        assertThat(ctx.lookup("events")).isEqualTo(new StrandTopic("events"));
    }

    @Test
    void shouldReadJndiPropertiesFromTheClasspathWithTheEnvironmentWinning() throws Exception {
        final InitialContext ctx = context("connectionFactory.overridden", "strand://from-env:2");
        assertThat(((StrandConnectionFactory) ctx.lookup("fromFile")).getUrl()).isEqualTo("strand://file-host:61617?prefetch=5");
        assertThat(((StrandConnectionFactory) ctx.lookup("overridden")).getUrl()).isEqualTo("strand://from-env:2");
        assertThat(ctx.lookup("jms/prices")).isEqualTo(new StrandTopic("prices"));
        assertThat(ctx.lookup("orders")).isEqualTo(new StrandQueue("orders.v1"));
    }

    @Test
    void shouldWorkWithNoEnvironmentAtAllThroughJndiProperties() throws Exception {
        final InitialContext ctx = new InitialContext();
        assertThat(ctx.lookup("jms/prices")).isInstanceOf(Topic.class);
    }

    @Test
    void shouldLookUpHierarchicallyThroughSlashNames() throws Exception {
        final InitialContext ctx = context("queue.jms/queue/a", "a", "queue.jms/queue/b", "b");
        final Context jms = (Context) ctx.lookup("jms");
        assertThat(jms.lookup("queue/a")).isEqualTo(new StrandQueue("a"));
        final List<String> names = new ArrayList<>();
        final NamingEnumeration<NameClassPair> list = ctx.list("jms/queue");
        while (list.hasMore()) {
            names.add(list.next().getName());
        }
        assertThat(names).containsExactly("a", "b");
        assertThat(ctx.lookup(new javax.naming.CompositeName("jms/queue/b"))).isEqualTo(new StrandQueue("b"));
    }

    @Test
    void shouldThrowNameNotFoundForUnknownNames() throws Exception {
        final InitialContext ctx = context("topic.t", "t");
        assertThatThrownBy(() -> ctx.lookup("missing")).isInstanceOf(NameNotFoundException.class)
                .hasMessageContaining("'missing' is not bound");
    }

    @Test
    void shouldBeReadOnly() throws Exception {
        final InitialContext ctx = context("topic.t", "t");
        assertThatThrownBy(() -> ctx.bind("x", "y")).isInstanceOf(OperationNotSupportedException.class)
                .hasMessageContaining("read-only");
        assertThatThrownBy(() -> ctx.rebind("t", "y")).isInstanceOf(OperationNotSupportedException.class);
        assertThatThrownBy(() -> ctx.unbind("t")).isInstanceOf(OperationNotSupportedException.class);
        assertThatThrownBy(() -> ctx.rename("t", "u")).isInstanceOf(OperationNotSupportedException.class);
        assertThatThrownBy(() -> ctx.createSubcontext("sub")).isInstanceOf(OperationNotSupportedException.class);
    }

    @Test
    void shouldBindDefaultConnectionFactoryWhenNoneIsConfigured() throws Exception {
        final Hashtable<String, Object> env = new Hashtable<>();
        env.put(Context.PROVIDER_URL, "strand://provider:9");
        final Context ctx = new StrandInitialContextFactory() {
        }.getInitialContext(env);
        // jndi.properties configures connection factories, so read the bindings without it:
        assertThat(StrandInitialContextFactory.bindings(new java.util.HashMap<>(env)))
                .containsKey(StrandInitialContextFactory.DEFAULT_CONNECTION_FACTORY_NAME);
        assertThat(((StrandConnectionFactory) StrandInitialContextFactory.bindings(new java.util.HashMap<>(env))
                .get("ConnectionFactory")).getUrl()).isEqualTo("strand://provider:9");
        assertThat(ctx.lookup("fromFile")).isInstanceOf(StrandConnectionFactory.class);
    }

    @Test
    void shouldBindXaConnectionFactoriesBesidePlainOnes() throws Exception {
        final InitialContext ctx = context("xaConnectionFactory.jms/xa", "strand://h1:1?prefetch=1");
        final Object xa = ctx.lookup("jms/xa");
        assertThat(xa).isInstanceOf(XAConnectionFactory.class).isInstanceOf(XAQueueConnectionFactory.class)
                .isInstanceOf(XATopicConnectionFactory.class).isInstanceOf(ConnectionFactory.class);
        assertThat(((StrandXAConnectionFactory) xa).getUrl()).isEqualTo("strand://h1:1?prefetch=1");
        assertThatThrownBy(() -> context("xaConnectionFactory.bad", "strand://nohost"))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("xaConnectionFactory.bad");
    }

    @Test
    void shouldRejectBadEntriesNamingTheProperty() {
        assertThatThrownBy(() -> context("connectionFactory.cf", "strand://nohost")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("connectionFactory.cf").hasMessageContaining("has no port");
        assertThatThrownBy(() -> context("queue.q", "bad name!")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("queue.q");
        assertThatThrownBy(() -> context("topic.", "t")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("names no object");
    }
}
