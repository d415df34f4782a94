package io.strand.jms.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strand.jms.message.TrustedPackages;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The client id option in both spellings and the trusted packages of ObjectMessage bodies. */
class ClientOptionsTest {
    private static ClientOptions options(String url) {
        return ClientOptions.from(ConnectionUrl.parse(url));
    }

    @Test
    void shouldTakeTheClientIdInEitherSpelling() {
        assertThat(options("strand://a:1?clientID=cts").clientId()).isEqualTo("cts");
        assertThat(options("strand://a:1?clientId=cts").clientId()).isEqualTo("cts");
        assertThat(options("vm://tck?clientID=cts&dataDir=x").brokerOptions()).isEqualTo(Map.of("dataDir", "x"));
    }

    @Test
    void shouldRefuseBothSpellingsAtOnceOrAnEmptyId() {
        assertThatThrownBy(() -> options("strand://a:1?clientID=a&clientId=b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("clientID and clientId are the same option");
        assertThatThrownBy(() -> options("strand://a:1?clientID="))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("option clientID must not be empty");
    }

    @Test
    void shouldTrustTheJdkUnlessTold() {
        assertThat(options("strand://a:1").trustedPackages()).isSameAs(TrustedPackages.DEFAULT);
        final TrustedPackages trusted = options("strand://a:1?objectMessage.trustedPackages=java.,com.example.")
                .trustedPackages();
        assertThat(trusted.trusts("com.example.Order")).isTrue();
        assertThat(trusted.toString()).isEqualTo("java.,com.example.");
        assertThat(options("vm://x?objectMessage.trustedPackages=*").brokerOptions()).isEmpty();
    }

    @Test
    void shouldNameTheOptionOfABadPackageList() {
        assertThatThrownBy(() -> options("strand://a:1?objectMessage.trustedPackages=java.,,x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("option objectMessage.trustedPackages in strand://a:1")
                .hasMessageContaining("is not a package name");
    }
}
