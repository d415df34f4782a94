package io.strand.cli;

import io.strand.admin.AlterDestination;
import io.strand.admin.Browse;
import io.strand.admin.DescribeDestinations;
import io.strand.admin.StrandAdmin;
import io.strand.protocol.DestinationType;
import io.strand.protocol.Destinations;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;

@Command(name = "destinations", description = "Queues and topics: list, describe, create, alter, delete, purge, browse.",
        subcommands = {DestinationCommands.ListCommand.class, DestinationCommands.Describe.class,
                DestinationCommands.Create.class, DestinationCommands.Alter.class, DestinationCommands.Delete.class,
                DestinationCommands.Purge.class, DestinationCommands.BrowseCommand.class})
final class DestinationCommands extends CommandGroup {

    static Map<String, Object> summary(DescribeDestinations.Destination d) {
        return Rows.of("type", d.type().name().toLowerCase(), "name", d.name(), "partitions", d.partitions().size(),
                "messages", d.messages(), "sizeBytes", d.sizeBytes(), "retentionMs",
                d.retentionMs() < 0 ? null : Duration.ofMillis(d.retentionMs()), "retentionBytes",
                Rows.limit(d.retentionBytes()));
    }

    /** The summary with the destination's replication, which a broker before protocol 5 does not report. */
    static Map<String, Object> withReplication(DescribeDestinations.Destination d) {
        Map<String, Object> shown = summary(d);
        shown.put("replicationFactor", reported(d.replicationFactor()));
        shown.put("minInsyncReplicas", reported(d.minInsyncReplicas()));
        return shown;
    }

    private static Object reported(int value) {
        return value == DescribeDestinations.Destination.NOT_REPORTED ? null : value;
    }

    /** Replication options shared by create and alter. */
    static final class Replication {
        @Option(names = "--replication-factor", paramLabel = "N",
                description = "Copies of each partition in a cluster (default: the cluster's replication.factor). "
                        + "An existing destination's changes by moving its partitions: cluster reassign.")
        Integer replicationFactor;

        @Option(names = "--min-insync-replicas", paramLabel = "N",
                description = "In-sync copies a persistent write needs before it is acknowledged (default: the "
                        + "cluster's min.insync.replicas, at most the replication factor).")
        Integer minInsyncReplicas;

        Map<String, String> settings() {
            Map<String, String> settings = new LinkedHashMap<>();
            if (replicationFactor != null) {
                settings.put(Destinations.REPLICATION_FACTOR, Integer.toString(replicationFactor));
            }
            if (minInsyncReplicas != null) {
                settings.put(Destinations.MIN_INSYNC_REPLICAS, Integer.toString(minInsyncReplicas));
            }
            return settings;
        }
    }

    @Command(name = "list", description = "Every destination with its partitions, messages and size on disk.")
    static final class ListCommand extends AdminCommand {
        @Option(names = {"-t", "--type"}, paramLabel = "TYPE", description = "queue or topic (default: both).")
        DestinationType type;

        @Override
        Object run(StrandAdmin admin) {
            return admin.describeDestinations(type, null).stream().map(DestinationCommands::summary).toList();
        }
    }

