package io.strand.console;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** The session has no broker connection to use: nobody logged in, or the broker dropped it. Answered with 401. */
public final class LoginRequiredException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LoginRequiredException(String message) {
        super(message);
    }

    /** Answers with 401, which makes the UI show its login. */
    @Provider
    public static final class Mapper implements ExceptionMapper<LoginRequiredException> {
        @Override
        public Response toResponse(LoginRequiredException e) {
            return ApiError.response(Response.Status.UNAUTHORIZED, e.getMessage());
        }
    }
}
