package io.strand.cli;

import io.strand.admin.StrandAdmin;
import picocli.CommandLine.Option;

/** How every command reaches its broker and how it prints; mixed into each command. */
final class ConnectionOptions {
    @Option(names = {"-u", "--url"}, paramLabel = "URL", defaultValue = "${env:STRAND_URL:-strand://127.0.0.1:61617}",
            description = "Broker URL (default: $STRAND_URL or ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--user", paramLabel = "NAME", defaultValue = "${env:STRAND_USER}",
            description = "User to authenticate as (default: $STRAND_USER; none: anonymous).")
    String user;

    @Option(names = "--password", paramLabel = "SECRET", defaultValue = "${env:STRAND_PASSWORD}",
            description = "The user's password (default: $STRAND_PASSWORD, which keeps it out of the shell history).")
    String password;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table (default) or json.")
    Output.Format output;

    StrandAdmin connect() {
        return StrandAdmin.connect(url, user, password);
    }
}
