package io.strand.log;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The child process of {@link CrashRecoveryTest}: appends self-checking records in flush mode fsync
 * from several threads and prints {@code ACK <sequence> <offset>} for each append once it is durable.
 * It runs until killed, and halts by itself after a minute in case its parent died first.
 */
public final class CrashAppenderMain {
    private CrashAppenderMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        AtomicLong sequence = new AtomicLong(Long.parseLong(args[2]));
        LogManager manager = LogManager.open(LogManagerConfig.defaults(dataDir));
        PartitionLog log = manager.getOrCreateLog(CrashRecoveryTest.TP);
        System.out.println("READY");
        System.out.flush();
        for (int t = 0; t < threads; t++) {
            Thread appender = new Thread(() -> {
                while (true) {
                    long seq = sequence.getAndIncrement();
                    LogAppendInfo info = log.appendDurably(TestBatches.of(seq, CrashRecoveryTest.valueFor(seq)), 0);
                    synchronized (System.out) {
                        System.out.println("ACK " + seq + " " + info.firstOffset());
                        System.out.flush();
                    }
                }
            });
            appender.setDaemon(true);
            appender.start();
        }
        Thread.sleep(60_000);
        Runtime.getRuntime().halt(3);
    }
}
