package io.strand.console;

import io.strand.admin.AdminException;
import io.strand.protocol.ErrorCode;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Login and logout: {@code GET /api/session} says whether a login is needed and who is logged in,
 * {@code POST} logs in with a user of the broker, {@code DELETE} logs out. The only resource open
 * without a login.
 */
@Path("session")
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {
    /** A login form's content; the password is used once, to authenticate the session's broker connection. */
    public record Credentials(String user, String password) {
    }

    @Inject
    ConsoleSession session;

    @Context
    HttpServletRequest request;

    @GET
    public ConsoleSession.Access access() {
        return session.access();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public ConsoleSession.Access login(Credentials credentials) {
        if (credentials == null || credentials.user() == null || credentials.user().isBlank()) {
            throw ApiError.of(Response.Status.BAD_REQUEST, "give a user name and a password");
        }
        ConsoleSession.Access access;
        try {
            access = session.login(credentials.user(), credentials.password() == null ? "" : credentials.password());
        } catch (AdminException e) {
            if (e.error() == ErrorCode.AUTHENTICATION_FAILED) {
                throw ApiError.of(Response.Status.UNAUTHORIZED, "user name or password not accepted by the broker");
            }
            throw e;
        }
        // A new session id after a login, so that an id planted before it is worth nothing.
        request.changeSessionId();
        return access;
    }

    @DELETE
    public Response logout() {
        session.logout();
        HttpSession http = request.getSession(false);
        if (http != null) {
            http.invalidate();
        }
        return Response.noContent().build();
    }
}
