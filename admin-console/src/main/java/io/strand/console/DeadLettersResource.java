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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Dead-letter queues: {@code GET /api/dead-letters} lists them with the queues and shared subscriptions that feed
 * them; {@code POST /api/dead-letters/{queue}/redrive} moves dead letters back to the queues and shared subscriptions
 * they came from.
 */
@Path("dead-letters")
@Produces(MediaType.APPLICATION_JSON)
public class DeadLettersResource {
    /** Dead letters one redrive moves unless the request says otherwise. */
    static final int DEFAULT_REDRIVE = 10_000;

    /**
     * What a redrive did: {@code moved} messages in all, per queue in {@code toQueues} and per shared subscription in
     * {@code toSubscriptions}; {@code skipped} name nothing that exists to go back to.
     */
    public record Redriven(long moved, Map<String, Long> toQueues, List<SubscriptionMoved> toSubscriptions,
                           long skipped) {
    }

    /** {@code moved} messages went back to the shared subscription {@code subscription} of {@code topic}. */
    public record SubscriptionMoved(String topic, String subscription, long moved) {
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
        List<SubscriptionMoved> toSubscriptions = new ArrayList<>();
        for (RedriveDeadLetters.Moved m : done.moved()) {
            if (m.subscription() == null) {
                toQueues.merge(m.destination(), m.count(), Long::sum);
            } else {
                toSubscriptions.add(new SubscriptionMoved(m.destination(), m.subscription(), m.count()));
            }
        }
        return new Redriven(done.total(), toQueues, toSubscriptions, done.skipped());
    }
}
