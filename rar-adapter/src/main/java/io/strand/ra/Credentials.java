package io.strand.ra;

import java.util.Objects;

/**
 * The user a physical connection logs in as: the part of a connection request that decides whether a pooled
 * connection can serve it. A null or empty user name is an anonymous connection.
 *
 * <p>The password takes part in equality, so a pooled connection is only handed out to a request with the same
 * password, but it never appears in {@link #toString()}.
 */
record Credentials(String userName, String password) {
    static final Credentials ANONYMOUS = new Credentials(null, null);

    Credentials {
        if (userName != null && userName.isEmpty()) {
            userName = null;
        }
        if (userName == null) {
            password = null;
        }
    }

    boolean isAnonymous() {
        return userName == null;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Credentials c && Objects.equals(userName, c.userName)
                && Objects.equals(password, c.password);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(userName);
    }

    @Override
    public String toString() {
        return isAnonymous() ? "anonymous" : "user '" + userName + "'";
    }
}
