package io.strand.cluster.controller;

import io.strand.cluster.metadata.MetadataRecord;
import java.util.List;
import java.util.Map;

/**
 * The controller's decision on ISR changes that one leader asked for together: the records of those it
 * accepts, to commit as one batch, and why it refused each of the others.
 *
 * @param records  the partition changes to commit, at most one per partition
 * @param refusals each refused request, by its index in the list asked for
 */
public record AlterIsrDecision(List<MetadataRecord> records, Map<Integer, ControllerException> refusals) {
    public AlterIsrDecision {
        records = List.copyOf(records);
        refusals = Map.copyOf(refusals);
    }
}
