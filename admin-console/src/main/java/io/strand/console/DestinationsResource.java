package io.strand.console;

import io.strand.admin.AlterDestination;
import io.strand.admin.Browse;
import io.strand.admin.Rewind;
import io.strand.console.view.BrokerViews;
import io.strand.console.view.ThroughputHistory;
import io.strand.console.view.Views;
import io.strand.protocol.DestinationType;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
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
 * Queues and topics, {@code /api/destinations/{type}/{name}} with type {@code queue} or {@code topic}:
 * a destination's page (GET), its messages ({@code messages}), creating (POST on the collection),
 * deleting (DELETE), new settings ({@code settings}), and for a queue purging and rewinding.
 */
@Path("destinations")
@Produces(MediaType.APPLICATION_JSON)
public class DestinationsResource {
    /** Messages one browse returns unless asked otherwise. */
    static final int DEFAULT_BROWSE = 50;

    /** What a purge did. */
    public record Purged(long messages) {
    }

    @Inject
    ConsoleSession session;
    @Inject
    ThroughputHistory history;

    @GET
    @Path("{type}/{name}")
    public Views.Destination destination(@PathParam("type") String type, @PathParam("name") String name) {
        DestinationType t = Requests.type(type);
        return session.call(admin -> views(admin).destination(t, name));
    }

    /**
     * Messages of one partition: from {@code fromOffset}, from {@code fromTime} (epoch ms), or else the
     * newest ({@code newest=true}, the default) or the oldest kept.
     */
    @GET
    @Path("{type}/{name}/messages")
    public Views.MessagePage messages(@PathParam("type") String type, @PathParam("name") String name,
                                      @QueryParam("partition") @DefaultValue("0") int partition,
                                      @QueryParam("fromOffset") Long fromOffset, @QueryParam("fromTime") Long fromTime,
                                      @QueryParam("newest") @DefaultValue("true") boolean newest,
                                      @QueryParam("max") @DefaultValue("" + DEFAULT_BROWSE) int max) {
        DestinationType t = Requests.type(type);
        if (fromOffset != null && fromTime != null) {
            throw ApiError.of(Response.Status.BAD_REQUEST, "browse from an offset or from a time, not both");
        }
        if (max < 1 || max > Browse.MAX_MESSAGES) {
            throw ApiError.of(Response.Status.BAD_REQUEST, "a browse returns 1 to " + Browse.MAX_MESSAGES
                    + " messages; asked for " + max);
        }
        if (fromOffset != null && fromOffset < 0 || fromTime != null && fromTime < 0) {
            throw ApiError.of(Response.Status.BAD_REQUEST, "offsets and times are not negative");
        }
        return session.call(admin -> views(admin).browse(t, name, partition, fromOffset, fromTime, newest, max));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(Requests.NewDestination destination) {
        Requests.required(destination, "{\"type\": \"queue\", \"name\": \"orders\", \"partitions\": 3}");
        DestinationType t = Requests.type(destination.type());
        if (destination.name() == null || destination.name().isBlank()) {
            throw ApiError.of(Response.Status.BAD_REQUEST, "a new destination needs a name");
        }
        int partitions = destination.partitions() == null ? 0 : destination.partitions();
        if (partitions < 0) {
            throw ApiError.of(Response.Status.BAD_REQUEST, "partitions=" + partitions + ": give a count, or 0 for the"
                    + " broker's default");
        }
        Views.Destination created = session.call(admin -> {
            admin.createDestination(t, destination.name(), partitions);
            return views(admin).destination(t, destination.name());
        });
        return Response.status(Response.Status.CREATED).entity(created).build();
    }

    @DELETE
    @Path("{type}/{name}")
    public Response delete(@PathParam("type") String type, @PathParam("name") String name) {
        DestinationType t = Requests.type(type);
        session.call(admin -> {
            admin.deleteDestination(t, name);
            return null;
        });
        history.forget(BrokerViews.key(t, name));
        return Response.noContent().build();
    }

    @POST
    @Path("{type}/{name}/settings")
    @Consumes(MediaType.APPLICATION_JSON)
    public Views.Destination alter(@PathParam("type") String type, @PathParam("name") String name,
                                   Requests.DestinationSettings settings) {
        DestinationType t = Requests.type(type);
        Requests.required(settings, "{\"partitions\": N, \"retentionMs\": MS, \"retentionBytes\": B}, any of them");
        AlterDestination.Request request = new AlterDestination.Request(t, name,
                settings.partitions() == null ? 0 : settings.partitions(),
                settings.retentionMs() == null ? AlterDestination.UNCHANGED : settings.retentionMs(),
                settings.retentionBytes() == null ? AlterDestination.UNCHANGED : settings.retentionBytes());
        return session.call(admin -> {
            admin.alterDestination(request);
            return views(admin).destination(t, name);
        });
    }

    @POST
    @Path("queue/{name}/purge")
    @Consumes(MediaType.APPLICATION_JSON)
    public Purged purge(@PathParam("name") String name, Requests.Confirm confirm) {
        Requests.required(confirm, "{}");
        return new Purged(session.call(admin -> admin.purgeQueue(name)));
    }

    @POST
    @Path("queue/{name}/rewind")
    @Consumes(MediaType.APPLICATION_JSON)
    public List<Rewind.Position> rewind(@PathParam("name") String name, Requests.RewindTo to) {
        Requests.checkRewind(to);
        Rewind.Request request = new Rewind.Request(Rewind.Target.QUEUE, null, name,
                to.partition() == null ? -1 : to.partition(), to.offset() == null ? -1 : to.offset(),
                to.timeMs() == null ? -1 : to.timeMs());
        return session.call(admin -> admin.rewind(request));
    }

    private BrokerViews views(io.strand.admin.StrandAdmin admin) {
        return new BrokerViews(admin, history, System::currentTimeMillis);
    }
}
