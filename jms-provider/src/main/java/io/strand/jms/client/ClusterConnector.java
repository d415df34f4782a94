package io.strand.jms.client;

import io.strand.protocol.ApiKey;
import io.strand.protocol.ErrorCode;
import io.strand.protocol.Handshake;
import io.strand.protocol.ResponseStatus;
import jakarta.jms.JMSException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Finds the broker of a cluster that serves JMS clients: tries the URL's hosts in order, each with a TCP connect
 * and a handshake, and then again after a backoff that doubles each round, until one accepts the handshake or the
 * deadline passes. A broker that answers {@link ErrorCode#NOT_LEADER} names the one that serves clients now, which
 * is tried next, at once; one that knows none sends the search on to the next host after the backoff.
 *
 * <p>A broker may hold its answer to a handshake while the cluster has no active broker yet (for a few seconds, during
 * a failover), and then name the new one. A handshake is therefore given at least {@value #HANDSHAKE_MIN_WAIT_MS} ms
 * (or {@code requestTimeoutMs} if longer, within the deadline), and a host that has not answered within
 * {@value #PARALLEL_AFTER_MS} ms does not hold the search up: the next host is tried beside it, and so on, each try
 * on a thread of its own. Whichever broker accepts first is taken and every other try is closed; a hint from any of
 * them is followed at once. So the search finds the active broker as soon as it, or any broker that knows it, answers,
 * and a host that is down or slow costs no more than that delay. Hosts that answer at once are still tried strictly in
 * the URL's order.
 *
 * <p>A refusal that trying again cannot change ends the search at once with the broker's answer: wrong credentials,
 * no common protocol version, and — when the application connects, not when a connection fails over — a client id
 * in use (after a failover the broker may still hold the id for the lost connection for a moment, so then it is tried
 * again). Anything else (a host that is down, refuses the TCP connection, does not answer in time or answers with
 * another error) is noted and the next host tried.
 *
 * <p>Thread-safe: every call works on its own; the handshake to send is asked for at each try, so it carries
 * the client id the connection has at that moment.
 */
public final class ClusterConnector {
    private static final System.Logger LOG = System.getLogger(ClusterConnector.class.getName());
    /** The least a handshake is waited for: a broker may hold it up to 5 s while the cluster has no active broker. */
    static final long HANDSHAKE_MIN_WAIT_MS = 10_000;
    /** How long a try may go unanswered before the next host is tried beside it. */
    static final long PARALLEL_AFTER_MS = 250;
    /** Longest wait between looks at the caller's {@code abandoned} and the deadline. */
    private static final long POLL_MS = 50;
    private static final ExecutorService TRIES = Executors.newCachedThreadPool(r -> {
        final Thread t = new Thread(r, "strand-connect");
        t.setDaemon(true);
        return t;
    });

    /** Opens a TCP connection to one broker, without the handshake. */
    @FunctionalInterface
    public interface Dialer {
        WireConnection dial(ConnectionUrl.HostPort host, long connectTimeoutMs) throws JMSException;
    }

    /** How one try at one host ended. */
    sealed interface Attempt permits Connected, Miss, Refused {
    }

    /** A broker that accepted the handshake: its connection, set to the version it settled on, and its answer. */
    public record Connected(WireConnection wire, Handshake.Response response) implements Attempt {
    }

    /** A try that did not connect: why, and whether the broker said another one serves clients (and which). */
    private record Miss(String why, ConnectionUrl.HostPort leaderHint, boolean notLeader) implements Attempt {
    }

    /** A refusal that ends the search. */
    private record Refused(BrokerException refusal) implements Attempt {
    }

    /** How a try ended, and at which host. */
    private record Outcome(ConnectionUrl.HostPort host, Attempt attempt) {
    }

    private final List<ConnectionUrl.HostPort> hosts;
    private final String url;
    private final ClientOptions options;
    private final Dialer dialer;
    private volatile Supplier<Handshake.Request> handshakes;

    /**
     * @param hosts      the brokers to try, in order
     * @param url        the URL they come from, for messages
     * @param handshakes the handshake to send, asked for at each try
     */
    public ClusterConnector(List<ConnectionUrl.HostPort> hosts, String url, ClientOptions options, Dialer dialer,
                            Supplier<Handshake.Request> handshakes) {
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("no host to connect to in " + url);
        }
        this.hosts = List.copyOf(hosts);
        this.url = url;
        this.options = options;
        this.dialer = dialer;
        this.handshakes = handshakes;
    }

    /** Changes the handshake later tries send: the connection's owner knows its client id once it exists. */
    public void handshakeWith(Supplier<Handshake.Request> handshakes) {
        this.handshakes = handshakes;
    }

    public String url() {
        return url;
    }

    /**
     * Sends the handshake on a connected wire. A NOT_LEADER answer completes the future like an accepted one, so
     * that the caller can read where the broker sends it; any other error fails it with {@link BrokerException}.
     */
    public static CompletableFuture<Handshake.Response> handshake(WireConnection wire, Handshake.Request request) {
        return wire.send(ApiKey.HANDSHAKE, request::writeTo, Handshake.Response::readFrom,
                r -> r.status().error() == ErrorCode.NOT_LEADER ? ResponseStatus.OK : r.status());
    }

    /** How long a handshake is waited for: long enough for a broker that holds it during a failover. */
    long handshakeWaitMs() {
        return Math.max(HANDSHAKE_MIN_WAIT_MS, options.requestTimeoutMs());
    }

    /**
     * Searches until a broker accepts the handshake.
     *
     * @param deadlineNs   when to give up ({@link System#nanoTime}); ignored when failover is off
     *                     ({@code failoverTimeoutMs=0}): then every host is tried once
     * @param reconnecting whether a lost connection is being replaced (a client id in use is then worth another try)
     * @param abandoned    whether the caller gave up (the connection closed): checked between tries
     * @return the broker's connection, or null if abandoned
     * @throws BrokerException         a broker refused in a way trying again cannot change
     * @throws ConnectionLostException no broker accepted before the deadline
     */
    public Connected connect(long deadlineNs, boolean reconnecting, BooleanSupplier abandoned) {
        return connect(deadlineNs, options.failoverTimeoutMs() == 0, reconnecting, abandoned);
    }

    /**
     * Searches until a broker accepts the handshake, or, with {@code oneRound}, until every host was tried once.
     *
     * @param deadlineNs   when to give up ({@link System#nanoTime}); ignored with {@code oneRound}
     * @param oneRound     whether to try every host once (and the brokers their NOT_LEADER answers name) and give up
     *                     then, as when failover is off ({@code failoverTimeoutMs=0})
     * @param reconnecting whether a lost connection is being replaced (a client id in use is then worth another try)
     * @param abandoned    whether the caller gave up (the connection closed): checked between tries
     * @return the broker's connection, or null if abandoned
     * @throws BrokerException         a broker refused in a way trying again cannot change
     * @throws ConnectionLostException no broker accepted before the deadline
     */
    public Connected connect(long deadlineNs, boolean oneRound, boolean reconnecting, BooleanSupplier abandoned) {
        final Search search = new Search(deadlineNs, oneRound, reconnecting);
        try {
            return search.run(abandoned);
        } finally {
            search.end();
        }
    }

    /** One search: its tries under way, what they answered, and where the URL's round stands. */
    private final class Search {
        private final long deadlineNs;
        private final boolean reconnecting;
        private final boolean oneRound;
        private final BlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();
        /** Why each host tried did not connect, for the message when none does. */
        private final Map<String, String> misses = new LinkedHashMap<>();
        /** Hosts whose try is under way. */
        private final Set<ConnectionUrl.HostPort> trying = new HashSet<>();
        private final Deque<ConnectionUrl.HostPort> round = new ArrayDeque<>(hosts);
        /** Guarded by the search: the connections of tries under way, closed when it ends; null once it ended. */
        private List<WireConnection> open = new ArrayList<>();
        private Connected found;

        Search(long deadlineNs, boolean oneRound, boolean reconnecting) {
            this.deadlineNs = deadlineNs;
            this.oneRound = oneRound;
            this.reconnecting = reconnecting;
        }

        Connected run(BooleanSupplier abandoned) {
            long backoffMs = options.reconnectBackoffMs();
            int redirects = 0;
            long nextTryNs = System.nanoTime();
            while (!abandoned.getAsBoolean()) {
                final long now = System.nanoTime();
                if (!oneRound && now - deadlineNs >= 0) {
                    throw noBroker();
                }
                if (!round.isEmpty() && now - nextTryNs >= 0) {
                    final ConnectionUrl.HostPort next = round.poll();
                    if (trying.add(next)) { // a hint may name a host being tried already
                        start(next);
                        nextTryNs = now + TimeUnit.MILLISECONDS.toNanos(PARALLEL_AFTER_MS);
                    }
                    continue;
                }
                if (round.isEmpty() && trying.isEmpty()) {
                    if (oneRound) {
                        throw noBroker();
                    }
                    if (!sleep(backoffMs, deadlineNs, abandoned)) {
                        if (abandoned.getAsBoolean()) {
                            return null;
                        }
                        throw noBroker();
                    }
                    backoffMs = Math.min(backoffMs * 2, options.reconnectBackoffMaxMs());
                    round.addAll(hosts);
                    redirects = 0;
                    nextTryNs = System.nanoTime();
                    continue;
                }
                long waitNs = TimeUnit.MILLISECONDS.toNanos(POLL_MS);
                if (!round.isEmpty()) {
                    waitNs = Math.min(waitNs, nextTryNs - now);
                }
                final Outcome outcome;
                try {
                    outcome = outcomes.poll(Math.max(0, waitNs), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ConnectionLostException("interrupted while connecting to " + url, e);
                }
                if (outcome == null) {
                    continue;
                }
                trying.remove(outcome.host());
                if (outcome.attempt() instanceof Connected connected) {
                    found = connected;
                    return connected;
                }
                if (outcome.attempt() instanceof Refused refused) {
                    throw refused.refusal();
                }
                final Miss miss = (Miss) outcome.attempt();
                misses.put(outcome.host().toString(), miss.why());
                // Two brokers naming each other must not send the search round in circles: a round follows as many
                // hints as it has hosts (plus one), then waits out the backoff like any failed round.
                if (miss.notLeader() && miss.leaderHint() != null && !miss.leaderHint().equals(outcome.host())
                        && redirects <= hosts.size()) {
                    round.addFirst(miss.leaderHint());
                    redirects++;
                    nextTryNs = System.nanoTime();
                } else if (miss.notLeader() && !oneRound) {
                    nextTryNs = Math.max(nextTryNs, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMs));
                } else {
                    nextTryNs = System.nanoTime();
                }
            }
            return null;
        }

        /** Starts a try at one host on a thread of its own; its outcome comes through {@link #outcomes}. */
        private void start(ConnectionUrl.HostPort host) {
            final long remainingMs = oneRound ? Long.MAX_VALUE
                    : Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime()));
            try {
                TRIES.execute(() -> tryHost(host, remainingMs));
            } catch (RejectedExecutionException e) {
                outcomes.add(new Outcome(host, new Miss("cannot start a try: " + e, null, false)));
            }
        }

        /** One try: TCP connect and handshake. A connection made after the search ended is closed, not reported. */
        private void tryHost(ConnectionUrl.HostPort target, long remainingMs) {
            final WireConnection wire;
            try {
                wire = dialer.dial(target, Math.max(1, Math.min(options.connectTimeoutMs(), remainingMs)));
            } catch (JMSException e) {
                report(target, null, new Miss(String.valueOf(e.getMessage()), null, false));
                return;
            } catch (RuntimeException e) {
                report(target, null, new Miss(e.toString(), null, false));
                return;
            }
            final boolean ended;
            synchronized (this) {
                ended = open == null;
                if (!ended) {
                    open.add(wire);
                }
            }
            if (ended) {
                wire.close(); // the search ended while this host was dialled
                return;
            }
            report(target, wire, handshakeOn(wire, target, remainingMs));
        }

        /**
         * Hands a try's outcome to the search, under the same lock as {@link #end}, so that a connection is either
         * reported before the search ends or closed here.
         */
        private void report(ConnectionUrl.HostPort target, WireConnection wire, Attempt attempt) {
            synchronized (this) {
                if (open != null) {
                    open.remove(wire);
                    outcomes.add(new Outcome(target, attempt));
                    return;
                }
            }
            if (wire != null) {
                wire.close();
            }
        }

        private Attempt handshakeOn(WireConnection wire, ConnectionUrl.HostPort target, long remainingMs) {
            wire.failOnNotLeader();
            final Handshake.Response response;
            try {
                response = handshake(wire, handshakes.get())
                        .get(Math.max(1, Math.min(handshakeWaitMs(), remainingMs)), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                wire.close();
                final Throwable cause = e.getCause() instanceof CompletionException c && c.getCause() != null
                        ? c.getCause() : e.getCause();
                if (cause instanceof BrokerException refused) {
                    return isFinal(refused.error(), reconnecting) ? new Refused(refused)
                            : new Miss(refused.getMessage(), null, false);
                }
                return new Miss(String.valueOf(cause.getMessage()), null, false);
            } catch (TimeoutException e) {
                wire.close();
                return new Miss("no answer to the handshake in time", null, false);
            } catch (InterruptedException e) {
                wire.close();
                Thread.currentThread().interrupt();
                return new Miss("interrupted", null, false);
            }
            if (response.status().error() == ErrorCode.NOT_LEADER) {
                wire.close();
                return new Miss("does not serve clients (" + response.status().describe() + ")"
                        + (response.leaderEndpoint() == null ? "" : "; " + response.leaderEndpoint() + " does"),
                        hint(target, response.leaderEndpoint()), true);
            }
            wire.setVersion(response.version());
            return new Connected(wire, response);
        }

        /**
         * Ends the search: closes the connections of tries still under way (a held handshake ends with it) and of
         * any that connected besides the one taken; tries that end later close their own ({@link #report}).
         */
        void end() {
            final List<WireConnection> abandoned;
            synchronized (this) {
                abandoned = open;
                open = null;
            }
            abandoned.forEach(WireConnection::close);
            for (Outcome late; (late = outcomes.poll()) != null; ) {
                if (late.attempt() instanceof Connected other && other != found) {
                    other.wire().close();
                }
            }
        }

        private ConnectionLostException noBroker() {
            final StringBuilder tried = new StringBuilder();
            misses.forEach((host, why) -> tried.append(tried.length() == 0 ? "" : "; ").append(host).append(": ")
                    .append(why));
            for (ConnectionUrl.HostPort host : trying) {
                tried.append(tried.length() == 0 ? "" : "; ").append(host).append(": no answer yet");
            }
            return new ConnectionLostException((oneRound ? "cannot connect to any broker of " + url
                    : "no broker of " + url + " accepted a connection within " + options.failoverTimeoutMs() + " ms")
                    + " (" + tried + ")", null);
        }
    }

    private static ConnectionUrl.HostPort hint(ConnectionUrl.HostPort from, String endpoint) {
        if (endpoint == null) {
            return null;
        }
        try {
            return ConnectionUrl.HostPort.parse(endpoint);
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "broker {0} named the broker that serves clients {1}, which is no"
                    + " host:port; ignoring it: {2}", from, endpoint, e.getMessage());
            return null;
        }
    }

    /** Refusals that another try, here or elsewhere, cannot turn into a connection. */
    private static boolean isFinal(ErrorCode error, boolean reconnecting) {
        return error == ErrorCode.AUTHENTICATION_FAILED || error == ErrorCode.UNSUPPORTED_VERSION
                || (error == ErrorCode.INVALID_CLIENT_ID && !reconnecting);
    }

    /** Waits out a backoff; false if the deadline comes first or the caller gave up. */
    static boolean sleep(long backoffMs, long deadlineNs, BooleanSupplier abandoned) {
        final long untilNs = Math.min(deadlineNs, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMs));
        long leftNs;
        while ((leftNs = untilNs - System.nanoTime()) > 0) {
            if (abandoned.getAsBoolean()) {
                return false;
            }
            try {
                // Short slices, so that closing the connection ends a long backoff soon.
                Thread.sleep(Math.max(1, Math.min(50, TimeUnit.NANOSECONDS.toMillis(leftNs))));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return System.nanoTime() < deadlineNs && !abandoned.getAsBoolean();
    }
}
