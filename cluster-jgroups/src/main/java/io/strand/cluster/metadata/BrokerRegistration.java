package io.strand.cluster.metadata;

import java.util.List;
import java.util.Optional;

/**
 * A registered broker as the metadata knows it.
 *
 * @param brokerId    its stable id
 * @param incarnation the incarnation of the process that registered last
 * @param endpoints   where it is reached
 * @param rack        its rack, if racks are configured
 * @param fenced      whether it is fenced: out of the membership, so it neither leads nor counts as live
 */
public record BrokerRegistration(int brokerId, long incarnation, List<Endpoint> endpoints, Optional<String> rack,
                                 boolean fenced) {
    public BrokerRegistration {
        endpoints = List.copyOf(endpoints);
    }

    /** The registration as the record that rebuilds it. */
    RegisterBroker toRecord() {
        return new RegisterBroker(brokerId, incarnation, endpoints, rack);
    }
}
