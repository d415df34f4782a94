package io.strand.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.strand.protocol.ApiKey;
import io.strand.protocol.DestinationType;
import io.strand.protocol.Destinations;
import io.strand.protocol.ErrorCode;
import io.strand.protocol.FrameReader;
import io.strand.protocol.MalformedFrameException;
import io.strand.protocol.Handshake;
import io.strand.protocol.ResponseStatus;
import io.strand.protocol.SubscriptionKind;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The admin requests and responses survive the wire unchanged, and malformed ones are refused. */
class AdminMessagesTest {
    private static <T> T roundTrip(T message, BiConsumer<T, ByteBuf> write, Function<FrameReader, T> read) {
        ByteBuf out = Unpooled.buffer();
        write.accept(message, out);
        return read.apply(new FrameReader(out));
    }

    @Test
    void roundTripsEveryAdminRequestAndResponse() {
        DescribeCluster.Response cluster = new DescribeCluster.Response(ResponseStatus.OK, 3,
                List.of(new DescribeCluster.Broker(3, "10.0.0.1", 61617)));
        assertThat(roundTrip(cluster, DescribeCluster.Response::writeTo, DescribeCluster.Response::readFrom))
                .isEqualTo(cluster);

        DescribeAccess.Response viewer = new DescribeAccess.Response(ResponseStatus.OK, "viewer", true, false);
        assertThat(roundTrip(viewer, DescribeAccess.Response::writeTo, DescribeAccess.Response::readFrom))
                .isEqualTo(viewer);
        DescribeAccess.Response open = new DescribeAccess.Response(ResponseStatus.OK, null, false, true);
        assertThat(roundTrip(open, DescribeAccess.Response::writeTo, DescribeAccess.Response::readFrom))
                .isEqualTo(open);

        DescribeDestinations.Request select = new DescribeDestinations.Request(null, "orders");
        assertThat(roundTrip(select, DescribeDestinations.Request::writeTo, DescribeDestinations.Request::readFrom))
                .isEqualTo(select);
        DescribeDestinations.Response destinations = new DescribeDestinations.Response(ResponseStatus.OK, List.of(
                new DescribeDestinations.Destination(DestinationType.QUEUE, "orders", false, -1, 1024, List.of(
                        new DescribeDestinations.Partition(0, 1, List.of(1, 2), List.of(1), 5, 20, 18, 4096, 2)), 2,
                        2)));
        assertThat(roundTrip(destinations, (d, out) -> d.writeTo(out, Handshake.MAX_VERSION),
                in -> DescribeDestinations.Response.readFrom(in, Handshake.MAX_VERSION))).isEqualTo(destinations);
        assertThat(destinations.destinations().get(0).partitions().get(0).underReplicated()).isTrue();
        DescribeDestinations.Response beforeIsr = roundTrip(destinations, (d, out) -> d.writeTo(out, (short) 3),
                in -> DescribeDestinations.Response.readFrom(in, (short) 3));
        assertThat(beforeIsr.destinations().get(0).partitions().get(0).isr()).as("read as the replicas")
                .containsExactly(1, 2);
        assertThat(destinations.destinations().get(0).messages()).isEqualTo(13);
        DescribeDestinations.Destination beforeSettings = roundTrip(destinations, (d, out) -> d.writeTo(out, (short) 4),
                in -> DescribeDestinations.Response.readFrom(in, (short) 4)).destinations().get(0);
        assertThat(beforeSettings.replicationFactor()).as("not reported before version 5")
                .isEqualTo(DescribeDestinations.Destination.NOT_REPORTED);
        assertThat(beforeSettings.minInsyncReplicas()).isEqualTo(DescribeDestinations.Destination.NOT_REPORTED);
        assertThat(beforeSettings.partitions()).isEqualTo(destinations.destinations().get(0).partitions());

        assertThat(roundTrip(new MoveActive.Request(3), MoveActive.Request::writeTo, MoveActive.Request::readFrom))
                .isEqualTo(new MoveActive.Request(3));

        AlterDestination.Request alter = new AlterDestination.Request(DestinationType.TOPIC, "prices", 8,
                AlterDestination.UNCHANGED, 1 << 30);
        assertThat(roundTrip(alter, (r, out) -> r.writeTo(out, Handshake.MAX_VERSION),
                in -> AlterDestination.Request.readFrom(in, Handshake.MAX_VERSION))).isEqualTo(alter);
        assertThat(roundTrip(alter, (r, out) -> r.writeTo(out, (short) 4),
                in -> AlterDestination.Request.readFrom(in, (short) 4))).as("an older client's request").isEqualTo(alter);
        AlterDestination.Request minInsync = new AlterDestination.Request(DestinationType.QUEUE, "orders", 0,
                AlterDestination.UNCHANGED, AlterDestination.UNCHANGED, Map.of(Destinations.MIN_INSYNC_REPLICAS, "3"));
        assertThat(roundTrip(minInsync, (r, out) -> r.writeTo(out, Destinations.SETTINGS_VERSION),
                in -> AlterDestination.Request.readFrom(in, Destinations.SETTINGS_VERSION))).isEqualTo(minInsync);
        assertThatThrownBy(() -> minInsync.writeTo(Unpooled.buffer(), (short) 4))
                .hasMessageContaining("protocol version 4 cannot carry the settings [min.insync.replicas]");

        DescribeSubscriptions.Response subscriptions = new DescribeSubscriptions.Response(ResponseStatus.OK, List.of(
                durableSubscription(),
                new DescribeSubscriptions.Subscription(SubscriptionKind.SHARED_DURABLE, null, "counter", "prices", null,
                        false, true, List.of(new DescribeSubscriptions.Member("/10.0.0.2:4000", 3),
                        new DescribeSubscriptions.Member("/10.0.0.3:4001", 1)), "DLQ.prices", 2, List.of(
                        new DescribeSubscriptions.PartitionLag(0, 7, 9, 2, 1, 300)))));
        assertThat(roundTrip(subscriptions, (r, out) -> r.writeTo(out, CURRENT),
                in -> DescribeSubscriptions.Response.readFrom(in, CURRENT))).isEqualTo(subscriptions);
        assertThat(subscriptions.subscriptions().get(0).lag()).isEqualTo(5);
        assertThat(subscriptions.subscriptions().get(0).inFlight()).isEqualTo(2);
        assertThat(subscriptions.subscriptions().get(0).oldestAgeMs()).isEqualTo(1200);

        DescribeShareGroups.Response groups = new DescribeShareGroups.Response(ResponseStatus.OK, List.of(
                new DescribeShareGroups.ShareGroup("jobs", 2, "DLQ.jobs", 7, List.of(
                        new DescribeShareGroups.PartitionLag(0, 3, 10, 6, 2, 1, 50)))));
        assertThat(roundTrip(groups, DescribeShareGroups.Response::writeTo, DescribeShareGroups.Response::readFrom))
                .isEqualTo(groups);

        DescribeConnections.Response connections = new DescribeConnections.Response(ResponseStatus.OK, List.of(
                new DescribeConnections.Connection("/127.0.0.1:5000", "app", null, List.of(
                        new DescribeConnections.Session(0, List.of(durableConsumer())),
                        new DescribeConnections.Session(2, List.of(new DescribeConnections.Consumer(4,
                                SubscriptionKind.QUEUE, DestinationType.QUEUE, "jobs", null, "size > 2", 0, 10, 0,
                                10_000, 3, 0, -1)))))));
        assertThat(roundTrip(connections, (r, out) -> r.writeTo(out, CURRENT),
                in -> DescribeConnections.Response.readFrom(in, CURRENT))).isEqualTo(connections);
        assertThat(durableConsumer().deliveryRate()).isEqualTo(25.0);

        PurgeQueue.Response purged = new PurgeQueue.Response(ResponseStatus.OK, 42);
        assertThat(roundTrip(purged, PurgeQueue.Response::writeTo, PurgeQueue.Response::readFrom)).isEqualTo(purged);

        Browse.Request browse = new Browse.Request(DestinationType.QUEUE, "jobs", 1, -1, 1_700_000_000_000L, 10);
        assertThat(roundTrip(browse, Browse.Request::writeTo, Browse.Request::readFrom)).isEqualTo(browse);

        RedriveDeadLetters.Response redriven = new RedriveDeadLetters.Response(ResponseStatus.OK,
                List.of(new RedriveDeadLetters.Moved("jobs", 3), new RedriveDeadLetters.Moved("prices", "app:audit", 2)),
                1);
        assertThat(roundTrip(redriven, (r, out) -> r.writeTo(out, CURRENT),
                in -> RedriveDeadLetters.Response.readFrom(in, CURRENT))).isEqualTo(redriven);

        DeleteSubscription.Request delete = new DeleteSubscription.Request(null, "counter");
        assertThat(roundTrip(delete, DeleteSubscription.Request::writeTo, DeleteSubscription.Request::readFrom))
                .isEqualTo(delete);

        Rewind.Request rewind = new Rewind.Request(Rewind.Target.SUBSCRIPTION, "app", "audit", -1, 0, -1);
        assertThat(roundTrip(rewind, Rewind.Request::writeTo, Rewind.Request::readFrom)).isEqualTo(rewind);
        Rewind.Response rewound = new Rewind.Response(ResponseStatus.OK, List.of(new Rewind.Position(0, 0)));
        assertThat(roundTrip(rewound, Rewind.Response::writeTo, Rewind.Response::readFrom)).isEqualTo(rewound);
    }

