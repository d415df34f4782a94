package io.strand.cli;

import io.strand.admin.DescribeShareGroups;
import io.strand.admin.Rewind;
import io.strand.admin.StrandAdmin;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "share-groups", description = "The competing consumers of queues: list and describe with lag, rewind.",
        subcommands = {ShareGroupCommands.ListCommand.class, ShareGroupCommands.Describe.class,
                ShareGroupCommands.RewindCommand.class})
final class ShareGroupCommands extends CommandGroup {

    static Map<String, Object> summary(DescribeShareGroups.ShareGroup g) {
        return Rows.of("queue", g.queue(), "consumers", g.consumers(), "lag", g.lag(), "inFlight", g.inFlight(),
                "oldestAgeMs", Rows.millis(g.oldestAgeMs()), "deadLetterQueue", g.deadLetterQueue(),
                "deadLetters", g.deadLetters());
    }

    @Command(name = "list", description = "Every queue's share group: consumers, lag, messages in flight, dead letters.")
    static final class ListCommand extends AdminCommand {
        @Option(names = "--queue", paramLabel = "QUEUE", description = "Only this queue.")
        String queue;

        @Override
        Object run(StrandAdmin admin) {
            return admin.describeShareGroups(queue).stream().map(ShareGroupCommands::summary).toList();
        }
    }

    @Command(name = "describe", description = "One queue's share group per partition.")
    static final class Describe extends AdminCommand {
        @Parameters(paramLabel = "QUEUE")
        String queue;

        @Override
        Object run(StrandAdmin admin) {
            DescribeShareGroups.ShareGroup g = admin.describeShareGroups(queue).get(0);
            Map<String, Object> shown = summary(g);
            shown.put("partitions", g.partitions().stream().map(p -> Rows.of("partition", p.partition(),
                    "startOffset", p.startOffset(), "highWatermark", p.highWatermark(), "lag", p.lag(),
                    "inFlight", p.inFlight(), "delayed", p.delayed(), "oldestAgeMs", Rows.millis(p.oldestAgeMs())))
                    .toList());
            return shown;
        }
    }

    @Command(name = "rewind", description = "Moves a queue with no receivers to an offset or a time: what follows is delivered again.")
    static final class RewindCommand extends AdminCommand {
        @Parameters(paramLabel = "QUEUE")
        String queue;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Position to;

        @Option(names = "--partition", paramLabel = "N", defaultValue = "-1", description = "One partition (default: all).")
        int partition;

        @Override
        Object run(StrandAdmin admin) {
            return Rewinding.shown(admin.rewind(Rewinding.request(spec, Rewind.Target.QUEUE, null, queue, partition, to)));
        }
    }
}
