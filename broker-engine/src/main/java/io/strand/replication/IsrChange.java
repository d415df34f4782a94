package io.strand.replication;

import java.util.Map;
import java.util.Set;

/**
 * An ISR change a leader asks the controller to commit: the whole proposed set, checked by the
 * controller against the partition epoch the leader saw, so that a stale request changes nothing.
 * Each follower in the set comes with the broker epoch of the run that reported being in sync; the
 * controller refuses the change when a broker has registered again since (it may have restarted
 * with less, or with no disk at all).
 *
 * @param followerEpochs the broker epoch of each follower in {@code proposedIsr}
 */
public record IsrChange(Set<Integer> proposedIsr, Map<Integer, Long> followerEpochs, int partitionEpoch) {
    public IsrChange {
        proposedIsr = Set.copyOf(proposedIsr);
        followerEpochs = Map.copyOf(followerEpochs);
    }
}
