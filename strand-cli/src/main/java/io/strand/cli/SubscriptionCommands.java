package io.strand.cli;

import io.strand.admin.DescribeSubscriptions;
import io.strand.admin.Rewind;
import io.strand.admin.StrandAdmin;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;

@Command(name = "subscriptions", description = "Durable and shared topic subscriptions: list and describe with lag,"
        + " rewind, delete.",
        subcommands = {SubscriptionCommands.ListCommand.class, SubscriptionCommands.Describe.class,
                SubscriptionCommands.RewindCommand.class, SubscriptionCommands.Delete.class})
final class SubscriptionCommands extends CommandGroup {
    /** What CLIENT_ID is for a shared subscription opened without a client id, as the tables show it. */
    static final String NO_CLIENT_ID = "-";

    static Map<String, Object> summary(DescribeSubscriptions.Subscription s) {
        return Rows.of("clientId", s.clientId(), "name", s.name(), "topic", s.topic(), "kind", kind(s),
                "consumers", s.members().size(), "lag", s.lag(), "inFlight", s.inFlight() < 0 ? null : s.inFlight(),
                "oldestAgeMs", Rows.millis(s.oldestAgeMs()), "deadLetters", s.isShared() ? s.deadLetters() : null,
                "selector", s.selector());
    }

    static String kind(DescribeSubscriptions.Subscription s) {
        return s.kind().name().toLowerCase().replace('_', '-');
    }

    static String clientId(String given) {
        return NO_CLIENT_ID.equals(given) ? null : given;
    }

    @Command(name = "list", description = "Every durable and shared subscription: consumers, lag in messages and the age"
            + " of its oldest unacknowledged one, messages in flight, dead letters.")
    static final class ListCommand extends AdminCommand {
        @Option(names = "--topic", paramLabel = "TOPIC", description = "Only the subscriptions of this topic.")
        String topic;

        @Override
        Object run(StrandAdmin admin) {
            return admin.describeSubscriptions(topic).stream().map(SubscriptionCommands::summary).toList();
        }
    }

    @Command(name = "describe", description = "One subscription: its consumers, and its position and lag per partition.")
    static final class Describe extends AdminCommand {
        @Parameters(index = "0", paramLabel = "CLIENT_ID", description = "The client id, or - for a shared"
                + " subscription opened without one.")
        String clientId;

        @Parameters(index = "1", paramLabel = "NAME")
        String name;

        @Override
        Object run(StrandAdmin admin) {
            String id = clientId(clientId);
            DescribeSubscriptions.Subscription s = admin.describeSubscriptions(null).stream()
                    .filter(x -> Objects.equals(x.clientId(), id) && x.name().equals(name)).findFirst()
                    .orElseThrow(() -> new ParameterException(spec.commandLine(), (id == null ? "without a client id"
                            + " there is" : "client " + id + " has") + " no subscription '" + name + "'"));
            Map<String, Object> shown = summary(s);
            shown.put("noLocal", s.noLocal());
            shown.put("deadLetterQueue", s.deadLetterQueue());
            shown.put("members", s.members().stream().map(m -> Rows.of("remoteAddress", m.remoteAddress(),
                    "consumer", m.consumerId())).toList());
            shown.put("partitions", s.partitions().stream().map(p -> Rows.of("partition", p.partition(),
                    "position", p.position(), "highWatermark", p.highWatermark(), "lag", p.lag(),
                    "inFlight", p.inFlight() < 0 ? null : p.inFlight(), "oldestAgeMs", Rows.millis(p.oldestAgeMs())))
                    .toList());
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

    @Command(name = "delete", description = "Deletes a durable or shared durable subscription of any client (it must"
            + " have no active consumer).")
    static final class Delete extends AdminCommand {
        @Parameters(index = "0", paramLabel = "CLIENT_ID", description = "The client id, or - for a shared"
                + " subscription opened without one.")
        String clientId;

        @Parameters(index = "1", paramLabel = "NAME")
        String name;

        @Override
        Object run(StrandAdmin admin) {
            String id = clientId(clientId);
            admin.deleteSubscription(id, name);
            return Rows.of("deleted", "subscription " + name + (id == null ? " (no client id)" : " of client " + id));
        }
    }
}
