package io.strand.cluster.metadata;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A broker process joined: it is registered (or re-registered) and live, that is not fenced.
 *
 * <p>The incarnation tells two processes with the same broker id apart: a broker restarted after a
 * crash registers with a new incarnation, and the controller refuses a second live process with the
 * same id but another incarnation.
 *
 * @param brokerId    the broker's stable configured id, 0 or more
 * @param incarnation a number chosen anew by each start of the broker process
 * @param endpoints   where the broker is reached, at least one
 * @param rack        the broker's rack, empty when racks are not configured
 */
public record RegisterBroker(int brokerId, long incarnation, List<Endpoint> endpoints, Optional<String> rack)
        implements MetadataRecord {
    public RegisterBroker {
        MetadataChecks.requireBrokerId(brokerId);
        endpoints = List.copyOf(endpoints);
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("broker " + brokerId + " registers no endpoint");
        }
        Objects.requireNonNull(rack, "rack");
        rack.ifPresent(r -> {
            if (r.isEmpty()) {
                throw new IllegalArgumentException("rack of broker " + brokerId + " is an empty name");
            }
        });
    }
}
