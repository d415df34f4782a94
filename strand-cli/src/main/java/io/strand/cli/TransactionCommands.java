package io.strand.cli;

import io.strand.admin.StrandAdmin;
import io.strand.protocol.XaTransactions;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

@Command(name = "transactions", description = "XA transaction branches prepared on the broker.",
        subcommands = {TransactionCommands.ListCommand.class, TransactionCommands.Commit.class,
                TransactionCommands.Rollback.class})
final class TransactionCommands extends CommandGroup {

    @Command(name = "list", description = "Prepared XA branches waiting for their transaction manager, and branches an"
            + " operator decided that it has not forgotten yet.")
    static final class ListCommand extends AdminCommand {
        @Override
        Object run(StrandAdmin admin) {
            return admin.describeTransactions().stream().map(b -> Rows.of("xid", b.xid().toString(), "state", b.state()))
                    .toList();
        }
    }

    /** A decision on one branch, named by its Xid as {@code transactions list} shows it. */
    abstract static class Decision extends AdminCommand {
        @Parameters(paramLabel = "XID", description = "The branch, as transactions list shows it:"
                + " formatId:globalTransactionIdHex:branchQualifierHex.")
        String xid;

        XaTransactions.BranchId branch() {
            try {
                return XaTransactions.BranchId.parse(xid);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }
    }

    @Command(name = "commit", description = "Commits a prepared branch without its transaction manager (a heuristic"
            + " decision, reported to it as XA_HEURCOM until it forgets the branch).")
    static final class Commit extends Decision {
        @Override
        Object run(StrandAdmin admin) {
            XaTransactions.BranchId branch = branch();
            admin.decideTransaction(branch, true);
            return Rows.of("xid", branch.toString(), "state", "HEURISTIC_COMMIT");
        }
    }

    @Command(name = "rollback", description = "Rolls back a prepared branch without its transaction manager (a"
            + " heuristic decision, reported to it as XA_HEURRB until it forgets the branch).")
    static final class Rollback extends Decision {
        @Override
        Object run(StrandAdmin admin) {
            XaTransactions.BranchId branch = branch();
            admin.decideTransaction(branch, false);
            return Rows.of("xid", branch.toString(), "state", "HEURISTIC_ROLLBACK");
        }
    }
}
