/**
 * Whole-broker measurements that JMH does not fit: {@link io.strand.bench.broker.BrokerRestartScale}
 * restarts a broker holding many destinations and times the first delivered message.
 */
package io.strand.bench.broker;
