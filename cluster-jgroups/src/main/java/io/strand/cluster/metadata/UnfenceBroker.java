package io.strand.cluster.metadata;

/**
 * A fenced broker whose process never stopped (it was cut off, then the membership healed) is live
 * again under its existing registration.
 *
 * @param brokerId the unfenced broker
 */
public record UnfenceBroker(int brokerId) implements MetadataRecord {
    public UnfenceBroker {
        MetadataChecks.requireBrokerId(brokerId);
    }
}
