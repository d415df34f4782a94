package io.strand.broker;

import io.strand.log.LogConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A broker's settings, read from a properties file with defaults that need nothing: a single
 * node listening on 127.0.0.1:61617 with its data under {@code ./data}. Every value is validated
 * when read; an unknown key or a bad value fails the start with a message naming the key and value.
 * Keys of the form {@code log.<topic setting>} (for example {@code log.flush.mode}) set the default
 * log settings of every destination (see {@link LogConfig}).
 *
 * <p>Authentication: users come from {@code auth.users} ({@code name:password,...}, plain text, for
 * development and tests) and from {@code auth.users.file} (a properties file of
 * {@code name = pbkdf2-sha256:...} or {@code name = plain:...}, see {@link PasswordHash}); a name may be
 * given once. With no users every connection is accepted, whatever credentials it gives. With users,
 * credentials must match, and {@code auth.anonymous} says whether a connection without a user name is
 * accepted (default: false once users are configured). {@code auth.admins} names the users who may change
 * the broker through the admin api; the other users may only describe and browse. Without it every user
 * is an admin, as before the setting existed.
 *
 * @param host                 address the listener binds ({@code host})
 * @param port                 listener port, 0 for any free port ({@code port})
 * @param dataDir              where logs live ({@code data.dir})
 * @param brokerId             this broker's stable id ({@code broker.id})
 * @param autoCreate           create destinations on first use ({@code auto.create.destinations})
 * @param defaultPartitions    partitions of an auto-created destination ({@code default.partitions})
 * @param maxFrameBytes        largest frame a client may send ({@code max.frame.bytes})
 * @param idleTimeoutMs        close a connection silent this long; clients send heartbeats well within it
 *                             ({@code connection.idle.timeout.ms})
 * @param logConfig            default log settings of destinations
 * @param users                the users who may connect and their passwords ({@code auth.users},
 *                             {@code auth.users.file}); empty: authentication is off
 * @param anonymousAllowed     whether a connection without a user name is accepted ({@code auth.anonymous})
 * @param admins               the users who may make changing admin calls ({@code auth.admins}; every user
 *                             when it is not set), each one of {@code users}; empty when authentication is
 *                             off, and then every connection may
 * @param deadLetters          where records go that a queue cannot deliver
 * @param acquisitionLockMs    how long a queue or shared-subscription consumer may hold a record it was
 *                             sent without settling it before the record goes back for redelivery;
 *                             0: as long as the consumer lives ({@code acquisition.lock.ms})
 * @param resumeSharedMs       how long the state of a non-durable shared subscription whose consumers went with their
 *                             connections waits for them to resume it after a failover
 *                             ({@code shared.subscription.resume.ms})
 * @param metricsPort          port of the Prometheus endpoint {@code http://host:port/metrics}; -1 (the
 *                             default) for none, 0 for any free port ({@code metrics.port})
 * @param metricsJmx           whether the metrics are also MBeans in the platform MBean server, domain
 *                             {@code strand}, when the broker has metrics ({@code metrics.jmx}, default true)
 * @param cluster              how the broker joins a cluster ({@code cluster.*}), or null when it runs alone
 */
