package io.strand.console;

import io.strand.admin.Rewind;
import io.strand.console.view.BrokerViews;
import io.strand.console.view.ThroughputHistory;
import io.strand.console.view.Views;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * Durable and shared subscriptions, {@code /api/subscriptions/{clientId}/{name}}: the list with consumers and lag in
 * messages and time (GET, optionally {@code ?topic=}), rewinding a durable one, and deleting a durable or shared
 * durable one. A shared subscription opened without a client id has {@value #NO_CLIENT_ID} in the path.
 */
@Path("subscriptions")
@Produces(MediaType.APPLICATION_JSON)
public class SubscriptionsResource {
    /** The path's client id of a shared subscription that has none. */
    static final String NO_CLIENT_ID = "-";

    @Inject
    ConsoleSession session;
    @Inject
    ThroughputHistory history;

    @GET
    public List<Views.Subscription> subscriptions(@QueryParam("topic") String topic) {
        return session.call(admin -> new BrokerViews(admin, history, System::currentTimeMillis).subscriptions(topic));
    }

    @POST
    @Path("{clientId}/{name}/rewind")
    @Consumes(MediaType.APPLICATION_JSON)
    public List<Rewind.Position> rewind(@PathParam("clientId") String clientId, @PathParam("name") String name,
                                        Requests.RewindTo to) {
        Requests.checkRewind(to);
        Rewind.Request request = new Rewind.Request(Rewind.Target.SUBSCRIPTION, clientId, name,
                to.partition() == null ? -1 : to.partition(), to.offset() == null ? -1 : to.offset(),
                to.timeMs() == null ? -1 : to.timeMs());
        return session.call(admin -> admin.rewind(request));
    }

    @DELETE
    @Path("{clientId}/{name}")
    public Response delete(@PathParam("clientId") String clientId, @PathParam("name") String name) {
        session.call(admin -> {
            admin.deleteSubscription(NO_CLIENT_ID.equals(clientId) ? null : clientId, name);
            return null;
        });
        return Response.noContent().build();
    }
}
