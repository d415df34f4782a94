package io.strand.console;

import io.strand.console.view.BrokerViews;
import io.strand.console.view.ThroughputHistory;
import io.strand.console.view.Views;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /api/overview}: brokers, totals, every destination with its rates and lag, the broker's throughput. */
@Path("overview")
@Produces(MediaType.APPLICATION_JSON)
public class OverviewResource {
    @Inject
    ConsoleSession session;
    @Inject
    ConsoleSettings settings;
    @Inject
    ThroughputHistory history;

    @GET
    public Views.Overview overview() {
        return session.call(admin -> new BrokerViews(admin, history, System::currentTimeMillis)
                .overview(settings.brokerUrl()));
    }
}
