package io.strand.cli;

import io.strand.jms.StrandConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** What both load tools share: the broker, the destination, how many messages, transactions, progress. */
final class PerfOptions {
    @Option(names = {"-u", "--url"}, paramLabel = "URL", defaultValue = "${env:STRAND_URL:-strand://127.0.0.1:61617}",
            description = "Broker URL, with client options such as ?prefetch=1000 (default: $STRAND_URL or ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--user", paramLabel = "NAME", defaultValue = "${env:STRAND_USER}", description = "User (default: $STRAND_USER).")
    String user;

    @Option(names = "--password", paramLabel = "SECRET", defaultValue = "${env:STRAND_PASSWORD}",
            description = "Password (default: $STRAND_PASSWORD).")
    String password;

    /** Exactly one destination. */
    static final class Target {
        @Option(names = "--queue", paramLabel = "NAME", required = true, description = "Use this queue.")
        String queue;

        @Option(names = "--topic", paramLabel = "NAME", required = true, description = "Use this topic.")
        String topic;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Option(names = {"-n", "--count"}, paramLabel = "N", defaultValue = "10000", description = "Messages (default ${DEFAULT-VALUE}).")
    long count;

    @Option(names = "--transacted", description = "Use a transacted session, committing every --batch messages.")
    boolean transacted;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "100",
            description = "Messages per transaction with --transacted (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--progress-ms", paramLabel = "MS", defaultValue = "1000",
            description = "How often to print progress; 0 for never (default ${DEFAULT-VALUE}).")
    long progressMs;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "Summary as table (default) or json.")
    Output.Format output;

    Connection connect() throws JMSException {
        return new StrandConnectionFactory(url).createConnection(user, password);
    }

    Session session(Connection connection) throws JMSException {
        return transacted ? connection.createSession(true, Session.SESSION_TRANSACTED)
                : connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    }

    Destination destination(Session session) throws JMSException {
        return target.queue != null ? session.createQueue(target.queue) : session.createTopic(target.topic);
    }

    String describeTarget() {
        return target.queue != null ? "queue " + target.queue : "topic " + target.topic;
    }
}
