package io.strand.console;

import io.strand.admin.RedriveDeadLetters;
import io.strand.console.view.BrokerViews;
import io.strand.console.view.ThroughputHistory;
import io.strand.console.view.Views;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Dead-letter queues: {@code GET /api/dead-letters} lists them with the queues that feed them;
 * {@code POST /api/dead-letters/{queue}/redrive} moves dead letters back to the queues they came from.
 */
@Path("dead-letters")
@Produces(MediaType.APPLICATION_JSON)
public class DeadLettersResource {
    /** Dead letters one redrive moves unless the request says otherwise. */
    static final int DEFAULT_REDRIVE = 10_000;

    /** What a redrive did: {@code moved} messages in all, per queue in {@code toQueues}; {@code skipped} name no queue. */
    public record Redriven(long moved, Map<String, Long> toQueues, long skipped) {
    }

    @Inject
    ConsoleSession session;
    @Inject
    ThroughputHistory history;

    @GET
    public List<Views.DeadLetterQueue> deadLetterQueues() {
        return session.call(admin -> new BrokerViews(admin, history, System::currentTimeMillis).deadLetterQueues());
    }

    @POST
    @Path("{queue}/redrive")
    @Consumes(MediaType.APPLICATION_JSON)
    public Redriven redrive(@PathParam("queue") String queue, Requests.Redrive redrive) {
        int max = Requests.required(redrive, "{\"max\": N}, or {} for up to " + DEFAULT_REDRIVE).max() == null
                ? DEFAULT_REDRIVE : redrive.max();
        if (max < 1 || max > RedriveDeadLetters.MAX_MESSAGES) {
            throw ApiError.of(Response.Status.BAD_REQUEST, "a redrive moves 1 to " + RedriveDeadLetters.MAX_MESSAGES
                    + " messages; asked for " + max);
        }
        RedriveDeadLetters.Response done = session.call(admin -> admin.redriveDeadLetters(queue, max));
        Map<String, Long> toQueues = new TreeMap<>();
        done.moved().forEach(m -> toQueues.merge(m.queue(), m.count(), Long::sum));
        return new Redriven(done.total(), toQueues, done.skipped());
    }
}
