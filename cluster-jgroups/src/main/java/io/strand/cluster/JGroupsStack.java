package io.strand.cluster;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.IntSupplier;
import org.jgroups.protocols.FD_ALL3;
import org.jgroups.protocols.FD_SOCK2;
import org.jgroups.protocols.FILE_PING;
import org.jgroups.protocols.FRAG4;
import org.jgroups.protocols.MERGE3;
import org.jgroups.protocols.MFC;
import org.jgroups.protocols.TCP;
import org.jgroups.protocols.TCPPING;
import org.jgroups.protocols.SYM_ENCRYPT;
import org.jgroups.protocols.UNICAST3;
import org.jgroups.protocols.VERIFY_SUSPECT2;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.protocols.pbcast.NAKACK2;
import org.jgroups.protocols.pbcast.STABLE;
import org.jgroups.protocols.raft.NO_DUPES;
import org.jgroups.protocols.raft.RAFT;
import org.jgroups.protocols.raft.REDIRECT;
import org.jgroups.stack.Protocol;

/**
 * The protocol stack of a node, built in code rather than from XML so that several nodes in one JVM
 * each get their own settings (XML stacks take them from system properties, which are global).
 *
 * <p>It is the stack verified on loopback in STACK.md §4: TCP with static or file discovery;
 * {@link DuplicateIdMergeGuard}, which keeps a second process under a live node's id from being merged in; MERGE3 to
 * heal partitions; FD_ALL3 (a hung process stops its heartbeats, noticed within seconds) confirmed by
 * VERIFY_SUSPECT2 within a quarter of a second, and above it FD_SOCK2 (a killed process closes its socket,
 * noticed and excluded at once); SYM_ENCRYPT when the cluster has a secret ({@link ClusterNodeConfig#membershipKey}); NO_DUPES, which
 * refuses a join under a Raft id already in the view; then ELECTION (which keeps the Raft leader off the active
 * broker when it can, {@link ElectionAvoidingActiveBroker}), RAFT and REDIRECT on top.
 */
final class JGroupsStack {
    /** FD_SOCK2 listens this far above the TCP port. */
    static final int FAILURE_DETECTION_PORT_OFFSET = 100;
    static final long FAILURE_TIMEOUT_MS = 3000;
    static final long HEARTBEAT_INTERVAL_MS = 1000;
    /**
     * How long a member FD_ALL3 suspects has to answer before it is excluded. Its missed heartbeats already waited
     * seconds, so the check can be short.
     */
    static final long SUSPECT_VERIFY_MS = 250;
    static final long MERGE_MIN_INTERVAL_MS = 2000;
    static final long MERGE_MAX_INTERVAL_MS = 5000;
    static final long GMS_JOIN_TIMEOUT_MS = 1000;
    static final long RAFT_RESEND_INTERVAL_MS = 100;

    private JGroupsStack() {
    }

    /** @param activeBroker the active broker the metadata names, which the Raft leader is chosen apart from */
    static List<Protocol> protocols(ClusterNodeConfig config, IntSupplier activeBroker) {
        InetSocketAddress bind = config.bindAddress();
        List<Protocol> stack = new ArrayList<>();
        stack.add(new TCP().setValue("bind_addr", bind.getAddress()).setValue("bind_port", bind.getPort())
                .setValue("port_range", 0));
        stack.add(discovery(config.discovery()));
        stack.add(new DuplicateIdMergeGuard());
        stack.add(new MERGE3().setMinInterval(MERGE_MIN_INTERVAL_MS).setMaxInterval(MERGE_MAX_INTERVAL_MS));
        stack.add(new FD_ALL3().setTimeout(FAILURE_TIMEOUT_MS).setInterval(HEARTBEAT_INTERVAL_MS));
        stack.add(new VERIFY_SUSPECT2().setTimeout(SUSPECT_VERIFY_MS));
        // Above the verification: a socket the kernel closed means the process is gone (a pause or a slow network
        // keeps it open), so FD_SOCK2's suspicions exclude the member at once. Each of the quarter second a check
        // would take is one without a leader for every partition the dead broker led, and without an ISR shrink
        // for every partition it followed, during which acknowledged sends wait. FD_SOCK2 also suspects a new
        // neighbour that does not answer its connection within connect_timeout (1 s by default), which a starved
        // process might not; it gets as long as FD_ALL3 gives a silent member.
        stack.add(new FD_SOCK2().setOffset(FAILURE_DETECTION_PORT_OFFSET)
                .setValue("connect_timeout", (int) FAILURE_TIMEOUT_MS));
        // Right under NAKACK2, as JGroups advises: every message from there up (joins, views, Raft) is encrypted, and
        // one a node without the key sent does not decrypt and is dropped, so that node never joins.
        config.membershipKey().ifPresent(key -> stack.add(new SYM_ENCRYPT().setSecretKey(key)));
        stack.add(new NAKACK2().setValue("use_mcast_xmit", false));
        stack.add(new UNICAST3());
        stack.add(new STABLE());
        stack.add(new NO_DUPES());
        stack.add(new GMS().setJoinTimeout(GMS_JOIN_TIMEOUT_MS).printLocalAddress(false));
        stack.add(new MFC());
        stack.add(new FRAG4());
        stack.add(new ElectionAvoidingActiveBroker(activeBroker));
        stack.add(new RAFT().raftId(Integer.toString(config.nodeId()))
                .members(new TreeSet<>(config.voters()).stream().map(String::valueOf).toList())
                .logDir(config.dataDir().toString())
                .logPrefix("metadata")
                .maxLogSize(config.snapshotLogBytes())
                // A follower learns a commit on the leader's next append or on this periodic resend (1 s by
                // default), so a broker applies the leadership the controller gave it up to that much later.
                // (send_commits_immediately would say it at once, but leaves a joining node's registration
                // unapplied in jgroups-raft 1.1.4.)
                .resendInterval(RAFT_RESEND_INTERVAL_MS));
        stack.add(new REDIRECT());
        return stack;
    }

    private static Protocol discovery(ClusterNodeConfig.Discovery discovery) {
        if (discovery instanceof ClusterNodeConfig.StaticPeers staticPeers) {
            return new TCPPING().initialHosts(staticPeers.peers()).portRange(0);
        }
        if (discovery instanceof ClusterNodeConfig.SharedDirectory shared) {
            return new FILE_PING().setLocation(shared.directory().toString());
        }
        throw new IllegalStateException("no discovery protocol for " + discovery);
    }
}
