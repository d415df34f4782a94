package io.strand.bench.cluster;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The in-sync replicas of every partition a broker leads, as that broker's log tells them: the ISR it took
 * the lead with ({@code Broker 2 leads q$orders-0 in epoch 3 (ISR [2, 3], log end 10)}), each change it asked
 * the controller for ({@code Broker 2 asks to change the ISR of q$orders-0 to [1, 2, 3]}) and each refusal.
 * The broker offers no other view of the ISR to a client, and its log is what an operator would read. A change
 * counts once it was asked for and no refusal followed within {@code settleNanos} (the controller answers
 * within a Raft commit, milliseconds).
 */
public final class IsrView {
    private static final Pattern LEADS = Pattern.compile("Broker \\d+ leads (\\S+) in epoch \\d+ \\(ISR \\[([\\d, ]*)\\]");
    private static final Pattern ASKS = Pattern.compile("Broker \\d+ asks to change the ISR of (\\S+) to \\[([\\d, ]*)\\]");
    private static final Pattern REFUSED = Pattern.compile("The ISR change of (\\S+) was refused");

    private record State(Set<Integer> isr, long sinceNanos, boolean refused) {
    }

    private final Map<String, State> partitions = new HashMap<>();

    /** Reads one line of the leader's log that arrived at {@code nanos}; other lines are ignored. */
    public void accept(long nanos, String line) {
        Matcher m = LEADS.matcher(line);
        if (m.find()) {
            partitions.put(m.group(1), new State(ids(m.group(2)), nanos, false));
            return;
        }
        m = ASKS.matcher(line);
        if (m.find()) {
            partitions.put(m.group(1), new State(ids(m.group(2)), nanos, false));
            return;
        }
        m = REFUSED.matcher(line);
        if (m.find()) {
            State s = partitions.get(m.group(1));
            if (s != null) {
                partitions.put(m.group(1), new State(s.isr(), nanos, true));
            }
        }
    }

    /** Partitions this broker leads, as far as its log told. */
    public int partitions() {
        return partitions.size();
    }

    /**
     * True when at least {@code minPartitions} partitions are known and every one has exactly {@code brokers}
     * in sync, by a change no refusal followed for {@code settleNanos} before {@code now}.
     */
    public boolean allInSync(Set<Integer> brokers, int minPartitions, long now, long settleNanos) {
        if (partitions.size() < minPartitions) {
            return false;
        }
        for (State s : partitions.values()) {
            if (s.refused() || !s.isr().equals(brokers) || now - s.sinceNanos() < settleNanos) {
                return false;
            }
        }
        return true;
    }

    /** How many partitions have fewer in sync than {@code brokers}: for progress messages. */
    public long laggingPartitions(Set<Integer> brokers) {
        return partitions.values().stream().filter(s -> s.refused() || !s.isr().equals(brokers)).count();
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
