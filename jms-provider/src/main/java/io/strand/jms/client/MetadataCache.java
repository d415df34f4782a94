package io.strand.jms.client;

import io.strand.protocol.ApiKey;
import io.strand.protocol.DestinationType;
import io.strand.protocol.Destinations;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Partition counts of the destinations a connection uses. The first use of a destination sends one
 * METADATA request with {@code create=true} (so that producing to or subscribing to a new
 * destination creates it, where the broker allows); concurrent first uses share that request. A
 * failed lookup is forgotten, so the next use asks again. A lookup waits through a failover and is asked again
 * of the new broker if its answer was lost. Thread-safe.
 */
public final class MetadataCache {
    private record Key(DestinationType type, String name) {
    }

    private final ClusterConnection connection;
    private final Map<Key, CompletableFuture<Integer>> partitions = new ConcurrentHashMap<>();

    public MetadataCache(ClusterConnection connection) {
        this.connection = connection;
    }

    /** @return a future of the destination's partition count, failing with {@link BrokerException} if unknown */
    public CompletableFuture<Integer> partitions(DestinationType type, String name) {
        final Key key = new Key(type, name);
        final CompletableFuture<Integer> cached = partitions.get(key);
        if (cached != null) {
            return cached;
        }
        final CompletableFuture<Integer> fresh = new CompletableFuture<>();
        final CompletableFuture<Integer> raced = partitions.putIfAbsent(key, fresh);
        if (raced != null) {
            return raced;
        }
        connection.sendIdempotent(ApiKey.METADATA, out -> new Destinations.MetadataRequest(type, name, true).writeTo(out),
                        Destinations.MetadataResponse::readFrom, Destinations.MetadataResponse::status)
                .whenComplete((response, error) -> {
                    if (error == null && response.destination().partitions() < 1) {
                        error = new IllegalStateException("broker reports " + response.destination().partitions()
                                + " partitions for " + type + " " + name);
                    }
                    if (error != null) {
                        partitions.remove(key, fresh);
                        fresh.completeExceptionally(error);
                    } else {
                        fresh.complete(response.destination().partitions());
                    }
                });
        return fresh;
    }
}
