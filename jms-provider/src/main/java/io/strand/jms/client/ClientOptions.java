package io.strand.jms.client;

import io.strand.jms.message.TrustedPackages;
import io.strand.record.CompressionType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The client's tunables, read from the options of a {@link ConnectionUrl}. Every value is checked
 * here, once, with a message that names the option; defaults suit a laptop and a data centre alike.
 * Immutable and thread-safe.
 *
 * <pre>
 * option               default  meaning
 * clientID             none     JMS client id set administratively (setClientID then fails);
 *                               also spelled clientId
 * prefetch             1000     records a consumer may hold unconsumed; credit is topped up at half
 * lingerMs             0        how long a non-persistent or async send waits for company in a batch (a batch also
 *                               grows while its partition has five batches unanswered, whatever the linger)
 * batchBytes           65536    a batch is sent when its records reach this size, linger or not
 * heartbeatMs          10000    idle time (at least 1000) after which a heartbeat is sent; 3 unanswered = lost
 * connectTimeoutMs     10000    per host, the TCP connect; its handshake is waited for requestTimeoutMs, at least
 *                               10000 (a broker may hold it while its cluster has no active broker)
 * requestTimeoutMs     30000    how long a blocking call waits for the broker's answer
 * maxFrameBytes        67108864 largest frame accepted from the broker
 * compression          lz4      codec of the batches this client sends: none or lz4
 * objectMessage.trustedPackages
 *                      java.    packages whose classes a received ObjectMessage body may hold, comma-separated;
 *                               * for all (see {@link TrustedPackages})
 * transactionMaxBytes  16777216 message bytes (bodies, keys, headers) one transaction may stage until commit
 * maxUnconfirmedSendBytes
 *                      33554432 message bytes of a connection's sends not yet confirmed (asynchronous sends until
 *                               their CompletionListener ran, NON_PERSISTENT ones until the broker answered); a send
 *                               that would exceed it waits for room
 * failoverTimeoutMs    30000    how long connecting, and reconnecting after the broker went away, may take before
 *                               the connection fails (ExceptionListener); 0: one try per host, no failover
 * reconnectBackoffMs   100      wait after a round over every host failed, doubled after each round
 * reconnectBackoffMaxMs 500     the longest such wait; by default reconnectBackoffMs if that is set higher
 * </pre>
 *
 * <p>Failover (see {@link ClusterConnection}) applies to {@code strand://} URLs; an embedded {@code vm://}
 * broker lives and dies with its JVM, so a {@code vm://} connection never fails over.
 *
 * @param brokerOptions on a {@code vm://} URL, the options that are not the client's, for the embedded broker
 */
public record ClientOptions(String clientId, int prefetch, long lingerMs, int batchBytes, long heartbeatMs,
                            long connectTimeoutMs, long requestTimeoutMs, int maxFrameBytes,
                            CompressionType compression, TrustedPackages trustedPackages, long transactionMaxBytes,
                            long maxUnconfirmedSendBytes, long failoverTimeoutMs, long reconnectBackoffMs,
                            long reconnectBackoffMaxMs, Map<String, String> brokerOptions) {
    public static final String CLIENT_ID = "clientID";
    /** The spelling of {@link #CLIENT_ID} that Strand used first; either works, not both at once. */
    public static final String CLIENT_ID_LOWER_D = "clientId";
    public static final String PREFETCH = "prefetch";
    public static final String LINGER_MS = "lingerMs";
    public static final String BATCH_BYTES = "batchBytes";
    public static final String HEARTBEAT_MS = "heartbeatMs";
    public static final String CONNECT_TIMEOUT_MS = "connectTimeoutMs";
    public static final String REQUEST_TIMEOUT_MS = "requestTimeoutMs";
    public static final String MAX_FRAME_BYTES = "maxFrameBytes";
    public static final String COMPRESSION = "compression";
    public static final String TRUSTED_PACKAGES = "objectMessage.trustedPackages";
    public static final String TRANSACTION_MAX_BYTES = "transactionMaxBytes";
    public static final String MAX_UNCONFIRMED_SEND_BYTES = "maxUnconfirmedSendBytes";
    public static final String FAILOVER_TIMEOUT_MS = "failoverTimeoutMs";
    public static final String RECONNECT_BACKOFF_MS = "reconnectBackoffMs";
    public static final String RECONNECT_BACKOFF_MAX_MS = "reconnectBackoffMaxMs";

    static final long DEFAULT_RECONNECT_BACKOFF_MS = 100;
    /** Or {@link #RECONNECT_BACKOFF_MS} when that is set higher. */
    static final long DEFAULT_RECONNECT_BACKOFF_MAX_MS = 500;

    public static final Set<String> NAMES = Set.of(CLIENT_ID, CLIENT_ID_LOWER_D, PREFETCH, LINGER_MS, BATCH_BYTES,
            HEARTBEAT_MS, CONNECT_TIMEOUT_MS, REQUEST_TIMEOUT_MS, MAX_FRAME_BYTES, COMPRESSION, TRUSTED_PACKAGES,
            TRANSACTION_MAX_BYTES, MAX_UNCONFIRMED_SEND_BYTES, FAILOVER_TIMEOUT_MS, RECONNECT_BACKOFF_MS,
            RECONNECT_BACKOFF_MAX_MS);

    public ClientOptions {
        brokerOptions = Map.copyOf(brokerOptions);
    }

    /**
     * How long a call that needs the broker may block: through a failover first, then for the broker's answer. A
     * request waiting for a failover fails by itself when the failover's deadline passes, so this is only the bound.
     */
    public long callTimeoutMs() {
        return failoverTimeoutMs + requestTimeoutMs;
    }

    /** The defaults, no client id. */
    public static ClientOptions defaults() {
        return from(ConnectionUrl.parse("strand://localhost:61617"));
    }

    /**
     * @throws IllegalArgumentException naming the option, its value and the allowed range, or, on a
     *                                  {@code strand://} URL, an option that is not known
     */
    public static ClientOptions from(ConnectionUrl url) {
        final Map<String, String> rest = new LinkedHashMap<>(url.options());
        final String clientId = clientId(rest, url);
        final long backoffMs = number(rest, RECONNECT_BACKOFF_MS, DEFAULT_RECONNECT_BACKOFF_MS, 1, 60_000, url);
        final ClientOptions options = new ClientOptions(clientId,
                (int) number(rest, PREFETCH, 1000, 1, 1 << 20, url),
                number(rest, LINGER_MS, 0, 0, 60_000, url),
                // Kafka's batch.size in its benchmarks: at most 5 batches of a partition are unanswered, so replicated
                // publishing, each batch waiting for the followers' fsync, goes about as fast as batches are large.
                (int) number(rest, BATCH_BYTES, 64 * 1024, 1, 16 << 20, url),
                number(rest, HEARTBEAT_MS, 10_000, 1_000, 3_600_000, url),
                number(rest, CONNECT_TIMEOUT_MS, 10_000, 1, 3_600_000, url),
                number(rest, REQUEST_TIMEOUT_MS, 30_000, 1, 3_600_000, url),
                (int) number(rest, MAX_FRAME_BYTES, 64 << 20, 1024, Integer.MAX_VALUE, url),
                compression(rest.remove(COMPRESSION), url),
                trustedPackages(rest.remove(TRUSTED_PACKAGES), url),
                // A commit carries the whole transaction in one frame: the cap keeps it well inside the broker's
                // default frame limit (65 MiB), record framing included.
                number(rest, TRANSACTION_MAX_BYTES, 16 << 20, 1024, 48 << 20, url),
                // Kafka's buffer.memory: enough to keep a fast producer's pipeline full, little beside a heap.
                number(rest, MAX_UNCONFIRMED_SEND_BYTES, 32 << 20, 1024, 1L << 40, url),
                number(rest, FAILOVER_TIMEOUT_MS, 30_000, 0, 86_400_000, url),
                backoffMs,
                // A cluster has a few hosts, and trying one is cheap: after a few rounds the search keeps looking at a
                // short interval, so that it finds a new active broker soon after it is ready.
                number(rest, RECONNECT_BACKOFF_MAX_MS, Math.max(DEFAULT_RECONNECT_BACKOFF_MAX_MS, backoffMs), 1,
                        600_000, url),
                url.isVm() ? rest : Map.of());
        if (options.reconnectBackoffMaxMs() < options.reconnectBackoffMs()) {
            throw new IllegalArgumentException("option " + RECONNECT_BACKOFF_MAX_MS + "=" + options.reconnectBackoffMaxMs()
                    + " in " + url + " is below " + RECONNECT_BACKOFF_MS + "=" + options.reconnectBackoffMs());
        }
        if (!url.isVm() && !rest.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s) " + rest.keySet() + " in " + url
                    + "; known options: " + new java.util.TreeSet<>(NAMES));
        }
        return options;
    }

    private static String clientId(Map<String, String> options, ConnectionUrl url) {
        final String upper = options.remove(CLIENT_ID);
        final String lower = options.remove(CLIENT_ID_LOWER_D);
        if (upper != null && lower != null) {
            throw new IllegalArgumentException("options " + CLIENT_ID + " and " + CLIENT_ID_LOWER_D
                    + " are the same option, given twice in " + url);
        }
        final String id = upper != null ? upper : lower;
        if (id != null && id.isEmpty()) {
            throw new IllegalArgumentException("option " + (upper != null ? CLIENT_ID : CLIENT_ID_LOWER_D)
                    + " must not be empty in " + url);
        }
        return id;
    }

    private static TrustedPackages trustedPackages(String list, ConnectionUrl url) {
        if (list == null) {
            return TrustedPackages.DEFAULT;
        }
        try {
            return TrustedPackages.parse(list);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("option " + TRUSTED_PACKAGES + " in " + url + ": " + e.getMessage());
        }
    }

    private static CompressionType compression(String name, ConnectionUrl url) {
        if (name == null) {
            return CompressionType.LZ4;
        }
        try {
            return CompressionType.forName(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("option compression=" + name + " in " + url + " is not none or lz4");
        }
    }

    private static long number(Map<String, String> options, String name, long defaultValue, long min, long max,
                               ConnectionUrl url) {
        final String text = options.remove(name);
        if (text == null) {
            return defaultValue;
        }
        final long value;
        try {
            value = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option " + name + "=" + text + " in " + url + " is not a whole number");
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException("option " + name + "=" + value + " in " + url + " is outside ["
                    + min + ", " + max + "]");
        }
        return value;
    }

    /** A copy with another client id (for a factory whose client id is set by a setter). */
    public ClientOptions withClientId(String id) {
        return new ClientOptions(id, prefetch, lingerMs, batchBytes, heartbeatMs, connectTimeoutMs, requestTimeoutMs,
                maxFrameBytes, compression, trustedPackages, transactionMaxBytes, maxUnconfirmedSendBytes,
                failoverTimeoutMs, reconnectBackoffMs, reconnectBackoffMaxMs, brokerOptions);
    }
}
