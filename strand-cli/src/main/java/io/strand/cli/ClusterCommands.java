package io.strand.cli;

import io.strand.admin.DescribeCluster;
import io.strand.admin.ReassignPartition;
import io.strand.admin.StrandAdmin;
import io.strand.protocol.DestinationType;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "cluster", description = "The brokers of the cluster.",
        subcommands = {ClusterCommands.Describe.class, ClusterCommands.Reassign.class, ClusterCommands.MoveActive.class})
final class ClusterCommands extends CommandGroup {

    @Command(name = "describe", description = "The brokers and the controller (one broker for a single node).")
    static final class Describe extends AdminCommand {
        @Override
        Object run(StrandAdmin admin) {
            DescribeCluster.Response cluster = admin.describeCluster();
            return Rows.of("controller", cluster.controllerId(), "brokers", cluster.brokers().stream()
                    .map(b -> Rows.of("id", b.id(), "host", b.host(), "port", b.port())).toList());
        }
    }

    @Command(name = "reassign", description = "Moves a partition to other brokers: the new replicas copy the log "
            + "and join the in-sync replicas before the old ones are dropped (destinations describe shows it).")
    static final class Reassign extends AdminCommand {
        @Parameters(paramLabel = "NAME", description = "The destination.")
        String name;

        @Option(names = {"-t", "--type"}, paramLabel = "TYPE", required = true, description = "queue or topic.")
        DestinationType type;

        @Option(names = {"-p", "--partition"}, paramLabel = "N", description = "The partition (default 0).")
        int partition;

        @Option(names = {"-r", "--replicas"}, paramLabel = "IDS", split = ",", required = true,
                description = "The broker ids to hold it, comma separated; the active broker must be one of them.")
        List<Integer> replicas;

        @Override
        Object run(StrandAdmin admin) {
            admin.reassignPartition(new ReassignPartition.Request(type, name, partition, replicas));
            return Rows.of("destination", name, "partition", partition, "targetReplicas", replicas, "status",
                    "moving");
        }
    }

    @Command(name = "move-active", description = "Moves the active role, which serves every client, to another "
            + "broker that is in sync for every partition it holds; clients follow it as after a failover. Before "
            + "maintenance of the active broker, or to bring the role back to a broker once it caught up.")
    static final class MoveActive extends AdminCommand {
        @Parameters(paramLabel = "BROKER", description = "The id of the broker to take the active role.")
        int brokerId;

        @Override
        Object run(StrandAdmin admin) {
            admin.moveActive(brokerId);
            return Rows.of("active", brokerId, "status", "moved");
        }
    }
}
