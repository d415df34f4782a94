package io.strand.bench.jms.strand;

import io.strand.bench.jms.process.OrphanGuard;
import io.strand.broker.Launcher;

/**
 * {@link Launcher} (the {@code ./strand} command) with the benchmark's {@link OrphanGuard}, so a
 * broker never outlives the benchmark that started it. Takes the launcher's argument: a properties file.
 */
public final class StrandBrokerMain {
    /** What the launcher logs once clients can connect. */
    public static final String READY = " ready on strand://";

    private StrandBrokerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        OrphanGuard.start();
        Launcher.main(args);
    }
}
