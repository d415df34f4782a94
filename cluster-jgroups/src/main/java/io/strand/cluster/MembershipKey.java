package io.strand.cluster;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES key that encrypts a cluster's membership traffic (JGroups' SYM_ENCRYPT), derived from a passphrase every
 * broker of the cluster is given, so that no keystore file has to be made and shipped. The cluster id salts the
 * derivation: one passphrase gives different clusters different keys.
 */
final class MembershipKey {
    private static final int ITERATIONS = 100_000;
    private static final int KEY_BITS = 256;

    private MembershipKey() {
    }

    static SecretKey derive(String secret, String clusterId) {
        if (secret == null || secret.length() < ClusterNodeConfig.MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("cluster.secret must be at least "
                    + ClusterNodeConfig.MIN_SECRET_LENGTH + " characters long");
        }
        PBEKeySpec spec = new PBEKeySpec(secret.toCharArray(),
                ("strand-cluster:" + clusterId).getBytes(StandardCharsets.UTF_8), ITERATIONS, KEY_BITS);
        try {
            byte[] key = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            return new SecretKeySpec(key, "AES");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot derive the cluster's membership key: " + e, e);
        } finally {
            spec.clearPassword();
        }
    }
}
