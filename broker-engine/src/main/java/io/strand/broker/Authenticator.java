package io.strand.broker;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decides whether a connection's handshake credentials let it in (BrokerConfig's {@code auth.*} keys).
 *
 * <ul>
 * <li>No users configured: everyone is accepted, with or without credentials (authentication is off).</li>
 * <li>No user name (null or empty): accepted only if anonymous connections are allowed.</li>
 * <li>A user name: accepted only if the user exists and the password matches, even where anonymous
 *     connections are allowed: a client that names a user asks to be that user.</li>
 * </ul>
 *
 * <p>Password checks compare in constant time ({@link PasswordHash#matches}), and an unknown user's
 * password is checked against a hash as costly as the real ones, so the time taken does not tell which
 * user names exist. The refusal sent to the client never says which part was wrong; the one for the log
 * does. Salted hashes are checked on a small pool of daemon threads, never on the caller's (the event
 * loop's) thread, since each check is slow on purpose; its threads end when idle, so nothing needs closing.
 *
 * <p>Immutable and thread-safe.
 */
final class Authenticator {
    private static final AtomicInteger THREADS = new AtomicInteger();

    /** The outcome: {@code refusal} is null when accepted; {@code reasonForLog} says why not, for operators. */
    record Result(String refusal, String reasonForLog) {
        static final Result ACCEPTED = new Result(null, null);

        boolean accepted() {
            return refusal == null;
        }
    }

    private final Map<String, PasswordHash> users;
    private final boolean anonymousAllowed;
    private final PasswordHash unknownUser;
    private final Executor hashing;

    Authenticator(Map<String, PasswordHash> users, boolean anonymousAllowed) {
        this.users = Map.copyOf(users);
        this.anonymousAllowed = anonymousAllowed;
        final PasswordHash costliest = this.users.values().stream()
                .max((a, b) -> Integer.compare(a.iterations(), b.iterations())).orElse(PasswordHash.plain("x"));
        this.unknownUser = PasswordHash.unmatchable(costliest);
        final int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() / 2));
        final ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "strand-auth-" + THREADS.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        this.hashing = pool;
    }

    /**
     * @param userName the handshake's user name; null or empty for an anonymous connection
     * @param password the handshake's password; null is no password
     * @return the outcome: at once when no password is to be checked or checking is cheap, later (on
     *         the hashing threads) when a salted hash is checked
     */
    CompletableFuture<Result> authenticate(String userName, String password) {
        if (users.isEmpty()) {
            return CompletableFuture.completedFuture(Result.ACCEPTED);
        }
        if (userName == null || userName.isEmpty()) {
            return CompletableFuture.completedFuture(anonymousAllowed ? Result.ACCEPTED
                    : new Result("this broker accepts no anonymous connections: give a user name and password",
                            "anonymous connection, and auth.anonymous is false"));
        }
        final PasswordHash known = users.get(userName);
        final PasswordHash expected = known != null ? known : unknownUser;
        if (!expected.isExpensive()) {
            return CompletableFuture.completedFuture(check(userName, password, known, expected));
        }
        return CompletableFuture.supplyAsync(() -> check(userName, password, known, expected), hashing);
    }

    private static Result check(String userName, String password, PasswordHash known, PasswordHash expected) {
        // The password is checked even for an unknown user, so that both refusals take the same time.
        final boolean matches = expected.matches(password == null ? "" : password) && password != null;
        if (known != null && matches) {
            return Result.ACCEPTED;
        }
        final String refusal = "user name or password not accepted";
        final String user = printable(userName);
        if (known == null) {
            return new Result(refusal, "unknown user '" + user + "'");
        }
        return new Result(refusal, password == null ? "no password given for user '" + user + "'"
                : "wrong password for user '" + user + "'");
    }

    /** A client-chosen name made safe for a log line: no control characters, no endless length. */
    private static String printable(String name) {
        final StringBuilder b = new StringBuilder(Math.min(name.length(), 100));
        for (int i = 0; i < name.length() && i < 100; i++) {
            final char c = name.charAt(i);
            b.append(Character.isISOControl(c) ? '?' : c);
        }
        return name.length() > 100 ? b.append("...").toString() : b.toString();
    }
}
