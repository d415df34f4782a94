package io.strand.jms.jndi;

import io.strand.jms.StrandConnectionFactory;
import io.strand.jms.StrandQueue;
import io.strand.jms.StrandTopic;
import io.strand.jms.StrandXAConnectionFactory;
import jakarta.jms.InvalidDestinationException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import javax.naming.ConfigurationException;
import javax.naming.Context;
import javax.naming.NamingException;
import javax.naming.spi.InitialContextFactory;

/**
 * JNDI for standalone applications (DESIGN.md §4), with the common property convention:
 *
 * <pre>
 * java.naming.factory.initial = io.strand.jms.jndi.StrandInitialContextFactory
 * connectionFactory.&lt;jndiName&gt; = strand://host:port?options   (or vm://name?dataDir=...)
 * xaConnectionFactory.&lt;jndiName&gt; = strand://host:port?options (an XA connection factory)
 * queue.&lt;jndiName&gt;             = &lt;queue name&gt;
 * topic.&lt;jndiName&gt;             = &lt;topic name&gt;
 * </pre>
 *
 * <p>Entries come from every {@code jndi.properties} on the classpath (the context class loader's)
 * and from the environment passed to {@code InitialContext}; the environment wins. JNDI names may
 * contain {@code /} ({@code queue.jms/orders}). When no connection factory is configured, one is bound
 * as {@code ConnectionFactory} for {@code java.naming.provider.url}, or for
 * {@link StrandConnectionFactory#DEFAULT_URL}. Bad URLs and destination names fail here, with a
 * {@link ConfigurationException} naming the property. The context is read-only ({@link ReadOnlyContext}).
 *
 * <p>Every factory bound is a {@link StrandConnectionFactory}, so it serves as a {@code ConnectionFactory},
 * {@code QueueConnectionFactory} and {@code TopicConnectionFactory} alike; a URL option
 * {@code clientID=...} gives it an administratively set client id. An {@code xaConnectionFactory.} entry binds a
 * {@link StrandXAConnectionFactory}, which is all that and an {@code XAConnectionFactory},
 * {@code XAQueueConnectionFactory} and {@code XATopicConnectionFactory} too. Binding connects to nothing: a
 * {@code vm://} factory starts its embedded broker on its first connection. {@code docs/tck/jndi.properties}
 * binds the names the Jakarta Messaging TCK looks up in standalone mode.
 *
 * <p>Stateless and thread-safe.
 */
public class StrandInitialContextFactory implements InitialContextFactory {
    public static final String CONNECTION_FACTORY_PREFIX = "connectionFactory.";
    public static final String XA_CONNECTION_FACTORY_PREFIX = "xaConnectionFactory.";
    public static final String QUEUE_PREFIX = "queue.";
    public static final String TOPIC_PREFIX = "topic.";
    /** The name of the connection factory bound when none is configured. */
    public static final String DEFAULT_CONNECTION_FACTORY_NAME = "ConnectionFactory";

    @Override
    public Context getInitialContext(Hashtable<?, ?> environment) throws NamingException {
        final Hashtable<String, Object> merged = new Hashtable<>();
        readJndiProperties(merged);
        if (environment != null) {
            environment.forEach((k, v) -> merged.put(String.valueOf(k), v)); // the environment wins
        }
        return new ReadOnlyContext(bindings(merged), merged);
    }

    private static void readJndiProperties(Map<String, Object> into) throws NamingException {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = StrandInitialContextFactory.class.getClassLoader();
        }
        try {
            final Enumeration<URL> files = loader.getResources("jndi.properties");
            while (files.hasMoreElements()) {
                final URL file = files.nextElement();
                final Properties p = new Properties();
                try (InputStream in = file.openStream()) {
                    p.load(in);
                }
                p.forEach((k, v) -> into.putIfAbsent(String.valueOf(k), v)); // the first file on the classpath wins
            }
        } catch (IOException e) {
            final ConfigurationException ce = new ConfigurationException("cannot read jndi.properties: " + e);
            ce.setRootCause(e);
            throw ce;
        }
    }

    /** @return JNDI name to object for every connectionFactory., queue. and topic. entry */
    static Map<String, Object> bindings(Map<String, Object> environment) throws NamingException {
        final Map<String, Object> bound = new TreeMap<>();
        boolean anyFactory = false;
        for (Map.Entry<String, Object> e : environment.entrySet()) {
            final String key = e.getKey();
            final String value = String.valueOf(e.getValue()).trim();
            if (key.startsWith(CONNECTION_FACTORY_PREFIX)) {
                bound.put(name(key, CONNECTION_FACTORY_PREFIX), connectionFactory(key, value));
                anyFactory = true;
            } else if (key.startsWith(XA_CONNECTION_FACTORY_PREFIX)) {
                bound.put(name(key, XA_CONNECTION_FACTORY_PREFIX), xaConnectionFactory(key, value));
                anyFactory = true;
            } else if (key.startsWith(QUEUE_PREFIX)) {
                bound.put(name(key, QUEUE_PREFIX), destination(key, value, true));
            } else if (key.startsWith(TOPIC_PREFIX)) {
                bound.put(name(key, TOPIC_PREFIX), destination(key, value, false));
            }
        }
        if (!anyFactory) {
            final Object providerUrl = environment.get(Context.PROVIDER_URL);
            final String url = providerUrl == null ? StrandConnectionFactory.DEFAULT_URL : providerUrl.toString();
            bound.put(DEFAULT_CONNECTION_FACTORY_NAME, connectionFactory(Context.PROVIDER_URL, url));
        }
        return bound;
    }

    private static String name(String key, String prefix) throws ConfigurationException {
        final String name = key.substring(prefix.length()).trim();
        if (name.isEmpty()) {
            throw new ConfigurationException("JNDI property '" + key + "' names no object: write " + prefix + "<jndiName>");
        }
        return name;
    }

    private static StrandConnectionFactory connectionFactory(String key, String url) throws ConfigurationException {
        try {
            return new StrandConnectionFactory(url);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("JNDI property '" + key + "': " + e.getMessage());
        }
    }

    private static StrandXAConnectionFactory xaConnectionFactory(String key, String url) throws ConfigurationException {
        try {
            return new StrandXAConnectionFactory(url);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("JNDI property '" + key + "': " + e.getMessage());
        }
    }

    private static Object destination(String key, String name, boolean queue) throws ConfigurationException {
        try {
            return queue ? new StrandQueue(name) : new StrandTopic(name);
        } catch (InvalidDestinationException e) {
            throw new ConfigurationException("JNDI property '" + key + "': " + e.getMessage());
        }
    }
}
