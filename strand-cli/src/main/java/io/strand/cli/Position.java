package io.strand.cli;

import picocli.CommandLine.Option;

/** Where a rewind goes: exactly one of an offset or a time. */
final class Position {
    @Option(names = "--to-offset", paramLabel = "OFFSET", required = true,
            description = "The offset to move to (in each chosen partition).")
    Long offset;

    @Option(names = "--to-time", paramLabel = "TIME", required = true, converter = Times.class,
            description = "Move to the first message written at or after TIME: ISO-8601 (2026-11-27T08:00:00Z),"
                    + " epoch ms, or a time ago (-15m, -2h, -1d).")
    Long time;

    long offsetOrNone() {
        return offset == null ? -1 : offset;
    }

    long timeOrNone() {
        return time == null ? -1 : time;
    }
}
