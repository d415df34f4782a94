package io.strand.cluster.metadata;

import java.util.HashMap;
import java.util.Map;

/**
 * The rules one record obeys against the image built so far. These are the state machine's own
 * guards, independent of the controller that chose the record: whatever the controller does, no image
 * ever holds an epoch that went back or two leaders in one leader epoch.
 */
final class RecordApplier {
    private RecordApplier() {
    }

    static void apply(ImageDelta delta, MetadataRecord record) {
        if (record instanceof RegisterBroker r) {
            delta.putBroker(new BrokerRegistration(r.brokerId(), r.incarnation(), r.endpoints(), r.rack(), false));
        } else if (record instanceof FenceBroker r) {
            setFenced(delta, r.brokerId(), true);
        } else if (record instanceof UnfenceBroker r) {
            setFenced(delta, r.brokerId(), false);
        } else if (record instanceof CreateTopic r) {
            if (delta.topic(r.name()) != null) {
                throw new InvalidMetadataException("topic " + r.name() + " already exists");
            }
            delta.putTopic(new TopicMetadata(r.name(), r.partitions(), r.replicationFactor(), r.config(), Map.of()));
        } else if (record instanceof DeleteTopic r) {
            if (delta.topic(r.name()) == null) {
                throw new InvalidMetadataException("topic " + r.name() + " does not exist");
            }
            delta.removeTopic(r.name());
        } else if (record instanceof PartitionChange r) {
            applyPartitionChange(delta, r);
        } else if (record instanceof CreatePartitions r) {
            TopicMetadata topic = delta.topic(r.name());
            if (topic == null) {
                throw new InvalidMetadataException("new partitions for topic " + r.name() + ": topic does not exist");
            }
            if (r.partitions() <= topic.partitionCount()) {
                throw new InvalidMetadataException("topic " + r.name() + " has " + topic.partitionCount()
                        + " partitions; partitions are only added, so " + r.partitions() + " is not a new count");
            }
            delta.putPartitionCount(r.name(), r.partitions());
        } else if (record instanceof AlterTopicConfig r) {
            TopicMetadata topic = delta.topic(r.name());
            if (topic == null) {
                throw new InvalidMetadataException("config change for topic " + r.name() + ": topic does not exist");
            }
            Map<String, String> config = new HashMap<>(topic.config());
            config.putAll(r.entries());
            delta.putTopicConfig(r.name(), config);
        } else {
            throw new IllegalStateException("no rule for " + record.getClass().getName());
        }
    }

    private static void setFenced(ImageDelta delta, int brokerId, boolean fenced) {
        BrokerRegistration broker = delta.broker(brokerId);
        if (broker == null) {
            throw new InvalidMetadataException("broker " + brokerId + " is not registered");
        }
        delta.putBroker(new BrokerRegistration(brokerId, broker.incarnation(), broker.endpoints(), broker.rack(),
                fenced));
    }

    private static void applyPartitionChange(ImageDelta delta, PartitionChange change) {
        String where = change.topic() + "-" + change.partition();
        TopicMetadata topic = delta.topic(change.topic());
        if (topic == null) {
            throw new InvalidMetadataException("partition change for " + where + ": topic does not exist");
        }
        if (change.partition() >= topic.partitionCount()) {
            throw new InvalidMetadataException("partition change for " + where + ": topic has only "
                    + topic.partitionCount() + " partitions");
        }
        for (int replica : change.replicas()) {
            if (delta.broker(replica) == null) {
                throw new InvalidMetadataException("partition change for " + where + ": replica " + replica
                        + " is not a registered broker");
            }
        }
        for (int target : change.targetReplicas()) {
            if (delta.broker(target) == null) {
                throw new InvalidMetadataException("partition change for " + where + ": target replica " + target
                        + " is not a registered broker");
            }
        }
        PartitionState current = delta.partition(change.topic(), change.partition());
        if (current != null) {
            requireEpochsMoveForward(where, current, change);
        }
        delta.putPartition(PartitionState.of(change));
    }

    private static void requireEpochsMoveForward(String where, PartitionState current, PartitionChange change) {
        if (change.partitionEpoch() <= current.partitionEpoch()) {
            throw new InvalidMetadataException("partition change for " + where + ": partitionEpoch "
                    + change.partitionEpoch() + " does not follow " + current.partitionEpoch());
        }
        if (change.leaderEpoch() < current.leaderEpoch()) {
            throw new InvalidMetadataException("partition change for " + where + ": leaderEpoch "
                    + change.leaderEpoch() + " goes back from " + current.leaderEpoch());
        }
        if (change.leader() != current.leader() && change.leaderEpoch() == current.leaderEpoch()) {
            throw new InvalidMetadataException("partition change for " + where + ": leader moves from "
                    + current.leader() + " to " + change.leader() + " without a new leaderEpoch");
        }
    }
}
