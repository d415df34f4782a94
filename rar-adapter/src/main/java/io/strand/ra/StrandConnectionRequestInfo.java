package io.strand.ra;

import jakarta.resource.spi.ConnectionRequestInfo;

/**
 * What an application asked for when it called {@code createConnection(user, password)}: the container keys
 * its pool on it and passes it back to {@link StrandManagedConnectionFactory#matchManagedConnections}.
 */
final class StrandConnectionRequestInfo implements ConnectionRequestInfo {
    private final Credentials credentials;

    StrandConnectionRequestInfo(Credentials credentials) {
        this.credentials = credentials;
    }

    Credentials credentials() {
        return credentials;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StrandConnectionRequestInfo info && info.credentials.equals(credentials);
    }

    @Override
    public int hashCode() {
        return credentials.hashCode();
    }

    @Override
    public String toString() {
        return "StrandConnectionRequestInfo[" + credentials + "]";
    }
}
