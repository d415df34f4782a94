package io.strand.itests.app;

import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.jms.JMSException;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The REST API through which the tests send and read what the beans received: {@code /api/...}. */
@ApplicationPath("api")
public class TestApi extends Application {

    @Path("/")
    @Produces(MediaType.TEXT_PLAIN)
    public static class Endpoints {
        @EJB
        private Sender sender;
        @EJB
        private Received received;

        /** {@code api=classic|local|context|injected|administered}, {@code outcome=commit|rollback}. */
        @POST
        @Path("send")
        public Response send(@QueryParam("destination") String destination, @QueryParam("topic") boolean topic,
                             @QueryParam("text") String text, @QueryParam("api") String api,
                             @QueryParam("outcome") String outcome) {
            try {
                switch (api == null ? "classic" : api) {
                    case "context" -> sender.sendWithContext(destination, text);
                    case "injected" -> sender.sendWithInjectedContext(destination, text);
                    case "administered" -> sender.sendToAdministeredQueue(text);
                    case "local" -> sender.send(destination, topic, text, "rollback".equals(outcome), true);
                    default -> sender.send(destination, topic, text, "rollback".equals(outcome), false);
                }
                return Response.ok("sent " + text).build();
            } catch (JMSException | EJBException e) {
                return Response.serverError().entity(e.toString()).build();
            }
        }

        @GET
        @Path("received")
        public String received(@QueryParam("key") String key) {
            return String.join("\n", received.get(key));
        }

        @GET
        @Path("forbidden")
        public String forbidden() throws JMSException {
            return String.join("\n", sender.forbiddenCalls());
        }
    }

    @Override
    public java.util.Set<Class<?>> getClasses() {
        return java.util.Set.of(Endpoints.class);
    }
}
