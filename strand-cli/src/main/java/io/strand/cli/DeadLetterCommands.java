package io.strand.cli;

import io.strand.admin.RedriveDeadLetters;
import io.strand.admin.StrandAdmin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;

@Command(name = "dlq", description = "Dead-letter queues.", subcommands = DeadLetterCommands.Redrive.class)
final class DeadLetterCommands extends CommandGroup {

    @Command(name = "redrive", description = "Moves the messages of a dead-letter queue back to where they came from: a"
            + " queue, or a shared subscription of a topic (to that subscription alone).")
    static final class Redrive extends AdminCommand {
        @Parameters(paramLabel = "DLQ", description = "The dead-letter queue, such as DLQ.orders.")
        String deadLetterQueue;

        @Option(names = {"-n", "--max"}, paramLabel = "N", defaultValue = "10000",
                description = "Messages to move at most (default 10000).")
        int max;

        @Override
        Object run(StrandAdmin admin) {
            if (max < 1 || max > RedriveDeadLetters.MAX_MESSAGES) {
                throw new ParameterException(spec.commandLine(), "--max must be 1 to " + RedriveDeadLetters.MAX_MESSAGES
                        + ": " + max);
            }
            RedriveDeadLetters.Response r = admin.redriveDeadLetters(deadLetterQueue, max);
            return Rows.of("deadLetterQueue", deadLetterQueue, "moved", r.total(), "skipped", r.skipped(), "movedTo",
                    r.moved().stream().map(m -> Rows.of("destination", m.destination(), "subscription",
                            m.subscription(), "moved", m.count())).toList());
        }
    }
}
