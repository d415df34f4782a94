package io.strand.broker;

import io.strand.protocol.ErrorCode;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Tells a client whose answer to a stamped commit was lost whether that commit happened ({@code COMMIT_STATUS}). A
 * commit is named by the idempotent-producer stamp of its first batch: the client stamps each commit with its
 * session's producer id and the next sequences, and takes fresh producer ids after a commit it got no answer to, so a
 * stamp names one commit.
 *
 * <ul>
 * <li>A commit in progress is answered once it ends.</li>
 * <li>Otherwise the logs decide (the caller's evidence: a batch with one of the commit's stamps is in its partition,
 *     so the commit appended its sends; a commit's sends are in the log before it is answered). A commit that another
 *     broker, or this one before a restart, worked on cannot arrive any more: its appends reached this broker's logs
 *     (recovery finished a recorded one before this broker served anyone) or are lost with it.</li>
 * <li>A "no" is remembered {@link #FENCE_MS}, far beyond a client's failover deadline: the commit is refused should
 *     it still arrive, from a connection the client gave up on, so that the answer stays true.</li>
 * <li>A commit whose storage failed after it may have been recorded stays unknown until a restart finishes or drops
 *     it: asked about, it answers that the outcome is unknown.</li>
 * </ul>
 *
 * <p>Only commits in progress, unknown ones and the "no"s are held (at most {@link #MAX_FENCES} of those), so the
 * memory does not grow with the commit rate. Thread-safe: commits and queries come from every event loop.
 */
final class CommitOutcomes {
    static final long FENCE_MS = 10 * 60 * 1000;
    static final int MAX_FENCES = 100_000;

    /** A commit's first stamp. */
    record Key(long producerId, int firstSequence) {
    }

    private record Fence(Key key, long atMs) {
    }

    /** Whether each commit held happened; failed when its outcome is unknown until a restart. */
    private final Map<Key, CompletableFuture<Boolean>> outcomes = new ConcurrentHashMap<>();
    private final ArrayDeque<Fence> fences = new ArrayDeque<>();
    private final LongSupplier clockMs;

    CommitOutcomes(LongSupplier clockMs) {
        this.clockMs = clockMs;
    }

    /**
     * A commit with this first stamp starts.
     *
     * @return to complete with whether it happened, or exceptionally when a storage failure leaves that unknown
     * @throws BrokerException when a status query answered that this commit did not happen
     */
    CompletableFuture<Boolean> begin(Key key) {
        CompletableFuture<Boolean> outcome = new CompletableFuture<>();
        CompletableFuture<Boolean> earlier = outcomes.putIfAbsent(key, outcome);
        if (earlier != null) {
            if (earlier.isDone() && !earlier.isCompletedExceptionally() && !earlier.join()) {
                throw new BrokerException(ErrorCode.INVALID_REQUEST, "the commit of producer " + key.producerId()
                        + " from sequence " + key.firstSequence() + " arrived after its client was told it did not"
                        + " happen; it is refused");
            }
            return new CompletableFuture<>(); // the same commit twice at once: the first one answers for it
        }
        outcome.whenComplete((committed, error) -> {
            if (error == null) {
                outcomes.remove(key, outcome); // from now on the log tells
            }
        });
        return outcome;
    }

    /**
     * Whether the commit with this first stamp happened: as it ends when it is in progress, else as {@code evidence}
     * says (whether a batch with one of its stamps is in its partition); a "no" fences the commit.
     */
    CompletableFuture<Boolean> status(Key key, BooleanSupplier evidence) {
        boolean[] fenced = {false};
        CompletableFuture<Boolean> outcome = outcomes.computeIfAbsent(key, k -> {
            if (evidence.getAsBoolean()) {
                return null; // the log holds it, and will: nothing to remember
            }
            fenced[0] = true;
            return CompletableFuture.completedFuture(false);
        });
        if (outcome == null) {
            return CompletableFuture.completedFuture(true);
        }
        if (fenced[0]) {
            fence(key);
        }
        return outcome;
    }

    private synchronized void fence(Key key) {
        long now = clockMs.getAsLong();
        fences.addLast(new Fence(key, now));
        while (!fences.isEmpty() && (fences.size() > MAX_FENCES || fences.peekFirst().atMs() < now - FENCE_MS)) {
            Fence old = fences.removeFirst();
            CompletableFuture<Boolean> outcome = outcomes.get(old.key());
            if (outcome != null && outcome.isDone() && !outcome.isCompletedExceptionally() && !outcome.join()) {
                outcomes.remove(old.key(), outcome);
            }
        }
    }
}
