package io.strand.cli;

import io.strand.admin.DescribeConnections;
import io.strand.admin.StrandAdmin;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "connections", description = "Client connections, their sessions and their consumers.",
        subcommands = ConnectionCommands.ListCommand.class)
final class ConnectionCommands extends CommandGroup {

    @Command(name = "list", description = "Every client connection by client id, with each session's consumers: what"
            + " each reads, its delivery rate over the last seconds, messages in flight, and the lag behind it.")
    static final class ListCommand extends AdminCommand {
        @Option(names = "--client-id", paramLabel = "ID", description = "Only the connections of this client id.")
        String clientId;

        @Override
        Object run(StrandAdmin admin) {
            List<DescribeConnections.ClientGroup> groups = DescribeConnections.byClientId(admin.describeConnections())
                    .stream().filter(g -> clientId == null || clientId.equals(g.clientId())).toList();
            return connection.output == Output.Format.JSON ? nested(groups) : rows(groups);
        }
    }

    /** As a table: one row per consumer, or per connection without any, grouped by client id. */
    private static List<Map<String, Object>> rows(List<DescribeConnections.ClientGroup> groups) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (DescribeConnections.ClientGroup group : groups) {
            for (DescribeConnections.Connection c : group.connections()) {
                if (c.sessions().isEmpty()) {
                    rows.add(row(c, null, null));
                }
                for (DescribeConnections.Session session : c.sessions()) {
                    session.consumers().forEach(consumer -> rows.add(row(c, session, consumer)));
                }
            }
        }
        return rows;
    }

    private static Map<String, Object> row(DescribeConnections.Connection c, DescribeConnections.Session session,
                                           DescribeConnections.Consumer consumer) {
        Map<String, Object> row = Rows.of("clientId", c.clientId(), "remoteAddress", c.remoteAddress(), "user", c.user(),
                "session", session == null ? null : session(session.id()));
        row.putAll(consumer == null ? Rows.of("consumer", null, "kind", null, "destination", null, "subscription", null,
                "deliveryRate", null, "inFlight", null, "lag", null, "oldestAgeMs", null, "selector", null)
                : Rows.of("consumer", consumer.id(), "kind", kind(consumer), "destination", consumer.destination(),
                        "subscription", consumer.subscription(), "deliveryRate", rate(consumer.deliveryRate()),
                        "inFlight", known(consumer.inFlight()), "lag", known(consumer.lag()),
                        "oldestAgeMs", Rows.millis(consumer.oldestAgeMs()), "selector", consumer.selector()));
        return row;
    }

    /** As JSON: client ids, their connections, each connection's sessions and each session's consumers. */
    private static List<Map<String, Object>> nested(List<DescribeConnections.ClientGroup> groups) {
        return groups.stream().map(g -> Rows.of("clientId", g.clientId(), "connections", g.connections().stream()
                .map(c -> Rows.of("remoteAddress", c.remoteAddress(), "user", c.user(), "sessions", c.sessions().stream()
                        .map(s -> Rows.of("session", session(s.id()), "deliveryRate", rate(s.deliveryRate()),
                                "inFlight", s.inFlight(), "consumers", s.consumers().stream()
                                        .map(ConnectionCommands::consumer).toList()))
                        .toList()))
                .toList())).toList();
    }

    private static Map<String, Object> consumer(DescribeConnections.Consumer k) {
        return Rows.of("consumer", k.id(), "kind", kind(k), "type", k.type().name().toLowerCase(),
                "destination", k.destination(), "subscription", k.subscription(), "selector", k.selector(),
                "credit", k.credit(), "delivered", known(k.delivered()), "deliveryRate", rate(k.deliveryRate()),
                "inFlight", known(k.inFlight()), "lag", known(k.lag()), "oldestAgeMs", Rows.millis(k.oldestAgeMs()));
    }

    private static String kind(DescribeConnections.Consumer consumer) {
        return consumer.kind().name().toLowerCase().replace('_', '-');
    }

    /** A session's number, or null when the client did not say (an older client). */
    private static Integer session(int id) {
        return id == DescribeConnections.Session.UNKNOWN ? null : id;
    }

    /** Messages per second to a tenth, or null when the broker did not say. */
    private static Double rate(double perSecond) {
        return perSecond < 0 ? null : Math.round(perSecond * 10) / 10.0;
    }

    /** A count, or null when the broker did not say (an older broker, or none that applies: a browser's lag). */
    private static Long known(long count) {
        return count < 0 ? null : count;
    }
}
