package io.strand.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.strand.protocol.ApiKey;
import io.strand.protocol.DestinationType;
import io.strand.protocol.Destinations;
import io.strand.protocol.ErrorCode;
import io.strand.protocol.Handshake;
import io.strand.protocol.ResponseStatus;
import io.strand.protocol.StatusResponse;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Authentication seen from a raw socket: a refused handshake is answered with AUTHENTICATION_FAILED,
 * logged, and its connection closed, while the broker goes on serving everyone else.
 */
class AuthenticationProtocolTest {
    @TempDir
    Path dataDir;
    private StrandBroker broker;
    private PrintStream originalErr;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeEach
    void captureLog() {
        // The broker logs through slf4j-simple to System.err; a tee keeps the output visible too.
        originalErr = System.err;
        OutputStream tee = new OutputStream() {
            @Override
            public void write(int b) {
                originalErr.write(b);
                synchronized (log) {
                    log.write(b);
                }
            }
        };
        System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        System.setErr(originalErr);
        if (broker != null) {
            broker.close();
        }
    }

    private String logged() {
        synchronized (log) {
            return log.toString(StandardCharsets.UTF_8);
        }
    }

    private void start(String... keyValues) {
        Properties properties = new Properties();
        properties.setProperty(BrokerConfig.PORT, "0");
        properties.setProperty(BrokerConfig.DATA_DIR, dataDir.toString());
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.setProperty(keyValues[i], keyValues[i + 1]);
        }
        broker = StrandBroker.start(BrokerConfig.from(properties), null);
    }

    private static Handshake.Response handshake(RawClient client, String user, String password) throws IOException {
        Handshake.Request hello = new Handshake.Request(Handshake.MIN_VERSION, Handshake.MAX_VERSION, null, "test",
                user, password);
        return Handshake.Response.readFrom(client.call(ApiKey.HANDSHAKE, hello::writeTo).body());
    }

    /** A request only a handshaken connection may make: proof that the connection is being served. */
    private static ResponseStatus metadata(RawClient client) throws IOException {
        Destinations.MetadataRequest request = new Destinations.MetadataRequest(DestinationType.QUEUE, "orders", true);
        return Destinations.MetadataResponse.readFrom(client.call(ApiKey.METADATA, request::writeTo).body()).status();
    }

    @Test
    void shouldRefuseLogAndCloseAWrongPasswordAndKeepServingOthers() throws IOException {
        start(BrokerConfig.AUTH_USERS, "j2ee:j2ee");
        try (RawClient good = new RawClient(broker.address()); RawClient bad = new RawClient(broker.address())) {
            assertThat(handshake(good, "j2ee", "j2ee").status().isOk()).isTrue();

            ResponseStatus refused = handshake(bad, "j2ee", "guess").status();
            assertThat(refused.error()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
            assertThat(refused.message()).isEqualTo("user name or password not accepted");
            assertThat(bad.closedByBroker()).isTrue();
            assertThat(logged()).contains("refused the connection from").contains("wrong password for user 'j2ee'")
                    .doesNotContain("guess");

            assertThat(metadata(good).isOk()).isTrue();
            try (RawClient later = new RawClient(broker.address())) {
                assertThat(handshake(later, "j2ee", "j2ee").status().isOk()).isTrue();
                assertThat(metadata(later).isOk()).isTrue();
            }
        }
    }

    @Test
    void shouldRefuseUnknownUsersAndAnonymousConnectionsWhenUsersAreConfigured() throws IOException {
        start(BrokerConfig.AUTH_USERS, "j2ee:j2ee");
        try (RawClient unknown = new RawClient(broker.address()); RawClient anonymous = new RawClient(broker.address())) {
            assertThat(handshake(unknown, "mallory", "j2ee").status().error()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
            assertThat(unknown.closedByBroker()).isTrue();
            ResponseStatus noUser = anonymous.handshake(null).status();
            assertThat(noUser.error()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
            assertThat(noUser.message()).contains("no anonymous connections");
            assertThat(anonymous.closedByBroker()).isTrue();
        }
        assertThat(logged()).contains("unknown user 'mallory'").contains("auth.anonymous is false");
    }

    @Test
    void shouldCloseARefusedConnectionEvenIfItGoesOnSendingRequests() throws IOException {
        start(BrokerConfig.AUTH_USERS, "j2ee:j2ee");
        try (RawClient pushy = new RawClient(broker.address())) {
            Handshake.Request hello = new Handshake.Request(Handshake.MIN_VERSION, Handshake.MAX_VERSION, null, "test",
                    "j2ee", "guess");
            pushy.send(ApiKey.HANDSHAKE, hello::writeTo);
            Destinations.MetadataRequest request = new Destinations.MetadataRequest(DestinationType.QUEUE, "x", true);
            pushy.send(ApiKey.METADATA, request::writeTo);
            assertThat(Handshake.Response.readFrom(pushy.read().body()).status().error())
                    .isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
            // The request may still be read before the close; if so, it is refused, never served.
            while (true) {
                RawClient.Frame next;
                try {
                    next = pushy.read();
                } catch (EOFException | SocketException closed) { // a reset, if the request came after the close
                    break;
                }
                assertThat(StatusResponse.readFrom(next.body()).status().error()).isEqualTo(ErrorCode.HANDSHAKE_REQUIRED);
            }
        }
    }

    @Test
    void shouldCheckSaltedHashesFromAUsersFile() throws IOException {
        Path users = dataDir.resolve("users.properties");
        Files.writeString(users, "alice = " + PasswordHash.pbkdf2("secret", PasswordHash.MIN_ITERATIONS).encoded() + "\n");
        start(BrokerConfig.AUTH_USERS_FILE, users.toString(), BrokerConfig.AUTH_ANONYMOUS, "true");
        try (RawClient alice = new RawClient(broker.address()); RawClient wrong = new RawClient(broker.address());
             RawClient anonymous = new RawClient(broker.address())) {
            assertThat(handshake(alice, "alice", "secret").status().isOk()).isTrue();
            assertThat(handshake(wrong, "alice", "Secret").status().error()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
            assertThat(wrong.closedByBroker()).isTrue();
            assertThat(anonymous.handshake(null).status().isOk()).as("auth.anonymous=true").isTrue();
            assertThat(metadata(alice).isOk()).isTrue();
            assertThat(metadata(anonymous).isOk()).isTrue();
        }
    }

    @Test
    void shouldAuthenticateOnlyTheFirstHandshakeOfAConnection() throws IOException {
        start(BrokerConfig.AUTH_USERS, "j2ee:j2ee");
        try (RawClient client = new RawClient(broker.address())) {
            assertThat(handshake(client, "j2ee", "j2ee").status().isOk()).isTrue();
            // setClientID's later handshake carries no credentials and changes nothing about the user
            assertThat(client.handshake("cts").status().isOk()).isTrue();
            RawClient.Frame answer = client.call(ApiKey.HEARTBEAT, out -> { });
            assertThat(StatusResponse.readFrom(answer.body()).status().isOk()).isTrue();
        }
    }

    @Test
    void shouldAcceptAnyCredentialsWhenNoUsersAreConfigured() throws IOException {
        start();
        try (RawClient named = new RawClient(broker.address()); RawClient anonymous = new RawClient(broker.address())) {
            assertThat(handshake(named, "whoever", "whatever").status().isOk()).isTrue();
            assertThat(anonymous.handshake(null).status().isOk()).isTrue();
        }
    }
}
