package io.strand.cluster.metadata;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Applies metadata records in order, publishes the resulting {@link MetadataImage}, and writes and reads
 * snapshots.
 *
 * <p>Records arrive in batches, one per Raft entry, and a batch is applied whole or not at all: every
 * record is checked against the image the ones before it built, and if one does not fit, the batch is
 * refused with an {@link InvalidMetadataException} and the image does not change. Because the checks
 * depend on nothing but the image and the records, every broker accepts and refuses the same batches.
 *
 * <p>A snapshot is itself a batch: the records that rebuild the image from nothing. Loading a snapshot
 * and applying the records after it gives the same image as applying every record from the start.
 *
 * <p>Threading: one thread applies (Raft's); {@link #image()} may be read from any thread.
 */
public final class MetadataStateMachine {
    private volatile MetadataImage image = MetadataImage.EMPTY;
    private final List<MetadataListener> listeners = new CopyOnWriteArrayList<>();

    /** The image after the last applied batch. */
    public MetadataImage image() {
        return image;
    }

    /** Adds a listener told of every image from now on. */
    public void addListener(MetadataListener listener) {
        listeners.add(listener);
    }

    /**
     * Applies a batch of records.
     *
     * @return the new image
     * @throws InvalidMetadataException if a record does not fit; nothing is applied then
     */
    public MetadataImage apply(List<? extends MetadataRecord> records) {
        MetadataImage previous = image;
        MetadataImage next = applyTo(previous, records);
        publish(previous, next, List.copyOf(records));
        return next;
    }

    /** Writes the current image as a snapshot. */
    public byte[] snapshot() {
        return MetadataCodec.encodeBatch(snapshotRecords(image));
    }

    /**
     * Replaces the image with the one a snapshot holds.
     *
     * @throws MetadataFormatException  if the bytes are not a snapshot
     * @throws InvalidMetadataException if its records do not build a consistent image
     */
    public MetadataImage loadSnapshot(byte[] snapshot) {
        List<MetadataRecord> records = MetadataCodec.decodeBatch(snapshot, 0, snapshot.length);
        MetadataImage previous = image;
        MetadataImage next = applyTo(MetadataImage.EMPTY, records);
        publish(previous, next, records);
        return next;
    }

    /**
     * The records that rebuild an image from nothing, in a fixed order (brokers by id, then topics by
     * name with their partitions by index), so equal images give equal snapshots.
     */
    public static List<MetadataRecord> snapshotRecords(MetadataImage image) {
        List<MetadataRecord> records = new ArrayList<>();
        image.brokers().values().stream().sorted(Comparator.comparingInt(BrokerRegistration::brokerId))
                .forEach(broker -> {
                    records.add(broker.toRecord());
                    if (broker.fenced()) {
                        records.add(new FenceBroker(broker.brokerId()));
                    }
                });
        image.topics().values().stream().sorted(Comparator.comparing(TopicMetadata::name)).forEach(topic -> {
            records.add(new CreateTopic(topic.name(), topic.partitionCount(), topic.replicationFactor(),
                    topic.config()));
            topic.partitions().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(entry -> records.add(entry.getValue().toRecord()));
        });
        return records;
    }

    /** Applies records to an image without publishing: the pure function behind {@link #apply}. */
    public static MetadataImage applyTo(MetadataImage base, List<? extends MetadataRecord> records) {
        ImageDelta delta = new ImageDelta(base);
        for (MetadataRecord record : records) {
            RecordApplier.apply(delta, record);
        }
        MetadataImage next = delta.build();
        requireEveryPartitionPlaced(next, records);
        return next;
    }

    private static void requireEveryPartitionPlaced(MetadataImage next, List<? extends MetadataRecord> records) {
        for (MetadataRecord record : records) {
            String grown = record instanceof CreateTopic created ? created.name()
                    : record instanceof CreatePartitions added ? added.name() : null;
            TopicMetadata topic = grown == null ? null : next.topics().get(grown);
            if (topic != null && topic.partitions().size() != topic.partitionCount()) {
                throw new InvalidMetadataException("topic " + topic.name() + " has " + topic.partitionCount()
                        + " partitions but the batch that " + (record instanceof CreateTopic ? "created" : "grew")
                        + " it left " + topic.partitions().size() + " placed");
            }
        }
    }

    private void publish(MetadataImage previous, MetadataImage next, List<MetadataRecord> records) {
        image = next;
        for (MetadataListener listener : listeners) {
            listener.onImage(previous, next, records);
        }
    }
}
