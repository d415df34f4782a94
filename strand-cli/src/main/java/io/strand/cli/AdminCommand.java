package io.strand.cli;

import io.strand.admin.StrandAdmin;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that makes admin calls: connects, lets the subclass call and shape what it shows, prints
 * it in the chosen format, and disconnects. Refusals of the broker reach {@link StrandAdminCli}'s
 * handler, which prints them and exits with status 1.
 */
abstract class AdminCommand implements Callable<Integer> {
    @Mixin
    ConnectionOptions connection;

    @Spec
    CommandSpec spec;

    /** Makes the calls; returns what to print (maps, lists, scalars), or null to print nothing. */
    abstract Object run(StrandAdmin admin);

    @Override
    public Integer call() {
        try (StrandAdmin admin = connection.connect()) {
            Object shown = run(admin);
            if (shown != null) {
                new Output(connection.output, spec.commandLine().getOut()).print(shown);
            }
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