public record BrokerConfig(String host, int port, Path dataDir, int brokerId, boolean autoCreate,
                           int defaultPartitions, int maxFrameBytes, long idleTimeoutMs, LogConfig logConfig,
                           Map<String, PasswordHash> users, boolean anonymousAllowed, Set<String> admins,
                           DeadLetterSettings deadLetters, long acquisitionLockMs, long resumeSharedMs, int metricsPort,
                           boolean metricsJmx, ClusterSettings cluster) {

    public static final String HOST = "host";
    public static final String PORT = "port";
    public static final String DATA_DIR = "data.dir";
    public static final String BROKER_ID = "broker.id";
    public static final String AUTO_CREATE = "auto.create.destinations";
    public static final String DEFAULT_PARTITIONS = "default.partitions";
    public static final String MAX_FRAME_BYTES = "max.frame.bytes";
    public static final String IDLE_TIMEOUT_MS = "connection.idle.timeout.ms";
    public static final String AUTH_USERS = "auth.users";
    public static final String AUTH_USERS_FILE = "auth.users.file";
    public static final String AUTH_ANONYMOUS = "auth.anonymous";
    public static final String AUTH_ADMINS = "auth.admins";
    public static final String MAX_DELIVERY_ATTEMPTS = "max.delivery.attempts";
    public static final String DEAD_LETTER_QUEUE = "dead.letter.queue";
    public static final String EXPIRY_QUEUE = "expiry.queue";
    public static final String ACQUISITION_LOCK_MS = "acquisition.lock.ms";
    public static final String RESUME_SHARED_MS = "shared.subscription.resume.ms";
    public static final String METRICS_PORT = "metrics.port";
    public static final String METRICS_JMX = "metrics.jmx";
    private static final String LOG_PREFIX = "log.";
    private static final Set<String> KEYS = Set.of(HOST, PORT, DATA_DIR, BROKER_ID, AUTO_CREATE, DEFAULT_PARTITIONS,
            MAX_FRAME_BYTES, IDLE_TIMEOUT_MS, AUTH_USERS, AUTH_USERS_FILE, AUTH_ANONYMOUS, AUTH_ADMINS,
            MAX_DELIVERY_ATTEMPTS, DEAD_LETTER_QUEUE, EXPIRY_QUEUE, ACQUISITION_LOCK_MS, RESUME_SHARED_MS, METRICS_PORT,
            METRICS_JMX);

    public static final int DEFAULT_PORT = 61617;

    public BrokerConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(PORT + "=" + port + " is not a TCP port (0 to 65535)");
        }
        if (defaultPartitions < 1 || defaultPartitions > 10_000) {
            throw new IllegalArgumentException(DEFAULT_PARTITIONS + "=" + defaultPartitions + " must be 1 to 10000");
        }
        if (maxFrameBytes < 1024) {
            throw new IllegalArgumentException(MAX_FRAME_BYTES + "=" + maxFrameBytes + " must be at least 1024");
        }
        if (idleTimeoutMs < 1000) {
            throw new IllegalArgumentException(IDLE_TIMEOUT_MS + "=" + idleTimeoutMs + " must be at least 1000");
        }
        if (acquisitionLockMs != 0 && (acquisitionLockMs < 100 || acquisitionLockMs > 7L * 24 * 3600 * 1000)) {
            throw new IllegalArgumentException(ACQUISITION_LOCK_MS + "=" + acquisitionLockMs
                    + " must be 0 (no limit) or 100 ms to 7 days");
        }
        if (resumeSharedMs < 0 || resumeSharedMs > 24L * 3600 * 1000) {
            throw new IllegalArgumentException(RESUME_SHARED_MS + "=" + resumeSharedMs
                    + " must be 0 (a subscription ends with its last consumer, whatever ended it) to 1 day");
        }
        if (metricsPort < -1 || metricsPort > 65535) {
            throw new IllegalArgumentException(METRICS_PORT + "=" + metricsPort
                    + " is not a TCP port (0 to 65535), nor -1 for no metrics endpoint");
        }
        if (brokerId < 0) {
            throw new IllegalArgumentException(BROKER_ID + "=" + brokerId + " must not be negative");
        }
        users = Map.copyOf(users);
        if (users.isEmpty() && !anonymousAllowed) {
            throw new IllegalArgumentException(AUTH_ANONYMOUS + "=false but no users are configured (" + AUTH_USERS
                    + " or " + AUTH_USERS_FILE + "): no client could connect");
        }
        admins = Set.copyOf(admins);
        for (String admin : admins) {
            if (!users.containsKey(admin)) {
                throw new IllegalArgumentException(AUTH_ADMINS + " names '" + admin + "', who is not a user ("
                        + AUTH_USERS + ", " + AUTH_USERS_FILE + ")");
            }
        }
        if (cluster != null && !users.isEmpty()) {
            checkReplicationLogin(cluster.replicationLogin(), users, admins);
        }
    }

    /**
     * A follower fetches every partition from its leader, so with users it logs in as one of the admins; the brokers
     * of a cluster share their users, so the login is checked here against this broker's, at start.
     */
    private static void checkReplicationLogin(ClusterSettings.Login login, Map<String, PasswordHash> users,
                                              Set<String> admins) {
        if (login == null) {
            throw new IllegalArgumentException(ClusterSettings.REPLICATION_USER + " and "
                    + ClusterSettings.REPLICATION_PASSWORD + " are required in a cluster whose brokers have users ("
                    + AUTH_USERS + ", " + AUTH_USERS_FILE + "): a follower logs in to its leader as one of the users"
                    + " named by " + AUTH_ADMINS);
        }
        if (!admins.contains(login.userName())) {
            throw new IllegalArgumentException(ClusterSettings.REPLICATION_USER + "='" + login.userName() + "' must be"
                    + " a user named by " + AUTH_ADMINS + " (every user when that is not set)");
        }
        if (!users.get(login.userName()).matches(login.password())) {
            throw new IllegalArgumentException(ClusterSettings.REPLICATION_PASSWORD + " is not the password of user '"
                    + login.userName() + "'");
        }
    }

    /**
     * Whether {@code userName} may change the broker through the admin api (alter, purge, rewind, redrive,
     * delete): every connection when authentication is off, else only the users named by {@code auth.admins}.
     */
    public boolean isAdmin(String userName) {
        return users.isEmpty() || userName != null && admins.contains(userName);
    }

    /**
     * Where a queue's undeliverable records go.
     *
     * @param maxDeliveryAttempts deliveries of a record before it goes to the dead-letter queue
     *                            ({@code max.delivery.attempts}, default 10)
     * @param deadLetterQueue     name of the dead-letter queue; {@code ${queue}} stands for the source
     *                            queue's name ({@code dead.letter.queue}, default {@code DLQ.${queue}})
     * @param expiryQueue         queue that receives expired records, same placeholder; empty to drop
     *                            them ({@code expiry.queue}, default empty)
     */
    public record DeadLetterSettings(int maxDeliveryAttempts, String deadLetterQueue, String expiryQueue) {
        public static final String DEFAULT_DEAD_LETTER_QUEUE = "DLQ.${queue}";
        static final String QUEUE_PLACEHOLDER = "${queue}";

        public DeadLetterSettings {
            if (maxDeliveryAttempts < 1 || maxDeliveryAttempts > 1_000_000) {
                throw new IllegalArgumentException(MAX_DELIVERY_ATTEMPTS + "=" + maxDeliveryAttempts
                        + " must be 1 to 1000000");
            }
            checkQueueName(DEAD_LETTER_QUEUE, deadLetterQueue, false);
            checkQueueName(EXPIRY_QUEUE, expiryQueue, true);
        }

        private static void checkQueueName(String key, String pattern, boolean mayBeEmpty) {
            if (pattern.isEmpty() && mayBeEmpty) {
                return;
            }
            try {
                DestinationRegistry.validateName(pattern.replace(QUEUE_PLACEHOLDER, "q"));
            } catch (BrokerException e) {
                throw new IllegalArgumentException(key + "=" + pattern + " is not a queue name (with " + QUEUE_PLACEHOLDER
                        + " for the source queue): use 1 to 200 of A-Z a-z 0-9 . _ -");
            }
        }

        /** The dead-letter queue of {@code queue}. */
        String deadLetterQueueOf(String queue) {
            return deadLetterQueue.replace(QUEUE_PLACEHOLDER, queue);
        }

        /** The expiry queue of {@code queue}, or null when expired records are dropped. */
        String expiryQueueOf(String queue) {
            return expiryQueue.isEmpty() ? null : expiryQueue.replace(QUEUE_PLACEHOLDER, queue);
        }
    }

    /** The defaults: nothing to configure on a laptop. */
    public static BrokerConfig defaults() {
        return from(new Properties());
    }

    /** Reads settings from properties, with the defaults for anything missing. */
    public static BrokerConfig from(Properties properties) {
        Map<String, String> values = new HashMap<>();
        Map<String, String> logOverrides = new HashMap<>();
        for (String key : properties.stringPropertyNames()) {
            String value = properties.getProperty(key).trim();
            if (key.startsWith(LOG_PREFIX)) {
                logOverrides.put(key.substring(LOG_PREFIX.length()), value);
            } else if (KEYS.contains(key) || ClusterSettings.KEYS.contains(key)) {
                values.put(key, value);
            } else {
                throw new IllegalArgumentException("unknown broker setting '" + key + "'; known settings: "
                        + String.join(", ", KEYS.stream().sorted().toList()) + ", "
                        + String.join(", ", ClusterSettings.KEYS.stream().sorted().toList()) + ", and log.<setting>");
            }
        }
        Map<String, PasswordHash> users = users(values.get(AUTH_USERS), values.get(AUTH_USERS_FILE));
        String host = values.getOrDefault(HOST, "127.0.0.1");
        int port = parseInt(PORT, values.getOrDefault(PORT, Integer.toString(DEFAULT_PORT)));
        Path dataDir = Path.of(values.getOrDefault(DATA_DIR, "data"));
        int brokerId = parseInt(BROKER_ID, values.getOrDefault(BROKER_ID, "0"));
        return new BrokerConfig(host, port, dataDir, brokerId,
                parseBoolean(AUTO_CREATE, values.getOrDefault(AUTO_CREATE, "true")),
                parseInt(DEFAULT_PARTITIONS, values.getOrDefault(DEFAULT_PARTITIONS, "1")),
                parseInt(MAX_FRAME_BYTES, values.getOrDefault(MAX_FRAME_BYTES, Integer.toString(65 << 20))),
                parseLong(IDLE_TIMEOUT_MS, values.getOrDefault(IDLE_TIMEOUT_MS, "60000")),
                LogConfig.DEFAULT.with(logOverrides),
                users,
                values.containsKey(AUTH_ANONYMOUS) ? parseBoolean(AUTH_ANONYMOUS, values.get(AUTH_ANONYMOUS))
                        : !values.containsKey(AUTH_USERS) && !values.containsKey(AUTH_USERS_FILE),
                admins(values.get(AUTH_ADMINS), users),
                new DeadLetterSettings(parseInt(MAX_DELIVERY_ATTEMPTS, values.getOrDefault(MAX_DELIVERY_ATTEMPTS, "10")),
                        values.getOrDefault(DEAD_LETTER_QUEUE, DeadLetterSettings.DEFAULT_DEAD_LETTER_QUEUE),
                        values.getOrDefault(EXPIRY_QUEUE, "")),
                parseLong(ACQUISITION_LOCK_MS, values.getOrDefault(ACQUISITION_LOCK_MS, "0")),
                parseLong(RESUME_SHARED_MS, values.getOrDefault(RESUME_SHARED_MS, "120000")),
                parseInt(METRICS_PORT, values.getOrDefault(METRICS_PORT, "-1")),
                parseBoolean(METRICS_JMX, values.getOrDefault(METRICS_JMX, "true")),
                ClusterSettings.from(values, host, port, brokerId, dataDir));
    }

    /** The users of {@code auth.users} and of the file {@code auth.users.file}; each name once. */
    private static Map<String, PasswordHash> users(String inline, String file) {
        Map<String, PasswordHash> users = new TreeMap<>();
        if (inline != null) {
            for (String entry : inline.split(",", -1)) {
                int colon = entry.indexOf(':');
                String name = colon < 0 ? "" : entry.substring(0, colon).trim();
                if (name.isEmpty()) {
                    throw new IllegalArgumentException(AUTH_USERS + " must list name:password pairs separated by"
                            + " commas; an entry has no name or no ':'");
                }
                String password = entry.substring(colon + 1).trim();
                if (password.isEmpty()) {
                    throw new IllegalArgumentException(AUTH_USERS + ": user '" + name + "' has an empty password");
                }
                addUser(users, AUTH_USERS, name, PasswordHash.plain(password));
            }
        }
        if (file != null) {
            Properties entries = new Properties();
            try (Reader reader = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
                entries.load(reader);
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException(AUTH_USERS_FILE + "=" + file + " cannot be read: " + e, e);
            }
            for (String name : entries.stringPropertyNames()) {
                PasswordHash password;
                try {
                    password = PasswordHash.parse(entries.getProperty(name).trim());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(AUTH_USERS_FILE + "=" + file + ", user '" + name + "': "
                            + e.getMessage(), e);
                }
                addUser(users, AUTH_USERS_FILE, name.trim(), password);
            }
        }
        return users;
    }

    /** The names of {@code auth.admins}; every user when the key is absent, so that no user loses a right. */
    private static Set<String> admins(String list, Map<String, PasswordHash> users) {
        if (list == null) {
            return users.keySet();
        }
        if (users.isEmpty()) {
            throw new IllegalArgumentException(AUTH_ADMINS + "=" + list + " is set but no users are configured ("
                    + AUTH_USERS + " or " + AUTH_USERS_FILE + "): without users every connection may change the"
                    + " broker");
        }
        Set<String> admins = new TreeSet<>();
        for (String name : list.split(",", -1)) {
            if (name.trim().isEmpty()) {
                throw new IllegalArgumentException(AUTH_ADMINS + "=" + list + " must list user names separated by"
                        + " commas; an entry is empty");
            }
            admins.add(name.trim());
        }
        return admins;
    }

    private static void addUser(Map<String, PasswordHash> users, String key, String name, PasswordHash password) {
        if (name.isEmpty() || name.length() > 1000) {
            throw new IllegalArgumentException(key + ": user names must be 1 to 1000 characters long");
        }
        if (users.putIfAbsent(name, password) != null) {
            throw new IllegalArgumentException(key + ": user '" + name + "' is configured twice");
        }
    }

    private static int parseInt(String key, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "=" + value + " is not a whole number", e);
        }
    }

    private static long parseLong(String key, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "=" + value + " is not a whole number", e);
        }
    }

    private static boolean parseBoolean(String key, String value) {
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new IllegalArgumentException(key + "=" + value + " is not true or false");
    }
}
