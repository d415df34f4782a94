/**
 * Strand's cluster control plane on JGroups: a {@link io.strand.cluster.ClusterNode} joins the
 * membership, replicates the cluster metadata with jgroups-raft and, while it is the Raft leader,
 * runs the controller.
 *
 * <p>Only this package touches JGroups types. The metadata ({@code io.strand.cluster.metadata}) and
 * the controller's decisions ({@code io.strand.cluster.controller}) are plain Java that this package
 * drives from outside, so they run unchanged in a simulation. Nothing here knows of logs: the cluster
 * decides who leads which partition, and broker-engine moves the bytes.
 *
 * <p>Public API, used by broker-engine.
 */
package io.strand.cluster;
