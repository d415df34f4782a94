package io.strand.broker;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * One user's stored password, as written in a users file ({@code auth.users.file}):
 *
 * <pre>
 * pbkdf2-sha256:&lt;iterations&gt;:&lt;salt, base64&gt;:&lt;hash, base64&gt;   salted PBKDF2-HMAC-SHA256 (recommended)
 * plain:&lt;password&gt;                                          the password itself (development and tests)
 * </pre>
 *
 * <p>{@link #matches} compares in constant time: the bytes compared are always a digest of fixed length,
 * so neither the content nor the length of a wrong guess shows in the time taken. A PBKDF2 check costs
 * its iterations on purpose (hundreds of milliseconds at the default), which is why the broker runs it
 * off its event loops. {@code java -cp strand-broker.jar io.strand.broker.PasswordHash} reads a password
 * from the console (or the first line of standard input) and prints the entry for it.
 *
 * <p>Immutable and thread-safe; {@link #toString} never shows a password or hash.
 */
public final class PasswordHash {
    static final String PBKDF2 = "pbkdf2-sha256";
    static final String PLAIN = "plain";
    /** OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256. */
    static final int DEFAULT_ITERATIONS = 600_000;
    static final int MIN_ITERATIONS = 10_000;
    static final int MAX_ITERATIONS = 100_000_000;
    private static final int SALT_BYTES = 16;
    private static final int MIN_SALT_BYTES = 8;
    private static final int HASH_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String scheme;
    private final int iterations;
    private final byte[] salt;
    /** PBKDF2: the derived key; plain: the SHA-256 of the password, so both compare as 32 bytes. */
    private final byte[] digest;

    private PasswordHash(String scheme, int iterations, byte[] salt, byte[] digest) {
        this.scheme = scheme;
        this.iterations = iterations;
        this.salt = salt;
        this.digest = digest;
    }

    /** A plain-text password, kept only as its SHA-256 so that it compares in constant time. */
    static PasswordHash plain(String password) {
        return new PasswordHash(PLAIN, 0, new byte[0], sha256(password));
    }

    /** A new salted PBKDF2 hash of {@code password}. */
    static PasswordHash pbkdf2(String password, int iterations) {
        checkIterations(iterations);
        final byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return new PasswordHash(PBKDF2, iterations, salt, derive(password, salt, iterations));
    }

    /**
     * A hash that no password matches and that costs as much to check as {@code like}: what an unknown
     * user's password is checked against, so that unknown users and wrong passwords take the same time.
     */
    static PasswordHash unmatchable(PasswordHash like) {
        final byte[] salt = new byte[Math.max(SALT_BYTES, like.salt.length)];
        final byte[] digest = new byte[HASH_BYTES];
        RANDOM.nextBytes(salt);
        RANDOM.nextBytes(digest);
        return new PasswordHash(like.scheme, like.iterations, like.scheme.equals(PLAIN) ? new byte[0] : salt, digest);
    }

    /**
     * @param entry a users-file value: {@code pbkdf2-sha256:...} or {@code plain:...}
     * @throws IllegalArgumentException saying what is wrong, never quoting the entry (it holds a secret)
     */
    static PasswordHash parse(String entry) {
        if (entry.startsWith(PLAIN + ":")) {
            if (entry.length() == PLAIN.length() + 1) {
                throw new IllegalArgumentException("the password is empty");
            }
            return plain(entry.substring(PLAIN.length() + 1));
        }
        if (!entry.startsWith(PBKDF2 + ":")) {
            throw new IllegalArgumentException("the password must be written " + PBKDF2
                    + ":<iterations>:<salt>:<hash> (see PasswordHash) or " + PLAIN + ":<password>");
        }
        final String[] parts = entry.split(":", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("a " + PBKDF2 + " password has 4 parts separated by ':', found "
                    + parts.length);
        }
        final int iterations;
        try {
            iterations = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the iterations of a " + PBKDF2 + " password are not a number");
        }
        checkIterations(iterations);
        final byte[] salt = base64(parts[2], "salt");
        final byte[] hash = base64(parts[3], "hash");
        if (salt.length < MIN_SALT_BYTES) {
            throw new IllegalArgumentException("the salt of a " + PBKDF2 + " password must have at least "
                    + MIN_SALT_BYTES + " bytes, found " + salt.length);
        }
        if (hash.length != HASH_BYTES) {
            throw new IllegalArgumentException("the hash of a " + PBKDF2 + " password must have " + HASH_BYTES
                    + " bytes, found " + hash.length);
        }
        return new PasswordHash(PBKDF2, iterations, salt, hash);
    }

    private static void checkIterations(int iterations) {
        if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("the iterations of a " + PBKDF2 + " password must be "
                    + MIN_ITERATIONS + " to " + MAX_ITERATIONS + ", found " + iterations);
        }
    }

    private static byte[] base64(String text, String part) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the " + part + " of a " + PBKDF2 + " password is not base64");
        }
    }

    /** Whether {@code password} is this one; takes the same time for every wrong guess. */
    boolean matches(String password) {
        final byte[] candidate = scheme.equals(PLAIN) ? sha256(password) : derive(password, salt, iterations);
        return MessageDigest.isEqual(candidate, digest);
    }

    /** Whether checking this hash costs real work (PBKDF2) rather than one SHA-256. */
    boolean isExpensive() {
        return scheme.equals(PBKDF2);
    }

    int iterations() {
        return iterations;
    }

    /** The users-file form of a PBKDF2 hash. */
    String encoded() {
        if (!scheme.equals(PBKDF2)) {
            throw new IllegalStateException("a plain password is not written back");
        }
        final Base64.Encoder b64 = Base64.getEncoder();
        return PBKDF2 + ":" + iterations + ":" + b64.encodeToString(salt) + ":" + b64.encodeToString(digest);
    }

    private static byte[] derive(String password, byte[] salt, int iterations) {
        final char[] chars = password.toCharArray();
        final PBEKeySpec spec = new PBEKeySpec(chars, salt, iterations, HASH_BYTES * 8);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot compute PBKDF2WithHmacSHA256", e);
        } finally {
            spec.clearPassword();
            Arrays.fill(chars, '\0');
        }
    }

    private static byte[] sha256(String password) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return scheme + (scheme.equals(PBKDF2) ? "(" + iterations + " iterations)" : "") + ":(hidden)";
    }

    /** Prints the users-file entry for a password read from the console, or from the first line of stdin. */
    public static void main(String[] args) throws IOException {
        final int iterations;
        try {
            iterations = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_ITERATIONS;
            checkIterations(iterations);
        } catch (IllegalArgumentException e) {
            System.err.println("PasswordHash: the argument must be the iteration count, " + MIN_ITERATIONS + " to "
                    + MAX_ITERATIONS);
            System.exit(2);
            return;
        }
        final Console console = System.console();
        final String password;
        if (console != null) {
            final char[] typed = console.readPassword("password: ");
            password = typed == null ? null : new String(typed);
        } else {
            password = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
        if (password == null || password.isEmpty()) {
            System.err.println("usage: java -cp strand-broker.jar io.strand.broker.PasswordHash [iterations]"
                    + " and type the password (or pipe it in on one line)");
            System.exit(2);
            return;
        }
        System.out.println(pbkdf2(password, iterations).encoded());
    }
}