    private static final short CURRENT = AdminWire.SESSIONS_VERSION;
    private static final short BEFORE_SESSIONS = AdminWire.SESSIONS_VERSION - 1;

    private static DescribeSubscriptions.Subscription durableSubscription() {
        return new DescribeSubscriptions.Subscription(SubscriptionKind.DURABLE, "app", "audit", "prices", "price > 3",
                true, true, List.of(new DescribeSubscriptions.Member("/10.0.0.1:5000", 7)), null, 0, List.of(
                new DescribeSubscriptions.PartitionLag(0, 4, 9, 5, 2, 1200),
                new DescribeSubscriptions.PartitionLag(1, 9, 9, 0, 0, -1)));
    }

    private static DescribeConnections.Consumer durableConsumer() {
        return new DescribeConnections.Consumer(1, SubscriptionKind.DURABLE, DestinationType.TOPIC, "prices", "audit",
                "price > 3", 100, 900, 250, 10_000, 2, 40, 1500);
    }

    @Test
    void answersAnOlderClientInTheFormItReads() {
        // Before sessions, a connection's consumers come in one list, without the figures the older client cannot read.
        DescribeConnections.Response connections = new DescribeConnections.Response(ResponseStatus.OK, List.of(
                new DescribeConnections.Connection("/127.0.0.1:5000", "app", "ops", List.of(
                        new DescribeConnections.Session(0, List.of(durableConsumer()))))));
        DescribeConnections.Connection old = roundTrip(connections, (r, out) -> r.writeTo(out, BEFORE_SESSIONS),
                in -> DescribeConnections.Response.readFrom(in, BEFORE_SESSIONS)).connections().get(0);
        assertThat(old.sessions()).singleElement().satisfies(s -> assertThat(s.id())
                .isEqualTo(DescribeConnections.Session.UNKNOWN));
        assertThat(old.consumers()).singleElement().satisfies(c -> {
            assertThat(c.subscription()).isEqualTo("audit");
            assertThat(c.credit()).isEqualTo(100);
            assertThat(c.selector()).isNull();
            assertThat(c.inFlight()).isEqualTo(DescribeConnections.UNKNOWN);
            assertThat(c.deliveryRate()).isEqualTo(DescribeConnections.UNKNOWN);
        });

        // An older client knows durable subscriptions only.
        DescribeSubscriptions.Response subscriptions = new DescribeSubscriptions.Response(ResponseStatus.OK, List.of(
                durableSubscription(), new DescribeSubscriptions.Subscription(SubscriptionKind.SHARED, null, "live",
                        "prices", null, false, true, List.of(), "DLQ.prices", 0, List.of())));
        List<DescribeSubscriptions.Subscription> durableOnly = roundTrip(subscriptions,
                (r, out) -> r.writeTo(out, BEFORE_SESSIONS),
                in -> DescribeSubscriptions.Response.readFrom(in, BEFORE_SESSIONS)).subscriptions();
        assertThat(durableOnly).singleElement().satisfies(s -> {
            assertThat(s.kind()).isEqualTo(SubscriptionKind.DURABLE);
            assertThat(s.name()).isEqualTo("audit");
            assertThat(s.lag()).isEqualTo(5);
            assertThat(s.inFlight()).isEqualTo(DescribeSubscriptions.UNKNOWN);
        });

        RedriveDeadLetters.Response redriven = new RedriveDeadLetters.Response(ResponseStatus.OK,
                List.of(new RedriveDeadLetters.Moved("jobs", 3)), 1);
        assertThat(roundTrip(redriven, (r, out) -> r.writeTo(out, BEFORE_SESSIONS),
                in -> RedriveDeadLetters.Response.readFrom(in, BEFORE_SESSIONS))).isEqualTo(redriven);
        assertThat(RedriveDeadLetters.movesToSubscriptions(BEFORE_SESSIONS)).isFalse();
    }

