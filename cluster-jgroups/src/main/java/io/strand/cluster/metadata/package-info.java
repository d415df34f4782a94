/**
 * The cluster metadata as plain Java: the records of DESIGN.md §5, their versioned binary encoding,
 * the immutable {@link io.strand.cluster.metadata.MetadataImage} they build and the
 * {@link io.strand.cluster.metadata.MetadataStateMachine} that applies them in order and writes and
 * reads snapshots.
 *
 * <p>Every broker applies the same records in the same order, so everything here is deterministic and
 * imports no JGroups type (a build test enforces it). Public API of the cluster module.
 */
package io.strand.cluster.metadata;
