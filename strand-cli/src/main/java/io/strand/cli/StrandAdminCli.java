package io.strand.cli;

import io.strand.admin.AdminException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

/**
 * {@code strand-admin}: see and steer a Strand broker from a shell. Each subcommand connects to the
 * broker given by {@code --url} (or {@code $STRAND_URL}), makes its admin calls and prints a table, or
 * JSON with {@code --output json}. Exit status: 0 done, 1 the broker refused or could not be reached
 * (the reason on standard error), 2 the command line was wrong.
 */
@Command(name = "strand-admin", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, version = "strand-admin 0.1.0",
        description = "Operates a Strand broker: destinations, subscriptions, share groups, dead letters.",
        subcommands = {ClusterCommands.class, DestinationCommands.class, SubscriptionCommands.class,
                ShareGroupCommands.class, DeadLetterCommands.class, ConnectionCommands.class,
                TransactionCommands.class})
public final class StrandAdminCli extends CommandGroup {
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line, ready to execute; a broker's refusal prints one line and exits with status 1. */
    public static CommandLine commandLine() {
        CommandLine line = new CommandLine(new StrandAdminCli());
        line.setCaseInsensitiveEnumValuesAllowed(true);
        line.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof AdminException refused) {
                cmd.getErr().println("strand-admin: " + refused.getMessage());
                cmd.getErr().flush();
                return 1;
            }
            throw e;
        });
        return line;
    }
}
