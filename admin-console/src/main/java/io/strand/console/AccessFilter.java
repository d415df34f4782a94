package io.strand.console;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

/**
 * Lets a request through only when its session may make it: every resource but {@code session} needs a
 * login (or a broker without users), and every method but GET needs an admin. The broker checks the
 * same again; this answers early, with 401 or 403, and keeps a read-only user's browser honest.
 */
@Provider
@Priority(Priorities.AUTHORIZATION)
public class AccessFilter implements ContainerRequestFilter {
    @Inject
    ConsoleSession session;

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (path.startsWith("/")) {
            path = path.substring(1);
        }
        if (path.equals("session")) {
            return;
        }
        // A session that expired while the broker needs no login finds that out again here, not at a login form.
        if (!session.signedIn() && !"open".equals(session.access().mode())) {
            request.abortWith(ApiError.response(Response.Status.UNAUTHORIZED, "log in first"));
        } else if (!HttpMethod.GET.equals(request.getMethod()) && !session.mayChange()) {
            request.abortWith(ApiError.response(Response.Status.FORBIDDEN, "your user may look but not change"
                    + " anything: only the broker's admins (auth.admins) may"));
        }
    }
}
