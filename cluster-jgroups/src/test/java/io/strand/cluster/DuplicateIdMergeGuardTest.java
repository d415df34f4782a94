package io.strand.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.jgroups.Address;
import org.jgroups.EmptyMessage;
import org.jgroups.Event;
import org.jgroups.Header;
import org.jgroups.Message;
import org.jgroups.View;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.MERGE3;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.protocols.raft.RAFT;
import org.jgroups.stack.Protocol;
import org.jgroups.util.ExtendedUUID;
import org.jgroups.util.Util;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The guard below MERGE3 passes every message but the merge messages of a sender whose id another member of the
 * view holds: a group formed by a second process under a live id is never merged in.
 */
class DuplicateIdMergeGuardTest {
    private final Address one = node(1);
    private final Address two = node(2);
    private final Address three = node(3);
    private final Address secondTwo = node(2);
    private final List<Message> passedUp = new ArrayList<>();
    private final DuplicateIdMergeGuard guard = new DuplicateIdMergeGuard();

    private static Address node(int id) {
        return ExtendedUUID.randomUUID(Integer.toString(id)).put(RAFT.raft_id_key, Util.stringToBytes(Integer.toString(id)));
    }

    @BeforeEach
    void stack() {
        guard.setUpProtocol(new Protocol() {
            @Override
            public Object up(Message message) {
                passedUp.add(message);
                return null;
            }
        });
        guard.setDownProtocol(new Protocol() {
            @Override
            public Object down(Event event) {
                return null;
            }
        });
        guard.down(new Event(Event.VIEW_CHANGE, View.create(one, 3, one, two, three)));
    }

    private Message from(Address sender, short protocol, Header header) {
        return new EmptyMessage(one).setSrc(sender).putHeader(protocol, header);
    }

    private static short idOf(Class<?> protocol) {
        return ClassConfigurator.getProtocolId(protocol);
    }

    @Test
    void mergeMessagesOfASecondProcessUnderALiveIdAreDropped() {
        guard.up(from(secondTwo, idOf(MERGE3.class), MERGE3.MergeHeader.createViewRequest()));
        guard.up(from(secondTwo, idOf(GMS.class), new GMS.GmsHeader(GMS.GmsHeader.MERGE_REQ)));
        guard.up(from(secondTwo, idOf(GMS.class), new GMS.GmsHeader(GMS.GmsHeader.INSTALL_MERGE_VIEW)));

        assertThat(passedUp).isEmpty();
    }

    @Test
    void everythingElsePasses() {
        guard.up(from(secondTwo, idOf(GMS.class), new GMS.GmsHeader(GMS.GmsHeader.JOIN_REQ))); // NO_DUPES refuses it
        guard.up(from(two, idOf(MERGE3.class), MERGE3.MergeHeader.createViewRequest()));
        guard.up(from(node(4), idOf(MERGE3.class), MERGE3.MergeHeader.createViewRequest()));

        assertThat(passedUp).hasSize(3);
    }
}
