package io.strand.cluster.controller;

import io.strand.cluster.metadata.Endpoint;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A broker process asks to be registered (first start, restart) or unfenced (its membership healed).
 *
 * @param clusterId   the cluster the broker was configured for
 * @param brokerId    its configured id
 * @param incarnation chosen anew by every start of the process
 * @param endpoints   where it is reached
 * @param rack        its rack, if racks are configured
 */
public record BrokerRegistrationRequest(String clusterId, int brokerId, long incarnation, List<Endpoint> endpoints,
                                        Optional<String> rack) {
    public BrokerRegistrationRequest {
        Objects.requireNonNull(clusterId, "clusterId");
        endpoints = List.copyOf(endpoints);
        Objects.requireNonNull(rack, "rack");
    }
}
