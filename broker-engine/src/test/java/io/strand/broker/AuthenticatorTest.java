package io.strand.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who gets in: the authenticator's rules, the stored password formats and the auth.* settings. */
class AuthenticatorTest {
    private static final int FAST_ITERATIONS = PasswordHash.MIN_ITERATIONS;

    @TempDir
    Path dir;

    private static Authenticator.Result check(Authenticator authenticator, String user, String password) {
        return authenticator.authenticate(user, password).join();
    }

    @Test
    void shouldLetEveryoneInWhenNoUsersAreConfigured() {
        Authenticator open = new Authenticator(Map.of(), true);
        assertThat(check(open, null, null).accepted()).isTrue();
        assertThat(check(open, "anyone", "anything").accepted()).isTrue();
    }

    @Test
    void shouldCheckUsersAndPasswords() {
        Authenticator authenticator = new Authenticator(Map.of("j2ee", PasswordHash.plain("j2ee"),
                "alice", PasswordHash.pbkdf2("secret", FAST_ITERATIONS)), false);
        assertThat(check(authenticator, "j2ee", "j2ee").accepted()).isTrue();
        assertThat(check(authenticator, "alice", "secret").accepted()).isTrue();

        Authenticator.Result wrong = check(authenticator, "alice", "Secret");
        assertThat(wrong.accepted()).isFalse();
        assertThat(wrong.reasonForLog()).isEqualTo("wrong password for user 'alice'");
        Authenticator.Result unknown = check(authenticator, "mallory", "secret");
        assertThat(unknown.reasonForLog()).isEqualTo("unknown user 'mallory'");
        assertThat(unknown.refusal()).as("the client is not told which part was wrong")
                .isEqualTo("user name or password not accepted");
        assertThat(wrong.refusal()).isEqualTo(unknown.refusal());
        assertThat(check(authenticator, "j2ee", null).reasonForLog()).isEqualTo("no password given for user 'j2ee'");
    }

    @Test
    void shouldAdmitAnonymousConnectionsOnlyWhenAllowed() {
        Map<String, PasswordHash> users = Map.of("j2ee", PasswordHash.plain("j2ee"));
        Authenticator.Result refused = check(new Authenticator(users, false), null, null);
        assertThat(refused.accepted()).isFalse();
        assertThat(refused.refusal()).contains("no anonymous connections");
        assertThat(check(new Authenticator(users, false), "", "x").accepted()).isFalse();

        Authenticator allowing = new Authenticator(users, true);
        assertThat(check(allowing, null, null).accepted()).isTrue();
        assertThat(check(allowing, "j2ee", "wrong").accepted()).as("naming a user means being that user").isFalse();
    }

    @Test
    void shouldKeepLogReasonsOnOneLine() {
        Authenticator authenticator = new Authenticator(Map.of("j2ee", PasswordHash.plain("j2ee")), false);
        assertThat(check(authenticator, "evil\nFAKE LOG LINE", "x").reasonForLog()).doesNotContain("\n");
    }

    @Test
    void shouldReadAndCheckEachStoredPasswordFormat() {
        PasswordHash hashed = PasswordHash.pbkdf2("pa:ss word", FAST_ITERATIONS);
        PasswordHash reread = PasswordHash.parse(hashed.encoded());
        assertThat(reread.matches("pa:ss word")).isTrue();
        assertThat(reread.matches("pa:ss wor")).isFalse();
        assertThat(reread.isExpensive()).isTrue();
        assertThat(reread.toString()).doesNotContain(hashed.encoded().substring(hashed.encoded().lastIndexOf(':')));

        PasswordHash plain = PasswordHash.parse("plain:j2ee");
        assertThat(plain.matches("j2ee")).isTrue();
        assertThat(plain.matches("j2ee ")).isFalse();
        assertThat(plain.toString()).doesNotContain("j2ee");
        assertThat(PasswordHash.unmatchable(hashed).matches("pa:ss word")).isFalse();
    }

