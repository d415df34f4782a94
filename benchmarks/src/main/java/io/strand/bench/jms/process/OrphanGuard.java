package io.strand.bench.jms.process;

import java.time.Duration;
import java.util.Optional;

/**
 * Halts the JVM it runs in when the process that started it is gone, or when it has lived longer
 * than {@code -Dstrand.bench.maxLifetimeSec} (default one hour). The benchmark starts brokers and
 * load generators as child JVMs; if the benchmark itself is killed, nothing else would stop them, and a
 * forgotten broker would keep its port, its disk and two cores busy under the next measurement.
 */
public final class OrphanGuard {
    public static final String MAX_LIFETIME_PROPERTY = "strand.bench.maxLifetimeSec";
    private static final Duration CHECK_EVERY = Duration.ofSeconds(1);

    private OrphanGuard() {
    }

    /** Starts the watching daemon thread; call first thing in a child JVM's main. */
    public static void start() {
        Optional<ProcessHandle> parent = ProcessHandle.current().parent();
        long deadline = System.nanoTime() + Duration.ofSeconds(Long.getLong(MAX_LIFETIME_PROPERTY, 3600)).toNanos();
        Thread watcher = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(CHECK_EVERY.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
                // A parent that died leaves this process re-parented, so the original handle is asked, not parent().
                if (parent.isPresent() && !parent.get().isAlive()) {
                    System.err.println("orphan guard: the benchmark that started this JVM is gone; halting");
                    Runtime.getRuntime().halt(3);
                }
                if (System.nanoTime() - deadline > 0) {
                    System.err.println("orphan guard: lived longer than " + MAX_LIFETIME_PROPERTY + "; halting");
                    Runtime.getRuntime().halt(4);
                }
            }
        }, "orphan-guard");
        watcher.setDaemon(true);
        watcher.start();
    }
}
