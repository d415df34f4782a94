package io.strand.cli;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Receives messages until it has the count asked for or none arrives for a while, printing progress
 * and, at the end, the rate and the end-to-end latency of the messages {@code strand-perf produce}
 * stamped (send time to receipt, by the wall clock). Exit status 1 when fewer arrived than asked for.
 */
@Command(name = "consume", description = "Receives messages and reports the rate and the end-to-end latency.")
final class ConsumeCommand implements Callable<Integer> {
    @Mixin
    PerfOptions perf;

    @Spec
    CommandSpec spec;

    @Option(names = "--idle-ms", paramLabel = "MS", defaultValue = "10000",
            description = "Stop when no message arrives for this long (default ${DEFAULT-VALUE}).")
    long idleMs;

    @Option(names = "--durable", paramLabel = "NAME",
            description = "On a topic, read the durable subscription NAME of client id strand-perf (created if missing).")
    String durable;

    @Override
    public Integer call() throws JMSException {
        if (perf.count < 1 || perf.batch < 1 || idleMs < 1) {
            throw new ParameterException(spec.commandLine(), "--count, --batch and --idle-ms must be at least 1");
        }
        if (durable != null && perf.target.topic == null) {
            throw new ParameterException(spec.commandLine(), "--durable reads a topic; give --topic");
        }
        PrintWriter out = spec.commandLine().getOut();
        LatencyStats latency = new LatencyStats("end-to-end");
        long received = 0;
        long first = 0;
        long last = 0;
        try (Connection connection = perf.connect()) {
            if (durable != null) {
                connection.setClientID("strand-perf");
            }
            Session session = perf.session(connection);
            MessageConsumer consumer = durable != null
                    ? session.createDurableSubscriber((Topic) perf.destination(session), durable)
                    : session.createConsumer(perf.destination(session));
            connection.start();
            out.printf("receiving up to %,d messages from %s%n", perf.count, perf.describeTarget());
            out.flush();
            long lastProgress = System.nanoTime();
            while (received < perf.count) {
                Message message = consumer.receive(idleMs);
                if (message == null) {
                    break;
                }
                long now = System.nanoTime();
                if (received == 0) {
                    first = now;
                    lastProgress = now;
                }
                last = now;
                received++;
                if (message.propertyExists(PerfClock.SENT_PROPERTY)) {
                    latency.record(PerfClock.epochMicros() - message.getLongProperty(PerfClock.SENT_PROPERTY));
                }
                if (perf.transacted && received % perf.batch == 0) {
                    session.commit();
                }
                if (perf.progressMs > 0 && now - lastProgress >= perf.progressMs * 1_000_000) {
                    latency.printProgress(out, "received", received, now - first, now - lastProgress);
                    lastProgress = now;
                }
            }
            if (perf.transacted) {
                session.commit();
            }
        }
        double seconds = Math.max(last - first, 1) / 1e9;
        new Output(perf.output, out).print(Rows.of("received", received, "destination", perf.describeTarget(),
                "transacted", perf.transacted, "seconds", ProduceCommand.round(seconds),
                "msgPerSec", received < 2 ? 0 : Math.round((received - 1) / seconds), "latencies",
                List.of(latency.summary())));
        out.flush();
        if (received < perf.count) {
            spec.commandLine().getErr().printf("strand-perf: received %,d of %,d messages; none arrived for %,d ms%n",
                    received, perf.count, idleMs);
            spec.commandLine().getErr().flush();
            return 1;
        }
        return 0;
    }
}
