package io.strand.cli;

import io.strand.admin.DescribeSubscriptions;
import io.strand.admin.Rewind;
import io.strand.admin.StrandAdmin;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;

@Command(name = "subscriptions", description = "Durable topic subscriptions: list and describe with lag, rewind, delete.",
        subcommands = {SubscriptionCommands.ListCommand.class, SubscriptionCommands.Describe.class,
                SubscriptionCommands.RewindCommand.class, SubscriptionCommands.Delete.class})
final class SubscriptionCommands extends CommandGroup {

    static Map<String, Object> summary(DescribeSubscriptions.Subscription s) {
        return Rows.of("clientId", s.clientId(), "name", s.name(), "topic", s.topic(), "active", s.active(),
                "lag", s.lag(), "oldestAgeMs", Rows.millis(s.oldestAgeMs()), "selector", s.selector());
    }

    @Command(name = "list", description = "Every durable subscription with its lag in messages and the age of its oldest unread one.")
    static final class ListCommand extends AdminCommand {
        @Option(names = "--topic", paramLabel = "TOPIC", description = "Only the subscriptions of this topic.")
        String topic;

        @Override
        Object run(StrandAdmin admin) {
            return admin.describeSubscriptions(topic).stream().map(SubscriptionCommands::summary).toList();
        }
    }

    @Command(name = "describe", description = "One durable subscription, with its position and lag per partition.")
    static final class Describe extends AdminCommand {
        @Parameters(index = "0", paramLabel = "CLIENT_ID")
        String clientId;

        @Parameters(index = "1", paramLabel = "NAME")
        String name;

        @Override
        Object run(StrandAdmin admin) {
            DescribeSubscriptions.Subscription s = admin.describeSubscriptions(null).stream()
                    .filter(x -> x.clientId().equals(clientId) && x.name().equals(name)).findFirst()
                    .orElseThrow(() -> new ParameterException(spec.commandLine(), "client " + clientId
                            + " has no durable subscription '" + name + "'"));
            Map<String, Object> shown = summary(s);
            shown.put("noLocal", s.noLocal());
            shown.put("partitions", s.partitions().stream().map(p -> Rows.of("partition", p.partition(),
                    "position", p.position(), "highWatermark", p.highWatermark(), "lag", p.lag(),
                    "oldestAgeMs", Rows.millis(p.oldestAgeMs()))).toList());
            return shown;
        }
    }

    @Command(name = "rewind", description = "Moves an idle durable subscription to an offset or a time: what follows is delivered again.")
    static final class RewindCommand extends AdminCommand {
        @Parameters(index = "0", paramLabel = "CLIENT_ID")
        String clientId;

        @Parameters(index = "1", paramLabel = "NAME")
        String name;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Position to;

        @Option(names = "--partition", paramLabel = "N", defaultValue = "-1", description = "One partition (default: all).")
        int partition;

        @Override
        Object run(StrandAdmin admin) {
            return Rewinding.shown(admin.rewind(Rewinding.request(spec, Rewind.Target.SUBSCRIPTION, clientId, name,
                    partition, to)));
        }
    }

    @Command(name = "delete", description = "Deletes a durable subscription of any client (it must have no active consumer).")
    static final class Delete extends AdminCommand {
        @Parameters(index = "0", paramLabel = "CLIENT_ID")
        String clientId;

        @Parameters(index = "1", paramLabel = "NAME")
        String name;

        @Override
        Object run(StrandAdmin admin) {
            admin.deleteSubscription(clientId, name);
            return Rows.of("deleted", "durable subscription " + name + " of client " + clientId);
        }
    }
}
