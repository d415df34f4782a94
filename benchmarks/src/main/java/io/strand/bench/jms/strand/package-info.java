/**
 * The Strand side of the JMS system benchmark: {@link io.strand.bench.jms.strand.StrandBrokerMain}
 * runs the broker's own launcher (what {@code ./strand} runs) in a JVM of its own.
 */
package io.strand.bench.jms.strand;
