package io.strand.cluster.metadata;

/**
 * One change to the cluster metadata. Records are the only way the metadata changes: the controller
 * decides them, Raft orders them, and every broker applies them with a {@link MetadataStateMachine}.
 *
 * <p>The set is closed so that the codec and the state machine handle every kind, checked by the
 * compiler.
 */
public sealed interface MetadataRecord
        permits RegisterBroker, FenceBroker, UnfenceBroker, CreateTopic, DeleteTopic, PartitionChange,
        AlterTopicConfig, CreatePartitions {
}
