/**
 * Strand's Jakarta Connectors 2.1 resource adapter (DESIGN.md §6), deployed as {@code strand-ra.rar}.
 *
 * <p>Outbound: {@link io.strand.ra.StrandManagedConnectionFactory} gives applications a
 * {@code jakarta.jms.ConnectionFactory} whose connections and sessions are handles onto pooled
 * {@link io.strand.ra.StrandManagedConnection}s; each managed connection takes part in the container's
 * transaction through a {@code LocalTransaction} or an {@code XAResource}, and the handles apply the rules of
 * JMS 3.1 §12 for the web and EJB containers.
 *
 * <p>Inbound: {@link io.strand.ra.StrandActivationSpec} describes what a message-driven bean consumes;
 * an {@link io.strand.ra.EndpointActivation} delivers it through a pool of sessions, reconnecting with
 * backoff when the broker goes away.
 *
 * <p>Public API: the classes the deployment descriptors and annotations name (resource adapter, managed
 * connection factory, activation spec, administered objects). Everything else is internal.
 */
package io.strand.ra;