    @Test
    void groupsConnectionsByClientIdWithThoseWithoutOneLast() {
        DescribeConnections.Connection anonymous = new DescribeConnections.Connection("/10.0.0.9:1", null, null,
                List.of());
        DescribeConnections.Connection billing2 = new DescribeConnections.Connection("/10.0.0.2:2", "billing", null,
                List.of());
        DescribeConnections.Connection billing1 = new DescribeConnections.Connection("/10.0.0.1:1", "billing", null,
                List.of());
        DescribeConnections.Connection audit = new DescribeConnections.Connection("/10.0.0.3:3", "audit", null,
                List.of());
        assertThat(DescribeConnections.byClientId(List.of(anonymous, billing2, audit, billing1))).containsExactly(
                new DescribeConnections.ClientGroup("audit", List.of(audit)),
                new DescribeConnections.ClientGroup("billing", List.of(billing1, billing2)),
                new DescribeConnections.ClientGroup(null, List.of(anonymous)));
    }

    @Test
    void anErrorResponseHoldsOnlyItsStatus() {
        Rewind.Response refused = new Rewind.Response(ResponseStatus.of(ErrorCode.OFFSET_OUT_OF_RANGE, "before start"),
                List.of());
        assertThat(roundTrip(refused, Rewind.Response::writeTo, Rewind.Response::readFrom)).isEqualTo(refused);
    }

