package io.strand.jms;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one thread of a connection that runs completion listeners and the exception listener, in the
 * order they were handed over (so a session's completion listeners run in send order, as JMS 3.1 §7.3.8
 * asks), and never on the Netty event loop. A daemon thread, started on first use. Thread-safe.
 */
final class CallbackThread {
    private static final System.Logger LOG = System.getLogger(CallbackThread.class.getName());

    private final ExecutorService executor;
    private volatile Thread thread;

    CallbackThread(String name) {
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            final Thread t = new Thread(r, name);
            t.setDaemon(true);
            thread = t;
            return t;
        });
    }

    /** Runs a callback; one that throws is logged, since nobody else could see it. */
    void execute(Runnable callback) {
        try {
            executor.execute(() -> {
                try {
                    callback.run();
                } catch (RuntimeException | Error e) {
                    LOG.log(System.Logger.Level.WARNING, "a JMS listener threw", e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.log(System.Logger.Level.DEBUG, "callback after close dropped");
        }
    }

    boolean isCurrentThread() {
        return Thread.currentThread() == thread;
    }

    void shutdown() {
        executor.shutdown();
    }
}
