package io.strand.console;

import io.strand.admin.AdminException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Answers a refused or failed admin call with the HTTP status of its kind and the broker's own words:
 * 403 for a right the user lacks, 404 for something missing, 409 for a conflict, 400 for a bad request,
 * 503 when the broker cannot be reached, 502 when it failed.
 */
@Provider
public class AdminExceptionMapper implements ExceptionMapper<AdminException> {
    @Override
    public Response toResponse(AdminException e) {
        if (e.error() == null) {
            return ApiError.response(Response.Status.SERVICE_UNAVAILABLE, e.getMessage());
        }
        Response.Status status = switch (e.error()) {
            case AUTHENTICATION_FAILED -> Response.Status.FORBIDDEN;
            case UNKNOWN_DESTINATION, UNKNOWN_SUBSCRIPTION, UNKNOWN_PARTITION -> Response.Status.NOT_FOUND;
            case DESTINATION_EXISTS, SUBSCRIPTION_IN_USE -> Response.Status.CONFLICT;
            case MALFORMED_REQUEST, INVALID_DESTINATION, INVALID_REQUEST, INVALID_SELECTOR, OFFSET_OUT_OF_RANGE,
                 INVALID_CLIENT_ID, MESSAGE_TOO_LARGE -> Response.Status.BAD_REQUEST;
            default -> Response.Status.BAD_GATEWAY;
        };
        return ApiError.response(status, e.getMessage());
    }
}
