package io.strand.cli;

import io.strand.admin.DescribeConnections;
import io.strand.admin.StrandAdmin;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;

@Command(name = "connections", description = "Client connections and their consumers.",
        subcommands = ConnectionCommands.ListCommand.class)
final class ConnectionCommands extends CommandGroup {

    @Command(name = "list", description = "Every client connection with its client id, user and consumers.")
    static final class ListCommand extends AdminCommand {
        @Override
        Object run(StrandAdmin admin) {
            return admin.describeConnections().stream().map(c -> Rows.of("remoteAddress", c.remoteAddress(),
                    "clientId", c.clientId(), "user", c.user(), "consumers", c.consumers().size(), "consuming",
                    c.consumers().stream().map(ConnectionCommands::describe).collect(Collectors.joining(", "))))
                    .toList();
        }
    }

    private static String describe(DescribeConnections.Consumer consumer) {
        return consumer.kind().name().toLowerCase() + " " + consumer.destination()
                + (consumer.subscription() == null ? "" : "/" + consumer.subscription());
    }
}