    @Test
    void refusesRequestsThatCannotMeanAnything() {
        assertThatThrownBy(() -> new Rewind.Request(Rewind.Target.QUEUE, null, "jobs", -1, 5, 1000))
                .isInstanceOf(MalformedFrameException.class).hasMessageContaining("exactly one");
        assertThatThrownBy(() -> new Browse.Request(DestinationType.QUEUE, "jobs", 0, -1, -1, 5))
                .isInstanceOf(MalformedFrameException.class).hasMessageContaining("exactly one");
        assertThatThrownBy(() -> new Browse.Request(DestinationType.QUEUE, "jobs", 0, 0, -1, 0))
                .isInstanceOf(MalformedFrameException.class).hasMessageContaining("1 to 1000");
        assertThatThrownBy(() -> new RedriveDeadLetters.Request("DLQ.jobs", -3))
                .isInstanceOf(MalformedFrameException.class);
        ByteBuf huge = Unpooled.buffer().writeInt(Integer.MAX_VALUE);
        assertThatThrownBy(() -> AdminWire.readList(new FrameReader(huge), "items", 4, in -> in.readInt32("item")))
                .isInstanceOf(MalformedFrameException.class);
    }

    @Test
    void adminApisAreMarkedAsSuch() {
        assertThat(ApiKey.ADMIN_REWIND.isAdmin()).isTrue();
        assertThat(ApiKey.ADMIN_MOVE_ACTIVE.isAdmin()).isTrue();
        assertThat(ApiKey.ADMIN_MOVE_ACTIVE.isAdminReadOnly()).as("a change only admins may make").isFalse();
        assertThat(ApiKey.ADMIN_MOVE_ACTIVE.isAdminRepeatable()).as("the same move again changes nothing").isTrue();
        assertThat(ApiKey.ADMIN_DELETE_SUBSCRIPTION.isAdminRepeatable()).isFalse();
        assertThat(ApiKey.PRODUCE.isAdmin()).isFalse();
        assertThat(ApiKey.forId(ApiKey.ADMIN_BROWSE.id)).isEqualTo(ApiKey.ADMIN_BROWSE);
    }
}
