/**
 * The controller's decisions as plain Java: given the current
 * {@link io.strand.cluster.metadata.MetadataImage} and an event (a broker registers, brokers leave the
 * membership, a leader asks to change its ISR, an operator creates a topic or reassigns a partition),
 * {@link io.strand.cluster.controller.ClusterController} answers with the metadata records to commit, or
 * refuses with a {@link io.strand.cluster.controller.ControllerException} naming the problem.
 *
 * <p>Nothing here keeps state between calls or imports JGroups: the Raft leader runs it, commits the
 * records, and the next call sees them in the image. That makes every decision a pure function, tested
 * deterministically and run unchanged in a simulation. Public API of the cluster module.
 */
package io.strand.cluster.controller;
