package io.strand.cluster.metadata;

/**
 * A broker left the membership: it may not lead or count in an ISR until it is unfenced.
 *
 * @param brokerId the fenced broker
 */
public record FenceBroker(int brokerId) implements MetadataRecord {
    public FenceBroker {
        MetadataChecks.requireBrokerId(brokerId);
    }
}
