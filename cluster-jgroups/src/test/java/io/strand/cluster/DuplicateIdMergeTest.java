package io.strand.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jgroups.Address;
import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.stack.Protocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second process under a live node's id that formed a group of its own, as one whose joins went unanswered on a
 * loaded machine does, made to happen on demand: its join requests are dropped on their way out, so it gives up
 * joining and becomes a group of one next to the cluster, and MERGE3 finds the two groups. The first test shows the
 * cluster never takes it in; the second, with {@link DuplicateIdMergeGuard} taken out of every stack, that the merge
 * the guard refuses does happen without it, so the first test is not passing for want of a merge attempt.
 */
class DuplicateIdMergeTest {
    /** Long enough for several MERGE3 rounds (each node asks every 2 to 5 s). */
    private static final Duration MERGE_ROUNDS = Duration.ofMillis(4 * JGroupsStack.MERGE_MAX_INTERVAL_MS);

    @TempDir
    Path dir;
    private LoopbackCluster cluster;
    private JChannel intruder;

    @AfterEach
    void closeAll() {
        if (intruder != null) {
            intruder.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aGroupFormedUnderALiveNodesIdIsNeverMergedIntoTheCluster() throws Exception {
        cluster = LoopbackCluster.withStaticPeers(dir, 3).startAll();
        List<Address> members = cluster.node(1).channel().getView().getMembers();
        long incarnation = cluster.node(2).incarnation();

        intruder = groupOfItsOwnAsNode2();

        await().pollDelay(MERGE_ROUNDS).atMost(MERGE_ROUNDS.plusSeconds(5)).untilAsserted(() -> {
            for (ClusterNode node : cluster.running()) {
                assertThat(node.channel().getView().getMembers()).containsExactlyElementsOf(members);
            }
            assertThat(intruder.getView().getMembers()).containsExactly(intruder.getAddress());
        });
        assertThat(cluster.node(1).image().isLive(2)).isTrue();
        assertThat(cluster.node(1).image().broker(2).orElseThrow().incarnation()).isEqualTo(incarnation);
    }

    @Test
    void withoutTheGuardMerge3TakesTheSecondProcessIn() throws Exception {
        cluster = LoopbackCluster.withStaticPeers(dir, 3).startAll();
        cluster.running().forEach(node -> node.channel().getProtocolStack().removeProtocol(DuplicateIdMergeGuard.class));

        intruder = groupOfItsOwnAsNode2();
        intruder.getProtocolStack().removeProtocol(DuplicateIdMergeGuard.class);

        await().atMost(MERGE_ROUNDS.multipliedBy(3)).untilAsserted(() ->
                assertThat(cluster.node(1).channel().getView().getMembers()).contains(intruder.getAddress()));
    }

    /** A process configured as node 2 (its own port and data) whose joins nobody answers: it ends up alone. */
    private JChannel groupOfItsOwnAsNode2() throws Exception {
        ClusterNodeConfig config = LoopbackCluster.config(2, LoopbackCluster.freeAddress(),
                cluster.configOf(2).discovery(), 3, dir.resolve("intruder"));
        List<Protocol> protocols = new ArrayList<>(JGroupsStack.protocols(config, () -> -1));
        int gms = indexOf(protocols, GMS.class);
        ((GMS) protocols.get(gms)).setMaxJoinAttempts(2);
        protocols.add(gms, new JoinRequestsLost());
        JChannel channel = new JChannel(protocols).name("intruder-2");
        channel.connect("strand-" + LoopbackCluster.CLUSTER_ID);
        assertThat(channel.getView().getMembers()).containsExactly(channel.getAddress());
        return channel;
    }

    private static int indexOf(List<Protocol> protocols, Class<? extends Protocol> type) {
        for (int i = 0; i < protocols.size(); i++) {
            if (type.isInstance(protocols.get(i))) {
                return i;
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in the stack");
    }

    /** Just below GMS: drops this process's join requests, as a coordinator too busy to answer would. */
    private static final class JoinRequestsLost extends Protocol {
        private static final short GMS_ID = ClassConfigurator.getProtocolId(GMS.class);

        @Override
        public Object down(Message message) {
            if (message.getHeader(GMS_ID) instanceof GMS.GmsHeader header
                    && (header.getType() == GMS.GmsHeader.JOIN_REQ
                    || header.getType() == GMS.GmsHeader.JOIN_REQ_WITH_STATE_TRANSFER)) {
                return null;
            }
            return down_prot.down(message);
        }
    }
}
