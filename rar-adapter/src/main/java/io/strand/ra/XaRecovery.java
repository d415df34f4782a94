package io.strand.ra;

import jakarta.jms.JMSException;
import jakarta.jms.XAConnection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.transaction.xa.XAResource;

/**
 * The XA resources the container asks for when it recovers the transactions of message-driven beans after a
 * crash ({@code ResourceAdapter.getXAResources}): one per broker and user the activations consume from, each on
 * a connection of its own that stays open until the adapter stops, since the container commits or rolls back
 * the branches it recovered after asking.
 *
 * <p>The prepared transactions live on the broker, so which activation prepared one does not matter. Thread-safe.
 */
final class XaRecovery {
    private static final System.Logger LOG = System.getLogger(XaRecovery.class.getName());

    /** A broker and the user whose branches it recovers. */
    record Target(String url, Credentials credentials) { }

    private final Map<Target, XAConnection> connections = new LinkedHashMap<>();

    /** @return a resource for each target reachable with XA; the unreachable ones are logged and left out */
    synchronized List<XAResource> resources(List<Target> targets) {
        final List<XAResource> resources = new ArrayList<>();
        for (Target target : targets) {
            try {
                resources.add(connection(target).createXASession().getXAResource());
            } catch (JMSException e) {
                LOG.log(System.Logger.Level.WARNING, "no XA recovery for {0} as {1}: {2}", target.url(),
                        target.credentials(), e.getMessage());
            }
        }
        return resources;
    }

    private XAConnection connection(Target target) throws JMSException {
        final XAConnection open = connections.get(target);
        if (open != null) {
            return open;
        }
        final XAConnection connection = PhysicalConnections.open(target.url(), target.credentials());
        connections.put(target, connection);
        return connection;
    }

    synchronized void close() {
        for (XAConnection connection : connections.values()) {
            try {
                connection.close();
            } catch (JMSException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing an XA recovery connection: {0}", e.toString());
            }
        }
        connections.clear();
    }
}
