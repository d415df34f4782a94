package io.strand.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.jgroups.Address;
import org.jgroups.View;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.raft.ELECTION;
import org.jgroups.protocols.raft.election.VoteResponse;
import org.jgroups.util.ByteArrayDataOutputStream;

/**
 * jgroups-raft's election, choosing a Raft leader other than the active broker when another voter's log is
 * just as far: the Raft leader is the controller, and a broker that is both turns its death into an election and
 * a JMS failover at once, each waiting on the other.
 *
 * <p>The view coordinator collects the voters' last log term and index and names the one with the highest,
 * a tie going to the member first in the view, which is the oldest: after the controller dies, the broker that
 * joined earliest would take over, often the active broker. This only breaks that tie otherwise; a voter whose
 * log is behind is never chosen, so Raft's rule that the leader holds every committed entry stands.
 *
 * <p>It speaks as {@link ELECTION} on the wire (the same protocol id), so nodes with either can elect together.
 */
final class ElectionAvoidingActiveBroker extends ELECTION {
    /**
     * After a view that brought members in (a merge after a partition healed, say), when the Raft leader tells
     * them again that it leads: its first word, sent as the view is installed, is dropped by a member that has not
     * installed that view yet (a message from a non-member), and a member that knows no leader refuses every append,
     * so that the leader would commit nothing once it needs that member for a majority.
     */
    private static final long[] ANNOUNCE_AGAIN_AFTER_MS = {250, 1_000, 3_000};

    private final IntSupplier activeBroker;

    /** @param activeBroker the id of the active broker as this node's metadata tells, or a negative number for none */
    ElectionAvoidingActiveBroker(IntSupplier activeBroker) {
        this.activeBroker = activeBroker;
        setId(ClassConfigurator.getProtocolId(ELECTION.class));
    }

    @Override
    protected void handleView(View next) {
        View previous = view;
        super.handleView(next);
        if (raft.isLeader() && previous != null && !View.newMembers(previous, next).isEmpty()) {
            for (long delayMs : ANNOUNCE_AGAIN_AFTER_MS) {
                getTransport().getTimer().schedule(this::announceLeadership, delayMs, TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Tells every member that this node leads in its term, if it still does; receivers that know it already ignore it. */
    void announceLeadership() {
        if (raft.isLeader()) {
            sendLeaderElectedMessage(raft.leader(), raft.currentTerm());
        }
    }

    @Override
    protected Address determineLeader() {
        Address chosen = super.determineLeader();
        int active = activeBroker.getAsInt();
        if (chosen == null || active < 0 || ClusterNode.brokerIdOf(chosen) != active) {
            return chosen;
        }
        Map<Address, VoteResponse> votes = getVotes().getResults();
        byte[] chosenLog = serialized(votes.get(chosen));
        for (Address member : view.getMembersRaw()) {
            VoteResponse vote = votes.get(member);
            // A vote holds the voter's term and its log's last term and index, and nothing else: equal bytes are
            // an equally far log (a different term only makes this keep the default choice).
            if (vote != null && !member.equals(chosen) && Arrays.equals(serialized(vote), chosenLog)) {
                log.debug("%s: the Raft leader would be %s, the active broker; %s has as far a log and leads instead",
                        local_addr, chosen, member);
                return member;
            }
        }
        return chosen;
    }

    private static byte[] serialized(VoteResponse vote) {
        ByteArrayDataOutputStream out = new ByteArrayDataOutputStream(32);
        try {
            vote.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Arrays.copyOf(out.buffer(), out.position());
    }
}
