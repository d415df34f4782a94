package io.strand.cluster;

import io.strand.cluster.controller.ControllerError;
import java.util.Optional;

/**
 * A node could not join the cluster or a request to the controller failed. When the controller refused
 * the request, {@link #error()} gives its stable reason; a node that was not admitted (another cluster
 * id, a duplicate id, no reachable peer) is closed before this is thrown.
 */
public final class ClusterException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ControllerError error;

    public ClusterException(String message) {
        this(null, message, null);
    }

    public ClusterException(String message, Throwable cause) {
        this(null, message, cause);
    }

    public ClusterException(ControllerError error, String message, Throwable cause) {
        super(message, cause);
        this.error = error;
    }

    /** The controller's reason, when it was the controller that refused. */
    public Optional<ControllerError> error() {
        return Optional.ofNullable(error);
    }
}
