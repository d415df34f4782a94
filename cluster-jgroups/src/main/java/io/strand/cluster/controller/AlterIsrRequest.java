package io.strand.cluster.controller;

import java.util.List;
import java.util.Objects;

/**
 * A partition leader asks to shrink its ISR (a follower fell behind) or expand it (a follower caught up).
 * The request names the epochs it was made in, so a request from a deposed leader or one made against an
 * older state is refused rather than applied.
 *
 * @param brokerId       the requesting leader
 * @param topic          the partition's topic
 * @param partition      its index
 * @param leaderEpoch    the leader epoch the requester leads in
 * @param partitionEpoch the partition epoch the request was made against
 * @param newIsr         the ISR the leader wants
 */
public record AlterIsrRequest(int brokerId, String topic, int partition, int leaderEpoch, int partitionEpoch,
                              List<Integer> newIsr) {
    public AlterIsrRequest {
        Objects.requireNonNull(topic, "topic");
        newIsr = List.copyOf(newIsr);
    }
}
