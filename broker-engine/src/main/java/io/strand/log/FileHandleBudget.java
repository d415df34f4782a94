package io.strand.log;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Caps the segments whose files are open at once, so that a broker with thousands of idle
 * partitions holds few file handles and index mappings.
 *
 * <p>A segment opens its files lazily and reports it here; when more than {@code maxOpenSegments}
 * are open, the least recently used segments that no reader holds are closed until the count is
 * back under the low-water mark (90% of the budget), so eviction runs rarely rather than on every
 * open. A closed segment simply opens again on its next use. A segment in use by a read or an
 * append is never closed, so the budget may be exceeded while that many are busy.
 *
 * <p>Thread-safe. The append path only writes a segment's last-use time; the lock is taken
 * only when a segment opens or eviction runs.
 */
public final class FileHandleBudget {
    private final int maxOpenSegments;
    private final Set<LogSegment> open = ConcurrentHashMap.newKeySet();
    private final Object evictionLock = new Object();

    public FileHandleBudget(int maxOpenSegments) {
        if (maxOpenSegments < 2) {
            throw new IllegalArgumentException("log.max.open.segments=" + maxOpenSegments + " must be at least 2");
        }
        this.maxOpenSegments = maxOpenSegments;
    }

    public int maxOpenSegments() {
        return maxOpenSegments;
    }

    /** Segments whose files are open now. */
    public int openSegments() {
        return open.size();
    }

    /** Called by a segment after it opened its files, outside the segment's own lock. */
    void opened(LogSegment segment) {
        open.add(segment);
        if (open.size() > maxOpenSegments) {
            evict(maxOpenSegments * 9 / 10, Long.MAX_VALUE);
        }
    }

    void closed(LogSegment segment) {
        open.remove(segment);
    }

    /** Closes the open segments unused for at least {@code idleNs}; run periodically by the log manager. */
    public int closeIdle(long idleNs) {
        return evict(0, System.nanoTime() - idleNs);
    }

    private record Candidate(LogSegment segment, long lastUsedNanos) {
    }

    private int evict(int targetOpen, long usedBeforeNs) {
        synchronized (evictionLock) {
            // Last-use times change under our feet, so sort a snapshot of them, not the live values.
            List<Candidate> candidates = new ArrayList<>(open.size());
            for (LogSegment segment : open) {
                candidates.add(new Candidate(segment, segment.lastUsedNanos()));
            }
            candidates.sort(Comparator.comparingLong(Candidate::lastUsedNanos));
            int closed = 0;
            for (Candidate candidate : candidates) {
                if (open.size() <= targetOpen || candidate.lastUsedNanos() > usedBeforeNs) {
                    break;
                }
                if (candidate.segment().closeHandlesIfIdle()) {
                    closed++;
                }
            }
            return closed;
        }
    }
}
