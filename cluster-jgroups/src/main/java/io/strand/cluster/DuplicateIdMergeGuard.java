package io.strand.cluster;

import java.util.Objects;
import org.jgroups.Address;
import org.jgroups.Event;
import org.jgroups.Header;
import org.jgroups.Message;
import org.jgroups.View;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.MERGE3;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.stack.Protocol;
import org.jgroups.util.MessageBatch;

/**
 * Keeps a group formed by a second process under a live node's id from being merged into the cluster. NO_DUPES
 * refuses such a process's join, but one whose joins go unanswered (a loaded machine) becomes a group of its own,
 * and MERGE3 would merge it in: two processes would then vote as one Raft voter. Placed below MERGE3, this drops
 * MERGE3's messages and GMS's merge messages from a sender whose id a member of this node's view holds under
 * another address, so neither side learns of the other's group; the second process finds no peer and stops with
 * the reason ({@link ClusterNode#start}).
 */
final class DuplicateIdMergeGuard extends Protocol {
    private static final short MERGE3_ID = ClassConfigurator.getProtocolId(MERGE3.class);
    private static final short GMS_ID = ClassConfigurator.getProtocolId(GMS.class);

    private volatile View view;

    @Override
    public Object down(Event event) {
        if (event.getType() == Event.VIEW_CHANGE) {
            view = event.getArg();
        }
        return down_prot.down(event);
    }

    @Override
    public Object up(Message message) {
        return refuses(message) ? null : up_prot.up(message);
    }

    @Override
    public void up(MessageBatch batch) {
        batch.removeIf(this::refuses, true);
        if (!batch.isEmpty()) {
            up_prot.up(batch);
        }
    }

    /** A merge message from a sender whose id another process in this node's view (this node included) holds. */
    boolean refuses(Message message) {
        if (!isAboutMerging(message)) {
            return false;
        }
        Address sender = message.src();
        int id = ClusterNode.brokerIdOf(sender);
        View current = view;
        if (id < 0 || current == null) {
            return false;
        }
        for (Address member : current.getMembers()) {
            if (!Objects.equals(member, sender) && ClusterNode.brokerIdOf(member) == id) {
                log.warn("%s: ignored %s's merge messages: node %d is %s in this view; a second process under a"
                        + " live node's id is not merged in", local_addr, sender, id, member);
                return true;
            }
        }
        return false;
    }

    private static boolean isAboutMerging(Message message) {
        if (message.getHeader(MERGE3_ID) != null) {
            return true;
        }
        Header gms = message.getHeader(GMS_ID);
        if (gms instanceof GMS.GmsHeader header) {
            byte type = header.getType();
            return type == GMS.GmsHeader.MERGE_REQ || type == GMS.GmsHeader.MERGE_RSP
                    || type == GMS.GmsHeader.INSTALL_MERGE_VIEW;
        }
        return false;
    }
}
