/**
 * JNDI for standalone applications: {@link io.strand.jms.jndi.StrandInitialContextFactory} binds
 * connection factories, queues and topics from {@code connectionFactory.*}, {@code queue.*} and
 * {@code topic.*} properties into a read-only context. Public API (the factory's class name goes into
 * {@code java.naming.factory.initial}); the context class is an implementation detail.
 */
package io.strand.jms.jndi;
