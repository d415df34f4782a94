package io.strand.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.strand.broker.BrokerConfig;
import io.strand.broker.StrandBroker;
import jakarta.jms.Connection;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.JMSSecurityRuntimeException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Properties;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Users and passwords end to end, over TCP and {@code vm://}: the broker knows {@code j2ee} (plain, from
 * {@code auth.users}) and {@code alice} (a salted PBKDF2 hash in a users file written here from the
 * documented format), and refuses anonymous connections unless told otherwise. A refusal is a
 * {@link JMSSecurityException}, or a {@link JMSSecurityRuntimeException} from {@code createContext}.
 */
class AuthenticationTest {
    private static final long WAIT_MS = 10_000;

    @org.junit.jupiter.api.io.TempDir
    static Path dir;
    private static Path usersFile;
    private static StrandBroker strict;
    private static StrandBroker lenient;

    @BeforeAll
    static void startBrokers() throws Exception {
        usersFile = dir.resolve("users.properties");
        Files.writeString(usersFile, "# written in the documented format, without Strand's own code\n"
                + "alice = " + pbkdf2Entry("secret", 20_000) + "\n", StandardCharsets.UTF_8);
        strict = StrandBroker.start(BrokerConfig.from(settings("tcp-strict", false)), null);
        lenient = StrandBroker.start(BrokerConfig.from(settings("tcp-lenient", true)), null);
    }

