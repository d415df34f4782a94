package io.strand.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Broker settings: defaults that need no configuration, and a refusal naming the setting for every bad value. */
class BrokerConfigTest {
    private static BrokerConfig with(String key, String value) {
        Properties properties = new Properties();
        properties.setProperty(key, value);
        return BrokerConfig.from(properties);
    }

    @Test
    void theDefaultsNeedNothing() {
        BrokerConfig config = BrokerConfig.defaults();
        assertThat(config.port()).isEqualTo(BrokerConfig.DEFAULT_PORT);
        assertThat(config.acquisitionLockMs()).as("locks last as long as the consumer").isZero();
        assertThat(config.deadLetters().maxDeliveryAttempts()).isEqualTo(10);
        assertThat(config.anonymousAllowed()).isTrue();
        assertThat(config.resumeSharedMs()).as("a non-durable shared subscription waits two minutes").isEqualTo(120_000);
    }

    @Test
    void anAcquisitionLockIsRead() {
        assertThat(with("acquisition.lock.ms", "30000").acquisitionLockMs()).isEqualTo(30_000);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "acquisition.lock.ms | 50 | acquisition.lock.ms=50 must be 0 (no limit) or 100 ms to 7 days",
            "acquisition.lock.ms | -1 | acquisition.lock.ms=-1 must be 0",
            "acquisition.lock.ms | soon | acquisition.lock.ms=soon is not a whole number",
            "shared.subscription.resume.ms | -5 | shared.subscription.resume.ms=-5 must be 0",
            "shared.subscription.resume.ms | 90000000 | shared.subscription.resume.ms=90000000 must be 0 (a subscription"
                    + " ends with its last consumer, whatever ended it) to 1 day",
            "max.delivery.attempts | 0 | max.delivery.attempts=0 must be 1 to 1000000",
            "dead.letter.queue | dead/letters | dead.letter.queue=dead/letters is not a queue name",
            "port | 70000 | port=70000 is not a TCP port",
            "default.partitions | 0 | default.partitions=0 must be 1 to 10000",
            "auto.create.destinations | yes | auto.create.destinations=yes is not true or false",
            "connection.idle.timeout.ms | 10 | connection.idle.timeout.ms=10 must be at least 1000",
            "auth.anonymous | false | auth.anonymous=false but no users are configured",
            "queue.lock | 1 | unknown broker setting 'queue.lock'",
    })
    void aBadValueIsRefusedWithItsName(String key, String value, String message) {
        assertThatThrownBy(() -> with(key, value)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    /** A broker of a three-broker cluster with users, plus {@code extra} (key, value pairs). */
    private static BrokerConfig clusterWithUsers(String... extra) {
        Properties properties = new Properties();
        properties.setProperty("broker.id", "1");
        properties.setProperty("cluster.id", "c");
        properties.setProperty("cluster.peers", "127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003");
        properties.setProperty("auth.users", "ops:secret,viewer:look");
        properties.setProperty("auth.admins", "ops");
        for (int i = 0; i < extra.length; i += 2) {
            properties.setProperty(extra[i], extra[i + 1]);
        }
        return BrokerConfig.from(properties);
    }

    @Test
    void brokersWithUsersReplicateOnlyWithAnAdminsLogin() {
        BrokerConfig config = clusterWithUsers("cluster.replication.user", "ops",
                "cluster.replication.password", "secret");
        assertThat(config.cluster().replicationLogin().userName()).isEqualTo("ops");
        assertThat(config.cluster().replicationLogin().toString()).doesNotContain("secret");

        assertThatThrownBy(BrokerConfigTest::clusterWithUsers).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cluster.replication.user and cluster.replication.password are required");
        assertThatThrownBy(() -> clusterWithUsers("cluster.replication.user", "ops"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("go together");
        assertThatThrownBy(() -> clusterWithUsers("cluster.replication.user", "viewer",
                "cluster.replication.password", "look")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cluster.replication.user='viewer' must be a user named by auth.admins");
        assertThatThrownBy(() -> clusterWithUsers("cluster.replication.user", "ops",
                "cluster.replication.password", "guess")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cluster.replication.password is not the password of user 'ops'")
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> with("cluster.replication.user", "ops")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cluster.replication.user is set but cluster.id is not");
        assertThatThrownBy(() -> clusterWithUsers("cluster.replication.user", "ops", "cluster.replication.password",
                "secret", "cluster.secret", "too short")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cluster.secret must be at least 16 characters");
        assertThat(clusterWithUsers("cluster.replication.user", "ops", "cluster.replication.password", "secret",
                "cluster.secret", "long enough to be kept").cluster().toString())
                .doesNotContain("long enough").doesNotContain("password=secret");
    }

    @Test
    void thePreferredActiveBrokerIsOneOfTheVoters() {
        BrokerConfig preferring = clusterWithUsers("cluster.replication.user", "ops", "cluster.replication.password",
                "secret", "cluster.preferred.active.broker", "2");
        assertThat(preferring.cluster().preferredActive()).isEqualTo(2);
        assertThat(clusterWithUsers("cluster.replication.user", "ops", "cluster.replication.password", "secret")
                .cluster().preferredActive()).as("none by default").isEqualTo(ClusterSettings.NO_PREFERENCE);

        assertThatThrownBy(() -> clusterWithUsers("cluster.replication.user", "ops", "cluster.replication.password",
                "secret", "cluster.preferred.active.broker", "7")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cluster.preferred.active.broker=7 is not one of cluster.voters=[1, 2, 3]");
        assertThatThrownBy(() -> clusterWithUsers("cluster.replication.user", "ops", "cluster.replication.password",
                "secret", "cluster.preferred.active.broker", "two")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cluster.preferred.active.broker='two' is not a whole number");
        assertThatThrownBy(() -> with("cluster.preferred.active.broker", "1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cluster.preferred.active.broker is set but cluster.id is not");
    }
}
