package io.strand.broker;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.strand.protocol.ApiKey;
import io.strand.protocol.FrameHeader;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Times each request of a connection from its arrival to its answer, per api, into the timer
 * {@code strand.requests} (a durable send's time therefore includes the wait for the disk). Attached
 * to a connection's channel only when the broker has metrics; without it both hooks do nothing.
 * Thread-safe: answers may be written from the log's flusher threads.
 */
final class RequestClock {
    private static final AttributeKey<RequestClock> KEY = AttributeKey.valueOf("strand.requestClock");

    /** The broker's timers, one per api, made on first use so that unused apis add no series. */
    static final class Timers {
        private final MeterRegistry registry;
        private final Map<ApiKey, Timer> byApi = new ConcurrentHashMap<>();

        Timers(MeterRegistry registry) {
            this.registry = registry;
        }

        Timer of(ApiKey api) {
            return byApi.computeIfAbsent(api, a -> Timer.builder("strand.requests").tag("api", a.name())
                    .description("time from a request's arrival to its answer").publishPercentileHistogram()
                    .register(registry));
        }
    }

    private final Timers timers;
    private final Map<Integer, Long> arrivals = new ConcurrentHashMap<>();

    private RequestClock(Timers timers) {
        this.timers = timers;
    }

    /** Starts timing the requests of a new connection; does nothing when {@code timers} is null (no metrics). */
    static void attach(Channel channel, Timers timers) {
        if (timers != null) {
            channel.attr(KEY).set(new RequestClock(timers));
        }
    }

    static void arrived(Channel channel, FrameHeader request) {
        RequestClock clock = channel.attr(KEY).get();
        if (clock != null) {
            clock.arrivals.put(request.correlationId(), System.nanoTime());
        }
    }

    static void answered(Channel channel, FrameHeader request) {
        RequestClock clock = channel.attr(KEY).get();
        if (clock == null) {
            return;
        }
        Long arrival = clock.arrivals.remove(request.correlationId());
        ApiKey api = ApiKey.forId(request.apiKey());
        if (arrival != null && api != null) {
            clock.timers.of(api).record(System.nanoTime() - arrival, TimeUnit.NANOSECONDS);
        }
    }
}