    @Test
    void shouldRefuseMalformedStoredPasswordsWithoutQuotingThem() {
        String salt = "c2FsdHNhbHRzYWx0";
        String hash32 = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        Map<String, String> bad = Map.of(
                "s3cret", "must be written pbkdf2-sha256",
                "plain:", "the password is empty",
                "pbkdf2-sha256:10000:" + salt, "has 4 parts",
                "pbkdf2-sha256:many:" + salt + ":" + hash32, "iterations of a pbkdf2-sha256 password are not a number",
                "pbkdf2-sha256:10:" + salt + ":" + hash32, "must be 10000 to",
                "pbkdf2-sha256:10000:***:" + hash32, "salt of a pbkdf2-sha256 password is not base64",
                "pbkdf2-sha256:10000:c2FsdA==:" + hash32, "at least 8 bytes",
                "pbkdf2-sha256:10000:" + salt + ":c2hvcnQ=", "must have 32 bytes");
        bad.forEach((entry, message) -> assertThatThrownBy(() -> PasswordHash.parse(entry)).as(entry)
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret")));
    }

    private static BrokerConfig config(String... keyValues) {
        Properties properties = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return BrokerConfig.from(properties);
    }

    @Test
    void shouldReadUsersFromTheSettingsAndAUsersFile() throws IOException {
        Path file = dir.resolve("users.properties");
        Files.writeString(file, "# name = password\nalice = " + PasswordHash.pbkdf2("secret", FAST_ITERATIONS).encoded()
                + "\nbob = plain:builder\n");
        BrokerConfig config = config(BrokerConfig.AUTH_USERS, "j2ee:j2ee, guest : guest pw ",
                BrokerConfig.AUTH_USERS_FILE, file.toString());
        assertThat(config.users()).containsOnlyKeys("j2ee", "guest", "alice", "bob");
        assertThat(config.users().get("guest").matches("guest pw")).isTrue();
        assertThat(config.users().get("alice").matches("secret")).isTrue();
        assertThat(config.anonymousAllowed()).as("users configured: anonymous refused unless allowed").isFalse();
        assertThat(config.toString()).doesNotContain("builder").doesNotContain("guest pw");

        assertThat(config(BrokerConfig.AUTH_USERS, "j2ee:j2ee", BrokerConfig.AUTH_ANONYMOUS, "true").anonymousAllowed())
                .isTrue();
        assertThat(BrokerConfig.defaults().users()).isEmpty();
        assertThat(BrokerConfig.defaults().anonymousAllowed()).isTrue();
    }

    @Test
    void shouldMakeOnlyTheNamedUsersAdminsAndEveryUserWhenNoneAreNamed() {
        BrokerConfig named = config(BrokerConfig.AUTH_USERS, "ops:1,viewer:2,auditor:3", BrokerConfig.AUTH_ADMINS,
                " ops ");
        assertThat(named.admins()).containsExactly("ops");
        assertThat(named.isAdmin("ops")).isTrue();
        assertThat(named.isAdmin("viewer")).isFalse();
        assertThat(named.isAdmin(null)).as("an anonymous connection").isFalse();

        BrokerConfig unnamed = config(BrokerConfig.AUTH_USERS, "ops:1,viewer:2");
        assertThat(unnamed.isAdmin("viewer")).as("as before auth.admins existed").isTrue();
        assertThat(unnamed.isAdmin(null)).isFalse();

        assertThat(BrokerConfig.defaults().isAdmin(null)).as("no users: authentication is off").isTrue();
    }

    @Test
    void shouldRefuseAdminsWhoAreNoUsers() {
        Map<String[], String> bad = Map.of(
                new String[] {BrokerConfig.AUTH_USERS, "ops:1", BrokerConfig.AUTH_ADMINS, "ops,root"},
                "auth.admins names 'root', who is not a user",
                new String[] {BrokerConfig.AUTH_USERS, "ops:1", BrokerConfig.AUTH_ADMINS, "ops,,"},
                "an entry is empty",
                new String[] {BrokerConfig.AUTH_ADMINS, "ops"}, "auth.admins=ops is set but no users are configured");
        bad.forEach((settings, message) -> assertThatThrownBy(() -> config(settings)).as(message)
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message));
    }

    @Test
    void shouldRefuseBadAuthenticationSettingsNamingTheKey() throws IOException {
        Path file = dir.resolve("users.properties");
        Files.writeString(file, "j2ee = plain:other\nbroken = nonsense\n");
        Path duplicate = dir.resolve("duplicate.properties");
        Files.writeString(duplicate, "j2ee = plain:other\n");
        Map<String[], String> bad = Map.of(
                new String[] {BrokerConfig.AUTH_ANONYMOUS, "false"}, "auth.anonymous=false but no users are configured",
                new String[] {BrokerConfig.AUTH_ANONYMOUS, "maybe"}, "auth.anonymous=maybe is not true or false",
                new String[] {BrokerConfig.AUTH_USERS, "j2ee"}, "auth.users must list name:password pairs",
                new String[] {BrokerConfig.AUTH_USERS, "j2ee:"}, "auth.users: user 'j2ee' has an empty password",
                new String[] {BrokerConfig.AUTH_USERS, "a:1,a:2"}, "auth.users: user 'a' is configured twice",
                new String[] {BrokerConfig.AUTH_USERS_FILE, dir.resolve("missing").toString()}, "cannot be read",
                new String[] {BrokerConfig.AUTH_USERS_FILE, file.toString()}, "user 'broken': the password must be",
                new String[] {BrokerConfig.AUTH_USERS, "j2ee:j2ee", BrokerConfig.AUTH_USERS_FILE, duplicate.toString()},
                "auth.users.file: user 'j2ee' is configured twice");
        bad.forEach((settings, message) -> assertThatThrownBy(() -> config(settings)).as(message)
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message));
    }

    @Test
    void shouldPrintAUsersFileEntryForAPasswordOnStandardInput() throws IOException {
        InputStream stdin = System.in;
        PrintStream stdout = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try {
            System.setIn(new ByteArrayInputStream("tck password\n".getBytes(StandardCharsets.UTF_8)));
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            PasswordHash.main(new String[] {Integer.toString(FAST_ITERATIONS)});
        } finally {
            System.setIn(stdin);
            System.setOut(stdout);
        }
        String entry = printed.toString(StandardCharsets.UTF_8).trim();
        assertThat(entry).startsWith("pbkdf2-sha256:" + FAST_ITERATIONS + ":");
        assertThat(PasswordHash.parse(entry).matches("tck password")).isTrue();
    }
}
