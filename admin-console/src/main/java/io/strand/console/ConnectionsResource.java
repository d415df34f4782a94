package io.strand.console;

import io.strand.console.view.BrokerViews;
import io.strand.console.view.ThroughputHistory;
import io.strand.console.view.Views;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * {@code GET /api/connections}: the broker's client connections by client id, each with its sessions and the
 * consumers open in each (delivery rate, messages in flight, lag).
 */
@Path("connections")
@Produces(MediaType.APPLICATION_JSON)
public class ConnectionsResource {
    @Inject
    ConsoleSession session;
    @Inject
    ThroughputHistory history;

    @GET
    public List<Views.ClientConnections> connections() {
        return session.call(admin -> new BrokerViews(admin, history, System::currentTimeMillis).connections());
    }
}
