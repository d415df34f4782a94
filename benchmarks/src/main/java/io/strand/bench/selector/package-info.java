/**
 * JMH benchmarks of what a queue consumer with a selector costs per record: the broker's evaluation of a
 * selector over a stored record's headers (read into header objects, or read in place), and the client's
 * decoding of a pushed record into a message (from header objects, or from views over the record). One op is
 * one batch of JMS BytesMessages with a 1 KiB body, as in the JMS system benchmark's selector workload.
 */
package io.strand.bench.selector;
