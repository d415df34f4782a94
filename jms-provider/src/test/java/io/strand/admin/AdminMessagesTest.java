package io.strand.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.strand.protocol.ApiKey;
import io.strand.protocol.DestinationType;
import io.strand.protocol.ErrorCode;
import io.strand.protocol.FrameReader;
import io.strand.protocol.MalformedFrameException;
import io.strand.protocol.ResponseStatus;
import io.strand.protocol.SubscriptionKind;
import java.util.List;
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
                        new DescribeDestinations.Partition(0, 1, List.of(1, 2), 5, 20, 18, 4096, 2)))));
        assertThat(roundTrip(destinations, DescribeDestinations.Response::writeTo,
                DescribeDestinations.Response::readFrom)).isEqualTo(destinations);
        assertThat(destinations.destinations().get(0).messages()).isEqualTo(13);

        AlterDestination.Request alter = new AlterDestination.Request(DestinationType.TOPIC, "prices", 8,
                AlterDestination.UNCHANGED, 1 << 30);
        assertThat(roundTrip(alter, AlterDestination.Request::writeTo, AlterDestination.Request::readFrom))
                .isEqualTo(alter);

        DescribeSubscriptions.Response subscriptions = new DescribeSubscriptions.Response(ResponseStatus.OK, List.of(
                new DescribeSubscriptions.Subscription("app", "audit", "prices", "price > 3", true, false, List.of(
                        new DescribeSubscriptions.PartitionLag(0, 4, 9, 5, 1200),
                        new DescribeSubscriptions.PartitionLag(1, 9, 9, 0, -1)))));
        assertThat(roundTrip(subscriptions, DescribeSubscriptions.Response::writeTo,
                DescribeSubscriptions.Response::readFrom)).isEqualTo(subscriptions);
        assertThat(subscriptions.subscriptions().get(0).lag()).isEqualTo(5);
        assertThat(subscriptions.subscriptions().get(0).oldestAgeMs()).isEqualTo(1200);

        DescribeShareGroups.Response groups = new DescribeShareGroups.Response(ResponseStatus.OK, List.of(
                new DescribeShareGroups.ShareGroup("jobs", 2, "DLQ.jobs", 7, List.of(
                        new DescribeShareGroups.PartitionLag(0, 3, 10, 6, 2, 1, 50)))));
        assertThat(roundTrip(groups, DescribeShareGroups.Response::writeTo, DescribeShareGroups.Response::readFrom))
                .isEqualTo(groups);

        DescribeConnections.Response connections = new DescribeConnections.Response(ResponseStatus.OK, List.of(
                new DescribeConnections.Connection("/127.0.0.1:5000", "app", null, List.of(
                        new DescribeConnections.Consumer(1, SubscriptionKind.DURABLE, DestinationType.TOPIC, "prices",
                                "audit", 100)))));
        assertThat(roundTrip(connections, DescribeConnections.Response::writeTo,
                DescribeConnections.Response::readFrom)).isEqualTo(connections);

        PurgeQueue.Response purged = new PurgeQueue.Response(ResponseStatus.OK, 42);
        assertThat(roundTrip(purged, PurgeQueue.Response::writeTo, PurgeQueue.Response::readFrom)).isEqualTo(purged);

        Browse.Request browse = new Browse.Request(DestinationType.QUEUE, "jobs", 1, -1, 1_700_000_000_000L, 10);
        assertThat(roundTrip(browse, Browse.Request::writeTo, Browse.Request::readFrom)).isEqualTo(browse);

        RedriveDeadLetters.Response redriven = new RedriveDeadLetters.Response(ResponseStatus.OK,
                List.of(new RedriveDeadLetters.Moved("jobs", 3)), 1);
        assertThat(roundTrip(redriven, RedriveDeadLetters.Response::writeTo, RedriveDeadLetters.Response::readFrom))
                .isEqualTo(redriven);

        Rewind.Request rewind = new Rewind.Request(Rewind.Target.SUBSCRIPTION, "app", "audit", -1, 0, -1);
        assertThat(roundTrip(rewind, Rewind.Request::writeTo, Rewind.Request::readFrom)).isEqualTo(rewind);
        Rewind.Response rewound = new Rewind.Response(ResponseStatus.OK, List.of(new Rewind.Position(0, 0)));
        assertThat(roundTrip(rewound, Rewind.Response::writeTo, Rewind.Response::readFrom)).isEqualTo(rewound);
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
        assertThat(ApiKey.PRODUCE.isAdmin()).isFalse();
        assertThat(ApiKey.forId(ApiKey.ADMIN_BROWSE.id)).isEqualTo(ApiKey.ADMIN_BROWSE);
    }
}
