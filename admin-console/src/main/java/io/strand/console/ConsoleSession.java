package io.strand.console;

import io.strand.admin.AdminException;
import io.strand.admin.DescribeAccess;
import io.strand.admin.StrandAdmin;
import io.strand.protocol.ErrorCode;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.SessionScoped;
import jakarta.inject.Inject;
import java.io.Serializable;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * One browser session's standing with the broker: the admin connection it uses, whom it authenticated as
 * and whether that user may change the broker. The password given at login opens the connection and is
 * dropped; when the connection is lost (the broker restarted) the user logs in again. When the broker has
 * no users the session works without a login, as an admin, on an anonymous connection it opens again
 * whenever it needs one (open access; the UI shows a warning).
 *
 * <p>The broker checks every call itself: what this class knows of the user's role only decides what the
 * console offers, and refuses early.
 */
@SessionScoped
public class ConsoleSession implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(ConsoleSession.class.getName());

    /**
     * What the browser is told about its session.
     *
     * @param mode   {@code open}: the broker has no users and everyone is an admin; {@code user}: logged in;
     *               {@code login}: a login is needed
     * @param user   who is logged in, or null
     * @param admin  whether the session may change the broker
     * @param broker the broker's URL
     */
    public record Access(String mode, String user, boolean admin, String broker) {
    }

    private final ConsoleSettings settings;

    @Inject
    public ConsoleSession(ConsoleSettings settings) {
        this.settings = settings;
    }

    /** For the container's proxy of the session's bean. */
    protected ConsoleSession() {
        this(null);
    }

    private transient StrandAdmin connection;
    private String user;
    private boolean admin;
    private boolean openAccess;

    /** The session's access, finding out whether the broker needs a login when nobody is logged in yet. */
    public synchronized Access access() {
        if (connection == null && user == null) {
            probeOpenAccess();
        }
        return current();
    }

    /**
     * Opens a connection authenticated as {@code userName}, replacing the session's current one.
     *
     * @throws AdminException AUTHENTICATION_FAILED when the broker refuses the credentials
     */
    public synchronized Access login(String userName, String password) {
        close();
        StrandAdmin opened = StrandAdmin.connect(settings.brokerUrl(), userName, password);
        DescribeAccess.Response access = describe(opened, false);
        connection = opened;
        openAccess = !access.usersConfigured();
        user = openAccess ? null : userName;
        admin = access.admin();
        LOG.info(() -> "console login of " + userName + (admin ? " (admin)" : " (read-only)"));
        return current();
    }

    public synchronized void logout() {
        close();
        user = null;
        admin = false;
        openAccess = false;
    }

    /** Whether the session may use the API: it is logged in, or the broker needs no login. */
    public synchronized boolean signedIn() {
        return user != null || openAccess;
    }

    public synchronized boolean mayChange() {
        return signedIn() && admin;
    }

    /**
     * Runs {@code call} on the session's connection. A connection that no longer answers is dropped: an
     * open-access session opens a new one next time, a logged-in user has to log in again.
     */
    public <T> T call(Function<StrandAdmin, T> call) {
        StrandAdmin admin = connection();
        try {
            return call.apply(admin);
        } catch (AdminException e) {
            if (e.error() == null) {
                dropConnection(admin);
            }
            throw e;
        }
    }

    private synchronized StrandAdmin connection() {
        if (connection == null && openAccess) {
            connection = StrandAdmin.connect(settings.brokerUrl(), null, null);
        }
        if (connection == null) {
            throw new LoginRequiredException(user == null ? "log in first"
                    : "the connection to the broker was lost: log in again");
        }
        return connection;
    }

    private synchronized void dropConnection(StrandAdmin lost) {
        if (connection == lost) {
            close();
            if (!openAccess) {
                user = null;
                admin = false;
            }
        }
    }

    /** Whether an anonymous connection may administer the broker: it may when the broker has no users. */
    private void probeOpenAccess() {
        StrandAdmin anonymous;
        try {
            anonymous = StrandAdmin.connect(settings.brokerUrl(), null, null);
        } catch (AdminException e) {
            if (e.error() == ErrorCode.AUTHENTICATION_FAILED) {
                return;
            }
            throw e;
        }
        try {
            DescribeAccess.Response access = describe(anonymous, true);
            if (!access.usersConfigured()) {
                connection = anonymous;
                openAccess = true;
                admin = true;
                return;
            }
        } catch (AdminException e) {
            if (e.error() != ErrorCode.AUTHENTICATION_FAILED) {
                anonymous.close();
                throw e;
            }
        }
        anonymous.close();
    }

    /**
     * The connection's access. A broker older than the api let every connection that may describe do
     * everything: with users, every user; without, everyone.
     */
    private static DescribeAccess.Response describe(StrandAdmin admin, boolean anonymous) {
        try {
            return admin.describeAccess();
        } catch (AdminException e) {
            if (e.error() != ErrorCode.UNSUPPORTED_API) {
                admin.close();
                throw e;
            }
            admin.describeCluster();
            return new DescribeAccess.Response(null, null, !anonymous, true);
        }
    }

    private Access current() {
        String broker = settings.brokerUrl();
        if (openAccess) {
            return new Access("open", null, true, broker);
        }
        return user != null ? new Access("user", user, admin, broker) : new Access("login", null, false, broker);
    }

    @PreDestroy
    synchronized void close() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }
}
