package io.strand.jms.client;

import io.strand.protocol.ApiKey;
import io.strand.protocol.ErrorCode;
import io.strand.protocol.Handshake;
import io.strand.protocol.ResponseStatus;
import jakarta.jms.JMSException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Finds the broker of a cluster that serves JMS clients: tries the URL's hosts in order, each with a TCP connect
 * and a handshake, and then again after a backoff that doubles each round, until one accepts the handshake or the
 * deadline passes. A broker that answers {@link ErrorCode#NOT_LEADER} names the one that serves clients now, which
 * is tried next; one that knows none sends the search on to the next host after the backoff.
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

    /** Opens a TCP connection to one broker, without the handshake. */
    @FunctionalInterface
    public interface Dialer {
        WireConnection dial(ConnectionUrl.HostPort host, long connectTimeoutMs) throws JMSException;
    }

    /** How one try at one host ended. */
    sealed interface Attempt permits Connected, Miss {
    }

    /** A broker that accepted the handshake: its connection, set to the version it settled on, and its answer. */
    public record Connected(WireConnection wire, Handshake.Response response) implements Attempt {
    }

    /** A try that did not connect: why, and whether the broker said another one serves clients (and which). */
    private record Miss(String why, ConnectionUrl.HostPort leaderHint, boolean notLeader) implements Attempt {
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

    /**
     * Searches until a broker accepts the handshake.
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
        final Map<String, String> misses = new LinkedHashMap<>();
        final Deque<ConnectionUrl.HostPort> round = new ArrayDeque<>(hosts);
        long backoffMs = options.reconnectBackoffMs();
        int redirects = 0;
        while (!abandoned.getAsBoolean()) {
            if (round.isEmpty()) {
                if (oneRound || !sleep(backoffMs, deadlineNs, abandoned)) {
                    throw noBroker(misses, oneRound);
                }
                backoffMs = Math.min(backoffMs * 2, options.reconnectBackoffMaxMs());
                round.addAll(hosts);
                redirects = 0;
            }
            final long remainingMs = oneRound ? Long.MAX_VALUE
                    : TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime());
            if (remainingMs <= 0) {
                throw noBroker(misses, false);
            }
            final ConnectionUrl.HostPort target = round.poll();
            final Attempt attempt = tryHost(target, remainingMs, reconnecting);
            if (attempt instanceof Connected connected) {
                return connected;
            }
            final Miss miss = (Miss) attempt;
            misses.put(target.toString(), miss.why());
            if (!miss.notLeader()) {
                continue;
            }
            // Two brokers naming each other must not send the search round in circles: a round follows as many hints as
            // it has hosts (plus one), then waits out the backoff like any failed round.
            if (miss.leaderHint() != null && !miss.leaderHint().equals(target) && redirects <= hosts.size()) {
                round.addFirst(miss.leaderHint());
                redirects++;
            } else if (!oneRound && !sleep(backoffMs, deadlineNs, abandoned)) {
                throw noBroker(misses, false);
            }
        }
        return null;
    }

    private Attempt tryHost(ConnectionUrl.HostPort target, long remainingMs, boolean reconnecting) {
        final WireConnection wire;
        try {
            wire = dialer.dial(target, Math.max(1, Math.min(options.connectTimeoutMs(), remainingMs)));
        } catch (JMSException e) {
            return new Miss(String.valueOf(e.getMessage()), null, false);
        }
        wire.failOnNotLeader();
        final Handshake.Response response;
        try {
            response = handshake(wire, handshakes.get())
                    .get(Math.max(1, Math.min(options.requestTimeoutMs(), remainingMs)), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            wire.close();
            final Throwable cause = e.getCause() instanceof CompletionException c && c.getCause() != null
                    ? c.getCause() : e.getCause();
            if (cause instanceof BrokerException refused) {
                if (isFinal(refused.error(), reconnecting)) {
                    throw refused;
                }
                return new Miss(refused.getMessage(), null, false);
            }
            return new Miss(String.valueOf(cause.getMessage()), null, false);
        } catch (TimeoutException e) {
            wire.close();
            return new Miss("no answer to the handshake in time", null, false);
        } catch (InterruptedException e) {
            wire.close();
            Thread.currentThread().interrupt();
            throw new ConnectionLostException("interrupted while connecting to " + url, e);
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

    private ConnectionLostException noBroker(Map<String, String> misses, boolean oneRound) {
        final StringBuilder tried = new StringBuilder();
        misses.forEach((host, why) -> tried.append(tried.length() == 0 ? "" : "; ").append(host).append(": ").append(why));
        return new ConnectionLostException((oneRound ? "cannot connect to any broker of " + url
                : "no broker of " + url + " accepted a connection within " + options.failoverTimeoutMs() + " ms")
                + " (" + tried + ")", null);
    }
}
