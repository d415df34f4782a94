package io.strand.cli;

import io.strand.admin.DescribeCluster;
import io.strand.admin.StrandAdmin;
import picocli.CommandLine.Command;

@Command(name = "cluster", description = "The brokers of the cluster.", subcommands = ClusterCommands.Describe.class)
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
}
