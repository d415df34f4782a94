/**
 * The ActiveMQ Artemis side of the JMS system benchmark: {@link io.strand.bench.jms.artemis.ArtemisBrokerMain}
 * starts an embedded Artemis in a JVM of its own, on Artemis' own classpath ({@code target/artemis-lib}),
 * never on this module's classpath, where Strand's Netty 4.2 would replace the Netty 4.1 Artemis ships with.
 */
package io.strand.bench.jms.artemis;
