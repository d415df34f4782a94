package io.strand.console;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The body of every error answer, {@code {"error": "..."}}, in words a person can act on.
 *
 * @param error what went wrong
 */
public record ApiError(String error) {
    /** An exception that answers with {@code status} and this body. */
    static WebApplicationException of(Response.Status status, String message) {
        return new WebApplicationException(message, response(status, message));
    }

    static Response response(Response.Status status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(new ApiError(message)).build();
    }
}
