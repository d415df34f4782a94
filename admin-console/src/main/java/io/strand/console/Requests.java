package io.strand.console;

import io.strand.protocol.DestinationType;
import jakarta.ws.rs.core.Response;

/** The bodies the API accepts for changes, and the checks that turn a bad one into a 400 naming the problem. */
public final class Requests {
    private Requests() {
    }

    /** A new destination; {@code partitions} null or 0 for the broker's default. */
    public record NewDestination(String type, String name, Integer partitions) {
    }

    /** New settings of a destination; a null field stays as it is. */
    public record DestinationSettings(Integer partitions, Long retentionMs, Long retentionBytes) {
    }

    /** Where to move a queue or a subscription: an offset or a time (epoch ms), exactly one; a partition or all. */
    public record RewindTo(Integer partition, Long offset, Long timeMs) {
    }

    /** How many dead letters to move back at most. */
    public record Redrive(Integer max) {
    }

    /** An empty body: changes without parameters still come as JSON, so no cross-site form can make them. */
    public record Confirm() {
    }

    static DestinationType type(String type) {
        if ("queue".equals(type)) {
            return DestinationType.QUEUE;
        }
        if ("topic".equals(type)) {
            return DestinationType.TOPIC;
        }
        throw ApiError.of(Response.Status.BAD_REQUEST, "type '" + type + "' is neither queue nor topic");
    }

    static <T> T required(T body, String what) {
        if (body == null) {
            throw ApiError.of(Response.Status.BAD_REQUEST, "the request needs a JSON body: " + what);
        }
        return body;
    }

    static void checkRewind(RewindTo to) {
        required(to, "{\"offset\": N} or {\"timeMs\": T}, and \"partition\" for one partition");
        if ((to.offset() == null) == (to.timeMs() == null)) {
            throw ApiError.of(Response.Status.BAD_REQUEST, "give an offset or a time to move to, exactly one of them");
        }
        if (to.offset() != null && to.offset() < 0 || to.timeMs() != null && to.timeMs() < 0) {
            throw ApiError.of(Response.Status.BAD_REQUEST, "offsets and times are not negative");
        }
    }
}
