package io.strand.cli;

import jakarta.jms.JMSException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

/**
 * {@code strand-perf}: load a Strand broker with {@code produce} and {@code consume}, each printing
 * progress while it runs and a latency histogram summary (HdrHistogram) at the end. Exit status: 0
 * done, 1 the broker failed the run or fewer messages arrived than asked for, 2 a wrong command line.
 */
@Command(name = "strand-perf", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, version = "strand-perf 0.1.0",
        description = "Load tools: send or receive messages and report rates and latency percentiles.",
        subcommands = {ProduceCommand.class, ConsumeCommand.class})
public final class StrandPerfCli extends CommandGroup {
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line, ready to execute; a JMS failure prints one line and exits with status 1. */
    public static CommandLine commandLine() {
        CommandLine line = new CommandLine(new StrandPerfCli());
        line.setCaseInsensitiveEnumValuesAllowed(true);
        line.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof JMSException failed) {
                cmd.getErr().println("strand-perf: " + failed.getMessage());
                cmd.getErr().flush();
                return 1;
            }
            throw e;
        });
        return line;
    }
}
