package io.strand.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strand.admin.AdminException;
import io.strand.admin.DescribeCluster;
import io.strand.broker.BrokerConfig;
import io.strand.protocol.ErrorCode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A console session against real brokers: open access without users, logins and roles with them. */
class ConsoleSessionTest {
    @TempDir
    Path dataDir;

    @Test
    void aBrokerWithoutUsersNeedsNoLoginAndEveryoneIsAnAdmin() {
        try (TestBroker broker = TestBroker.start(dataDir)) {
            ConsoleSession session = new ConsoleSession(new ConsoleSettings(broker.url()));
            assertThat(session.signedIn()).as("before anyone asked").isFalse();
            assertThat(session.access()).isEqualTo(new ConsoleSession.Access("open", null, true, broker.url()));
            assertThat(session.signedIn()).isTrue();
            assertThat(session.mayChange()).isTrue();
            assertThat(session.call(StrandAdminCalls::cluster).brokers()).hasSize(1);
            session.close();
        }
    }

    @Test
    void aBrokerWithUsersNeedsALoginAndKnowsItsAdmins() {
        try (TestBroker broker = TestBroker.start(dataDir, BrokerConfig.AUTH_USERS, "ops:secret,viewer:look",
                BrokerConfig.AUTH_ADMINS, "ops")) {
            ConsoleSession session = new ConsoleSession(new ConsoleSettings(broker.url()));
            assertThat(session.access()).isEqualTo(new ConsoleSession.Access("login", null, false, broker.url()));
            assertThat(session.signedIn()).isFalse();
            assertThatThrownBy(() -> session.call(StrandAdminCalls::cluster))
                    .isInstanceOf(LoginRequiredException.class).hasMessage("log in first");

            assertThatThrownBy(() -> session.login("ops", "wrong")).isInstanceOf(AdminException.class)
                    .satisfies(e -> assertThat(((AdminException) e).error()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED));
            assertThat(session.signedIn()).isFalse();

            assertThat(session.login("viewer", "look")).isEqualTo(
                    new ConsoleSession.Access("user", "viewer", false, broker.url()));
            assertThat(session.mayChange()).isFalse();
            assertThat(session.call(StrandAdminCalls::cluster).brokers()).hasSize(1);

            assertThat(session.login("ops", "secret")).isEqualTo(
                    new ConsoleSession.Access("user", "ops", true, broker.url()));
            assertThat(session.mayChange()).isTrue();

            session.logout();
            assertThat(session.signedIn()).isFalse();
            assertThat(session.access().mode()).isEqualTo("login");
        }
    }

    @Test
    void aLostConnectionAsksForANewLogin() {
        TestBroker broker = TestBroker.start(dataDir, BrokerConfig.AUTH_USERS, "ops:secret");
        ConsoleSession session = new ConsoleSession(new ConsoleSettings(broker.url()));
        session.login("ops", "secret");
        broker.close();
        assertThatThrownBy(() -> session.call(StrandAdminCalls::cluster)).isInstanceOf(AdminException.class);
        assertThat(session.signedIn()).isFalse();
        assertThatThrownBy(() -> session.call(StrandAdminCalls::cluster)).isInstanceOf(LoginRequiredException.class)
                .hasMessage("log in first");
    }

    @Test
    void anUnreachableBrokerIsAnErrorWithoutACode() {
        try (TestBroker broker = TestBroker.start(dataDir)) {
            broker.close();
            ConsoleSession session = new ConsoleSession(new ConsoleSettings(broker.url()));
            assertThatThrownBy(session::access).isInstanceOf(AdminException.class)
                    .satisfies(e -> assertThat(((AdminException) e).error()).isNull());
        }
    }

    /** Method references for the calls these tests make. */
    private static final class StrandAdminCalls {
        static DescribeCluster.Response cluster(io.strand.admin.StrandAdmin admin) {
            return admin.describeCluster();
        }
    }
}
