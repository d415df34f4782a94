package io.strand.cli;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Sends messages of a given size at a given rate (or as fast as the broker takes them), persistent
 * or not, transacted or not, printing progress while it runs and the latency of each send (for a
 * persistent send: until the broker has it on disk) and of each commit at the end.
 */
@Command(name = "produce", description = "Sends messages and reports the rate and the send latency.")
final class ProduceCommand implements Callable<Integer> {
    @Mixin
    PerfOptions perf;

    @Spec
    CommandSpec spec;

    @Option(names = {"-s", "--size"}, paramLabel = "BYTES", defaultValue = "1024", description = "Body bytes per message (default ${DEFAULT-VALUE}).")
    int size;

    @Option(names = {"-r", "--rate"}, paramLabel = "MSGS_PER_SEC", defaultValue = "0",
            description = "Messages per second to aim at; 0 for as fast as possible (default).")
    double rate;

    @Option(names = "--non-persistent", description = "Send NON_PERSISTENT messages (default: PERSISTENT).")
    boolean nonPersistent;

    @Override
    public Integer call() throws JMSException {
        if (perf.count < 1 || size < 0 || rate < 0 || perf.batch < 1) {
            throw new ParameterException(spec.commandLine(), "--count and --batch must be at least 1, --size and --rate"
                    + " not negative");
        }
        PrintWriter out = spec.commandLine().getOut();
        byte[] body = new byte[size];
        for (int i = 0; i < size; i++) {
            body[i] = (byte) ('a' + i % 26);
        }
        LatencyStats sends = new LatencyStats("send");
        LatencyStats commits = perf.transacted ? new LatencyStats("commit") : null;
        long start;
        long end;
        try (Connection connection = perf.connect()) {
            Session session = perf.session(connection);
            MessageProducer producer = session.createProducer(perf.destination(session));
            producer.setDeliveryMode(nonPersistent ? DeliveryMode.NON_PERSISTENT : DeliveryMode.PERSISTENT);
            out.printf("sending %,d messages of %,d bytes to %s%s%n", perf.count, size, perf.describeTarget(),
                    rate > 0 ? String.format(" at %,.0f msg/s", rate) : "");
            start = System.nanoTime();
            long lastProgress = start;
            for (long i = 0; i < perf.count; i++) {
                if (rate > 0) {
                    long due = start + (long) (i * 1e9 / rate);
                    for (long now = System.nanoTime(); now < due; now = System.nanoTime()) {
                        LockSupport.parkNanos(due - now);
                    }
                }
                BytesMessage message = session.createBytesMessage();
                message.writeBytes(body);
                message.setLongProperty(PerfClock.SENT_PROPERTY, PerfClock.epochMicros());
                long before = System.nanoTime();
                producer.send(message);
                long after = System.nanoTime();
                sends.record((after - before) / 1000);
                if (perf.transacted && ((i + 1) % perf.batch == 0 || i + 1 == perf.count)) {
                    session.commit();
                    commits.record((System.nanoTime() - after) / 1000);
                }
                long now = System.nanoTime();
                if (perf.progressMs > 0 && now - lastProgress >= perf.progressMs * 1_000_000) {
                    sends.printProgress(out, "sent", i + 1, now - start, now - lastProgress);
                    lastProgress = now;
                }
            }
            end = System.nanoTime();
        }
        double seconds = (end - start) / 1e9;
        List<Map<String, Object>> latencies = new ArrayList<>();
        latencies.add(sends.summary());
        if (commits != null) {
            latencies.add(commits.summary());
        }
        new Output(perf.output, out).print(Rows.of("sent", perf.count, "destination", perf.describeTarget(),
                "persistent", !nonPersistent, "transacted", perf.transacted, "seconds", round(seconds),
                "msgPerSec", Math.round(perf.count / seconds), "mbPerSec", round(perf.count * (double) size / seconds / 1e6),
                "latencies", latencies));
        out.flush();
        return 0;
    }

    static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
