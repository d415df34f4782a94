/**
 * The administration client and its part of the wire protocol (DESIGN.md §1, §7): requests and
 * responses of the {@code ADMIN_*} apis of {@link io.strand.protocol.ApiKey}, and
 * {@link io.strand.admin.StrandAdmin}, which the CLI and the web console use to see and
 * steer brokers. Every view is per broker and per partition, so a cluster adds rows, not new calls.
 * Encodings follow {@link io.strand.protocol}: every response starts with a status, and a response
 * with an error status holds nothing else.
 */
package io.strand.admin;
