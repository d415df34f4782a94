package io.strand.bench.cluster;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The in-sync replicas of every partition a broker leads, as that broker's log tells them: the ISR it took the lead
 * with ({@code Broker 2 leads q$orders-0 in epoch 3 (ISR [2, 3], log end 10)}), each change it asked the controller
 * for ({@code Broker 2 asks to change the ISR of q$orders-0 to [1, 2, 3]}) and each refusal. The broker offers no
 * other view of the ISR to a client, and its log is what an operator would read. A change counts once it was asked
 * for and no refusal followed within the settle time (the controller answers within a Raft commit, milliseconds).
 *
 * <p>The controller also drops a dead broker from every ISR itself when it fences it, which the leader logs only for
 * the partitions whose ISR it then states ({@code Broker 2 leads 2 partition(s) with a new ISR: ...}), a few of them
 * by name when there are many: whether a broker left the ISRs is better asked of the admin API, which names the live
 * brokers.
 */
public final class IsrView {
    private static final Pattern LEADS =
            Pattern.compile("Broker \\d+ leads (\\S+) in epoch \\d+ \\(ISR \\[([\\d, ]*)\\]");
    private static final Pattern ASKS =
            Pattern.compile("Broker \\d+ asks to change the ISR of (\\S+) to \\[([\\d, ]*)\\]");
    private static final Pattern REFUSED = Pattern.compile("The ISR change of (\\S+) was refused");
    /**
     * A leader's request for many partitions at once, or the ISRs the controller committed for them (also when it
     * shrank them itself, fencing a dead broker): {@code ... partition(s): a [1, 2, 3], b [2, 3]}.
     */
    private static final Pattern ASKS_MANY = Pattern.compile("Broker \\d+ (?:asks to change the ISR of|leads) \\d+"
            + " partition\\(s\\)(?: with a new ISR)?: (.*)$");
    private static final Pattern ONE_ASKED = Pattern.compile("(\\S+) \\[([\\d, ]*)\\]");
    /** The controller's refusals of such a request: {@code ... partition(s): a WHY, b WHY}. */
    private static final Pattern REFUSED_MANY =
            Pattern.compile("the controller refused the ISR change of \\d+ partition\\(s\\): (.*)$");

    /**
     * A partition's ISR as last stated, when, and whether a refusal took that statement back, and when. A refusal
     * counts for {@link #REFUSAL_HOLDS_NANOS} only: the leader asks again 2 s after one when its ISR still differs
     * from what it wants, so a refusal not followed by a new request was of a change the controller made anyway
     * (it timed out, or was overtaken).
     */
    private record State(Set<Integer> isr, long nanos, boolean refused, long refusedNanos) {
        boolean refusedAt(long now) {
            return refused && now - refusedNanos < REFUSAL_HOLDS_NANOS;
        }
    }

    private static final long REFUSAL_HOLDS_NANOS = 5_000_000_000L;

    private final Map<String, State> partitions = new HashMap<>();

    /** Reads one line of the leader's log that arrived at {@code nanos}; other lines are ignored. */
    public void accept(long nanos, String line) {
        Matcher m = LEADS.matcher(line);
        if (m.find()) {
            partitions.put(m.group(1), new State(ids(m.group(2)), nanos, false, 0));
            return;
        }
        m = ASKS.matcher(line);
        if (m.find()) {
            partitions.put(m.group(1), new State(ids(m.group(2)), nanos, false, 0));
            return;
        }
        m = ASKS_MANY.matcher(line);
        if (m.find()) {
            Matcher one = ONE_ASKED.matcher(m.group(1));
            while (one.find()) {
                partitions.put(one.group(1), new State(ids(one.group(2)), nanos, false, 0));
            }
            return;
        }
        m = REFUSED_MANY.matcher(line);
        if (m.find()) {
            String refusals = m.group(1);
            for (Map.Entry<String, State> e : List.copyOf(partitions.entrySet())) {
                String name = e.getKey();
                // Each refusal starts the list or follows ", " with the partition's name and a space.
                if (refusals.startsWith(name + " ") || refusals.contains(", " + name + " ")) {
                    State s = e.getValue();
                    partitions.put(name, new State(s.isr(), s.nanos(), true, nanos));
                }
            }
            return;
        }
        m = REFUSED.matcher(line);
        if (m.find()) {
            State s = partitions.get(m.group(1));
            // A request overtaken by a change already made (often the same change asked for again) takes nothing back.
            if (s != null && !line.contains("STALE_PARTITION_EPOCH")) {
                partitions.put(m.group(1), new State(s.isr(), s.nanos(), true, nanos));
            }
        }
    }

    /** Partitions this broker leads, as far as its log told. */
    public int partitions() {
        return partitions.size();
    }

    /**
     * True when at least {@code minPartitions} partitions are known and every one has exactly {@code brokers} in
     * sync, stated at or after {@code since} and not refused within {@code settleNanos} before {@code now}.
     */
    public boolean allInSync(Set<Integer> brokers, int minPartitions, long since, long now, long settleNanos) {
        return allInSync(name -> true, brokers, minPartitions, since, now, settleNanos);
    }

    /** {@link #allInSync(Set, int, long, long, long)} for the partitions whose name {@code which} accepts. */
    public boolean allInSync(Predicate<String> which, Set<Integer> brokers, int minPartitions, long since, long now,
                             long settleNanos) {
        int counted = 0;
        for (Map.Entry<String, State> e : partitions.entrySet()) {
            if (!which.test(e.getKey())) {
                continue;
            }
            State s = e.getValue();
            if (s.refusedAt(now) || !s.isr().equals(brokers) || s.nanos() - since < 0
                    || now - s.nanos() < settleNanos) {
                return false;
            }
            counted++;
        }
        return counted >= minPartitions;
    }

    /** How many partitions do not have exactly {@code brokers} in sync: for progress messages. */
    public long laggingPartitions(Set<Integer> brokers) {
        long now = System.nanoTime();
        return partitions.values().stream().filter(s -> s.refusedAt(now) || !s.isr().equals(brokers)).count();
    }

    static Set<Integer> ids(String list) {
        Set<Integer> ids = new TreeSet<>();
        for (String id : list.split(",")) {
            if (!id.isBlank()) {
                ids.add(Integer.parseInt(id.trim()));
            }
        }
        return ids;
    }
}