    @AfterAll
    static void stopBrokers() {
        strict.close();
        lenient.close();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(dir.resolve("vm-strict").resolve(".clean-shutdown")).exists();
            assertThat(dir.resolve("vm-lenient").resolve(".clean-shutdown")).exists();
        });
    }

    /** {@code pbkdf2-sha256:<iterations>:<salt>:<hash>}, with PBKDF2-HMAC-SHA256 and a 32-byte hash. */
    private static String pbkdf2Entry(String password, int iterations) throws Exception {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        byte[] hash = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
        return "pbkdf2-sha256:" + iterations + ":" + Base64.getEncoder().encodeToString(salt) + ":"
                + Base64.getEncoder().encodeToString(hash);
    }

    private static Properties settings(String dataDir, boolean anonymousAllowed) {
        Properties properties = new Properties();
        properties.setProperty(BrokerConfig.PORT, "0");
        properties.setProperty(BrokerConfig.DATA_DIR, dir.resolve(dataDir).toString());
        properties.setProperty(BrokerConfig.AUTH_USERS, "j2ee:j2ee");
        properties.setProperty(BrokerConfig.AUTH_USERS_FILE, usersFile.toString());
        properties.setProperty(BrokerConfig.AUTH_ANONYMOUS, Boolean.toString(anonymousAllowed));
        return properties;
    }

    /** A factory for the broker that refuses anonymous connections. */
    private static StrandConnectionFactory strict(String transport) {
        return transport.equals("tcp") ? new StrandConnectionFactory("strand://127.0.0.1:" + strict.address().getPort())
                : new StrandConnectionFactory("vm://auth-strict?dataDir=" + dir.resolve("vm-strict")
                        + "&auth.users=j2ee:j2ee&auth.users.file=" + usersFile);
    }

    /** A factory for the broker that also accepts anonymous connections. */
    private static StrandConnectionFactory lenient(String transport) {
        return transport.equals("tcp") ? new StrandConnectionFactory("strand://127.0.0.1:" + lenient.address().getPort())
                : new StrandConnectionFactory("vm://auth-lenient?dataDir=" + dir.resolve("vm-lenient")
                        + "&auth.users=j2ee:j2ee&auth.users.file=" + usersFile + "&auth.anonymous=true");
    }

    private static void assertMessagesFlow(Connection connection) throws Exception {
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue queue = session.createQueue("secured");
        MessageConsumer consumer = session.createConsumer(queue);
        connection.start();
        session.createProducer(queue).send(session.createTextMessage("let in"));
        assertThat(((TextMessage) consumer.receive(WAIT_MS)).getText()).isEqualTo("let in");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void validUsersConnectAndMessagesFlow(String transport) throws Exception {
        StrandConnectionFactory factory = strict(transport);
        try (Connection connection = factory.createConnection("j2ee", "j2ee")) {
            assertMessagesFlow(connection);
        }
        try (Connection connection = factory.createQueueConnection("alice", "secret")) {
            assertMessagesFlow(connection);
        }
        try (Connection connection = factory.createTopicConnection("j2ee", "j2ee")) {
            assertThat(connection.getMetaData().getJMSProviderName()).isNotEmpty();
        }
        try (JMSContext context = factory.createContext("alice", "secret", JMSContext.CLIENT_ACKNOWLEDGE)) {
            Queue queue = context.createQueue("secured-context");
            context.createProducer().send(queue, "context let in");
            assertThat(context.createConsumer(queue).receiveBody(String.class, WAIT_MS)).isEqualTo("context let in");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void aWrongPasswordIsASecurityException(String transport) {
        StrandConnectionFactory factory = strict(transport);
        assertThatThrownBy(() -> factory.createConnection("j2ee", "not-j2ee")).isInstanceOf(JMSSecurityException.class)
                .hasMessageContaining(" as user 'j2ee': user name or password not accepted")
                .hasMessageNotContaining("not-j2ee")
                .satisfies(e -> assertThat(((JMSSecurityException) e).getErrorCode()).isEqualTo("AUTHENTICATION_FAILED"));
        assertThatThrownBy(() -> factory.createQueueConnection("alice", "Secret")).isInstanceOf(JMSSecurityException.class);
        assertThatThrownBy(() -> factory.createTopicConnection("alice", "")).isInstanceOf(JMSSecurityException.class);
        assertThatThrownBy(() -> factory.createContext("j2ee", "not-j2ee"))
                .isInstanceOf(JMSSecurityRuntimeException.class).hasMessageContaining("j2ee");
        assertThatThrownBy(() -> factory.createContext("alice", "Secret", JMSContext.DUPS_OK_ACKNOWLEDGE))
                .isInstanceOf(JMSSecurityRuntimeException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void anUnknownUserIsASecurityException(String transport) {
        StrandConnectionFactory factory = strict(transport);
        assertThatThrownBy(() -> factory.createConnection("mallory", "j2ee")).isInstanceOf(JMSSecurityException.class)
                .hasMessageContaining("mallory");
        assertThatThrownBy(() -> factory.createContext("mallory", "secret"))
                .isInstanceOf(JMSSecurityRuntimeException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void anonymousConnectionsAreRefusedWhenTheBrokerSaysSo(String transport) {
        StrandConnectionFactory factory = strict(transport);
        assertThatThrownBy(factory::createConnection).isInstanceOf(JMSSecurityException.class)
                .hasMessageContaining("anonymous");
        assertThatThrownBy(() -> factory.createConnection(null, null)).isInstanceOf(JMSSecurityException.class);
        assertThatThrownBy(factory::createQueueConnection).isInstanceOf(JMSSecurityException.class);
        assertThatThrownBy(factory::createContext).isInstanceOf(JMSSecurityRuntimeException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void anonymousConnectionsAreAcceptedWhenAllowedButNamedUsersAreStillChecked(String transport) throws Exception {
        StrandConnectionFactory factory = lenient(transport);
        try (Connection connection = factory.createConnection()) {
            assertMessagesFlow(connection);
        }
        try (JMSContext context = factory.createContext()) {
            assertThat(context.getMetaData().getJMSVersion()).isEqualTo("3.1");
        }
        try (Connection connection = factory.createConnection("j2ee", "j2ee")) {
            assertMessagesFlow(connection);
        }
        assertThatThrownBy(() -> factory.createConnection("j2ee", "wrong")).isInstanceOf(JMSSecurityException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void anAdministeredClientIdGoesWithTheCredentials(String transport) throws Exception {
        StrandConnectionFactory factory = strict(transport);
        StrandConnectionFactory withId = new StrandConnectionFactory(factory.getUrl()
                + (factory.getUrl().contains("?") ? "&" : "?") + "clientId=cts-" + transport);
        try (Connection connection = withId.createConnection("j2ee", "j2ee")) {
            assertThat(connection.getClientID()).isEqualTo("cts-" + transport);
        }
        assertThatThrownBy(() -> withId.createConnection("j2ee", "wrong")).isInstanceOf(JMSSecurityException.class);
    }
}