    @Command(name = "describe", description = "One destination with its replication and its partitions: offsets, high "
            + "watermark, size, leader, replicas.")
    static final class Describe extends AdminCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = {"-t", "--type"}, paramLabel = "TYPE", description = "queue or topic, when both have this name.")
        DestinationType type;

        @Override
        Object run(StrandAdmin admin) {
            List<DescribeDestinations.Destination> found = admin.describeDestinations(type, name);
            if (found.size() > 1) {
                throw new ParameterException(spec.commandLine(), "both a queue and a topic are named " + name
                        + "; choose one with --type");
            }
            DescribeDestinations.Destination d = found.get(0);
            Map<String, Object> shown = withReplication(d);
            shown.put("temporary", d.temporary());
            shown.put("partitionDetails", d.partitions().stream().map(p -> Rows.of("partition", p.partition(),
                    "leader", p.leader(), "replicas", p.replicas(), "isr", p.isr(), "logStartOffset", p.logStartOffset(),
                    "logEndOffset", p.logEndOffset(), "highWatermark", p.highWatermark(), "messages", p.messages(),
                    "sizeBytes", p.sizeBytes(), "segments", p.segments())).toList());
            return shown;
        }
    }

    /** Retention options shared by create and alter. */
    static final class Retention {
        @Option(names = "--retention-ms", paramLabel = "MS", description = "Keep records this long; -1 forever.")
        Long retentionMs;

        @Option(names = "--retention-bytes", paramLabel = "BYTES", description = "Keep this many bytes per partition; -1 no limit.")
        Long retentionBytes;

        boolean given() {
            return retentionMs != null || retentionBytes != null;
        }

        long ms() {
            return retentionMs == null ? AlterDestination.UNCHANGED : retentionMs;
        }

        long bytes() {
            return retentionBytes == null ? AlterDestination.UNCHANGED : retentionBytes;
        }
    }

    @Command(name = "create", description = "Creates a queue or topic.")
    static final class Create extends AdminCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = {"-t", "--type"}, paramLabel = "TYPE", required = true, description = "queue or topic.")
        DestinationType type;

        @Option(names = {"-p", "--partitions"}, paramLabel = "N", defaultValue = "0",
                description = "Partitions (default: the broker's default.partitions).")
        int partitions;

        @ArgGroup(exclusive = false)
        Retention retention = new Retention();

        @ArgGroup(exclusive = false)
        Replication replication = new Replication();

        @Override
        Object run(StrandAdmin admin) {
            if (partitions < 0) {
                throw new ParameterException(spec.commandLine(), "--partitions must not be negative: " + partitions);
            }
            admin.createDestination(type, name, partitions, replication.settings());
            if (retention.given()) {
                admin.alterDestination(new AlterDestination.Request(type, name, 0, retention.ms(), retention.bytes()));
            }
            return withReplication(admin.describeDestinations(type, name).get(0));
        }
    }

    @Command(name = "alter", description = "Adds partitions (never removes any), changes the retention or the "
            + "min.insync.replicas.")
    static final class Alter extends AdminCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = {"-t", "--type"}, paramLabel = "TYPE", required = true, description = "queue or topic.")
        DestinationType type;

        @Option(names = {"-p", "--partitions"}, paramLabel = "N", defaultValue = "0",
                description = "The new partition count, more than now.")
        int partitions;

        @ArgGroup(exclusive = false)
        Retention retention = new Retention();

        @ArgGroup(exclusive = false)
        Replication replication = new Replication();

        @Override
        Object run(StrandAdmin admin) {
            admin.alterDestination(new AlterDestination.Request(type, name, partitions, retention.ms(), retention.bytes(),
                    replication.settings()));
            return withReplication(admin.describeDestinations(type, name).get(0));
        }
    }

    @Command(name = "delete", description = "Deletes a queue or topic and all its messages.")
    static final class Delete extends AdminCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = {"-t", "--type"}, paramLabel = "TYPE", required = true, description = "queue or topic.")
        DestinationType type;

        @Override
        Object run(StrandAdmin admin) {
            admin.deleteDestination(type, name);
            return Rows.of("deleted", type.name().toLowerCase() + " " + name);
        }
    }

    @Command(name = "purge", description = "Marks every message of a queue consumed (a rewind can bring them back).")
    static final class Purge extends AdminCommand {
        @Parameters(paramLabel = "QUEUE")
        String queue;

        @Override
        Object run(StrandAdmin admin) {
            return Rows.of("queue", queue, "purged", admin.purgeQueue(queue));
        }
    }

    /** Where a browse starts. */
    static final class From {
        @Option(names = "--from-offset", paramLabel = "OFFSET", required = true, description = "The first offset to show.")
        Long offset;

        @Option(names = "--from-time", paramLabel = "TIME", required = true, converter = Times.class,
                description = "Start at the first message written at or after TIME (ISO-8601, epoch ms, or -15m).")
        Long time;
    }

    @Command(name = "browse", description = "Shows messages of one partition, consumed or not, without consuming them.")
    static final class BrowseCommand extends AdminCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = {"-t", "--type"}, paramLabel = "TYPE", defaultValue = "queue", description = "queue (default) or topic.")
        DestinationType type;

        @Option(names = "--partition", paramLabel = "N", defaultValue = "0", description = "The partition (default 0).")
        int partition;

        @ArgGroup(exclusive = true)
        From from;

        @Option(names = {"-n", "--max"}, paramLabel = "N", defaultValue = "20", description = "Messages to show, 1 to 1000 (default 20).")
        int max;

        @Option(names = "--preview", paramLabel = "CHARS", defaultValue = "80", description = "Characters of each body to show (default 80).")
        int preview;

        @Override
        Object run(StrandAdmin admin) {
            if (max < 1 || max > Browse.MAX_MESSAGES) {
                throw new ParameterException(spec.commandLine(), "--max must be 1 to " + Browse.MAX_MESSAGES + ": " + max);
            }
            // Without a start, time 0 finds the oldest message the partition still holds.
            long offset = from == null || from.offset == null ? -1 : from.offset;
            long time = from == null ? 0 : from.time == null ? -1 : from.time;
            if (from != null && from.offset != null && from.offset < 0) {
                throw new ParameterException(spec.commandLine(), "--from-offset must not be negative: " + from.offset);
            }
            return admin.browse(new Browse.Request(type, name, partition, offset, time, max), Math.max(0, preview))
                    .stream().map(m -> Rows.of("offset", m.offset(), "timestamp", Instant.ofEpochMilli(m.timestamp()),
                            "messageId", m.messageId(), "kind", m.bodyKind(), "priority", m.priority(),
                            "properties", m.properties(), "bodyBytes", m.bodyBytes(), "body", m.bodyPreview()))
                    .toList();
        }
    }
}
