package io.strand.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ProtocolMessagesTest {
    private static <T> T roundTrip(T message, BiConsumer<T, ByteBuf> write, Function<FrameReader, T> read) {
        ByteBuf out = Unpooled.buffer();
        write.accept(message, out);
        return read.apply(new FrameReader(out));
    }

    @Test
    void shouldRoundTripEveryRequestAndResponse() {
        Handshake.Request hello = new Handshake.Request((short) 0, (short) 0, "client-1", "strand-test");
        assertThat(roundTrip(hello, Handshake.Request::writeTo, Handshake.Request::readFrom)).isEqualTo(hello);
        Handshake.Response welcome = new Handshake.Response(ResponseStatus.OK, (short) 0, 1, "strand");
        assertThat(roundTrip(welcome, Handshake.Response::writeTo, Handshake.Response::readFrom)).isEqualTo(welcome);

        Produce.Response produced = new Produce.Response(ResponseStatus.of(ErrorCode.STORAGE_ERROR, "disk full"), -1);
        assertThat(roundTrip(produced, Produce.Response::writeTo, Produce.Response::readFrom)).isEqualTo(produced);

        Destinations.ListResponse listed = new Destinations.ListResponse(ResponseStatus.OK, List.of(
                new Destinations.Info(DestinationType.QUEUE, "orders", 1),
                new Destinations.Info(DestinationType.TOPIC, "prices", 4)));
        assertThat(roundTrip(listed, Destinations.ListResponse::writeTo, Destinations.ListResponse::readFrom))
                .isEqualTo(listed);
        Destinations.MetadataRequest metadata = new Destinations.MetadataRequest(DestinationType.TOPIC, "prices", true);
        assertThat(roundTrip(metadata, Destinations.MetadataRequest::writeTo, Destinations.MetadataRequest::readFrom))
                .isEqualTo(metadata);

        Consumers.OpenRequest open = new Consumers.OpenRequest(7, DestinationType.TOPIC, "prices",
                SubscriptionKind.DURABLE, "audit", "price > 10", true, 1000, 4);
        assertThat(roundTrip(open, (r, out) -> r.writeTo(out, Handshake.MAX_VERSION),
                in -> Consumers.OpenRequest.readFrom(in, Handshake.MAX_VERSION))).isEqualTo(open);
        // Before sessions were named, the same request travels without its session.
        short beforeSessions = Consumers.OpenRequest.SESSION_VERSION - 1;
        assertThat(roundTrip(open, (r, out) -> r.writeTo(out, beforeSessions),
                in -> Consumers.OpenRequest.readFrom(in, beforeSessions)))
                .isEqualTo(new Consumers.OpenRequest(7, DestinationType.TOPIC, "prices", SubscriptionKind.DURABLE,
                        "audit", "price > 10", true, 1000));
        Consumers.AcknowledgeRequest ack = new Consumers.AcknowledgeRequest(7, 2, 12345L);
        assertThat(roundTrip(ack, Consumers.AcknowledgeRequest::writeTo, Consumers.AcknowledgeRequest::readFrom))
                .isEqualTo(ack);
    }

    @Test
    void aCreateRequestCarriesTheDestinationsSettingsFromVersionFiveOn() {
        Destinations.CreateRequest replicated = new Destinations.CreateRequest(DestinationType.QUEUE, "orders", 3,
                false, Map.of(Destinations.REPLICATION_FACTOR, "3", Destinations.MIN_INSYNC_REPLICAS, "2"));
        assertThat(roundTrip(replicated, (r, out) -> r.writeTo(out, Destinations.SETTINGS_VERSION),
                in -> Destinations.CreateRequest.readFrom(in, Destinations.SETTINGS_VERSION))).isEqualTo(replicated);
        assertThatThrownBy(() -> replicated.writeTo(Unpooled.buffer(), (short) 4))
                .hasMessageContaining("protocol version 4 cannot carry the settings")
                .hasMessageContaining("min.insync.replicas");

        // An older client's request, without settings, reads as it always did.
        short before = Destinations.SETTINGS_VERSION - 1;
        Destinations.CreateRequest plain = new Destinations.CreateRequest(DestinationType.TOPIC, "prices", 0, false);
        ByteBuf old = Unpooled.buffer();
        plain.writeTo(old, before);
        assertThat(old.readableBytes()).isEqualTo(1 + 2 + "prices".length() + 4 + 1);
        assertThat(Destinations.CreateRequest.readFrom(new FrameReader(old), before)).isEqualTo(plain);
        assertThat(roundTrip(plain, (r, out) -> r.writeTo(out, Handshake.MAX_VERSION),
                in -> Destinations.CreateRequest.readFrom(in, Handshake.MAX_VERSION))).isEqualTo(plain);

        // A temporary destination takes no settings, and its request is the same bytes in every version.
        Destinations.CreateRequest temporary = new Destinations.CreateRequest(DestinationType.QUEUE, "_tmp.c.1", 1,
                true);
        ByteBuf current = Unpooled.buffer();
        ByteBuf older = Unpooled.buffer();
        temporary.writeTo(current, Handshake.MAX_VERSION);
        temporary.writeTo(older, before);
        assertThat(ByteBufUtil.getBytes(current)).isEqualTo(ByteBufUtil.getBytes(older));
        assertThat(Destinations.CreateRequest.readFrom(new FrameReader(current), Handshake.MAX_VERSION))
                .isEqualTo(temporary);
        assertThatThrownBy(() -> new Destinations.CreateRequest(DestinationType.QUEUE, "_tmp.c.2", 1, true,
                Map.of(Destinations.REPLICATION_FACTOR, "2"))).hasMessageContaining("takes no settings");
    }

    @Test
    void aReopenedNonDurableSubscriberSaysWhereItResumesAndAnOpenAnswersWhereItStarts() {
        Consumers.OpenRequest first = new Consumers.OpenRequest(9, DestinationType.TOPIC, "ticks",
                SubscriptionKind.NON_DURABLE, null, null, false, 500, 2);
        Consumers.OpenRequest again = first.reopening(250, true, List.of(new Consumers.PartitionOffset(0, 41),
                new Consumers.PartitionOffset(3, 7)));
        assertThat(roundTrip(again, (r, out) -> r.writeTo(out, Consumers.OpenRequest.RESUME_VERSION),
                in -> Consumers.OpenRequest.readFrom(in, Consumers.OpenRequest.RESUME_VERSION))).isEqualTo(again);
        assertThat(roundTrip(first, (r, out) -> r.writeTo(out, Consumers.OpenRequest.RESUME_VERSION),
                in -> Consumers.OpenRequest.readFrom(in, Consumers.OpenRequest.RESUME_VERSION))).isEqualTo(first);
        short before = Consumers.OpenRequest.RESUME_VERSION - 1;
        assertThat(roundTrip(first, (r, out) -> r.writeTo(out, before),
                in -> Consumers.OpenRequest.readFrom(in, before))).isEqualTo(first);
        assertThatThrownBy(() -> again.writeTo(Unpooled.buffer(), before))
                .hasMessageContaining("resume positions need protocol version 6");

        // Only a non-durable subscriber resumes from positions of its own: the others' state is the broker's.
        ByteBuf durable = Unpooled.buffer();
        new Consumers.OpenRequest(9, DestinationType.TOPIC, "ticks", SubscriptionKind.DURABLE, "audit", null, false,
                500, 2, true, List.of(new Consumers.PartitionOffset(0, 41))).writeTo(durable,
                Consumers.OpenRequest.RESUME_VERSION);
        assertThatThrownBy(() -> Consumers.OpenRequest.readFrom(new FrameReader(durable),
                Consumers.OpenRequest.RESUME_VERSION)).isInstanceOf(MalformedFrameException.class)
                .hasMessageContaining("DURABLE consumer has resume positions");
        ByteBuf negative = Unpooled.buffer();
        first.reopening(1, true, List.of(new Consumers.PartitionOffset(0, -5))).writeTo(negative,
                Consumers.OpenRequest.RESUME_VERSION);
        assertThatThrownBy(() -> Consumers.OpenRequest.readFrom(new FrameReader(negative),
                Consumers.OpenRequest.RESUME_VERSION)).isInstanceOf(MalformedFrameException.class)
                .hasMessageContaining("resume positions name partition 0 at offset -5");

        // A consumer of a non-durable shared subscription resumes the subscription the broker kept, without positions.
        Consumers.OpenRequest shared = new Consumers.OpenRequest(9, DestinationType.TOPIC, "ticks",
                SubscriptionKind.SHARED, "dashboard", null, false, 500, 2).reopening(500, true, List.of());
        assertThat(roundTrip(shared, (r, out) -> r.writeTo(out, Consumers.OpenRequest.RESUME_VERSION),
                in -> Consumers.OpenRequest.readFrom(in, Consumers.OpenRequest.RESUME_VERSION))).isEqualTo(shared);
        ByteBuf queue = Unpooled.buffer();
        new Consumers.OpenRequest(9, DestinationType.QUEUE, "orders", SubscriptionKind.QUEUE, null, null, false, 500, 2)
                .reopening(500, true, List.of()).writeTo(queue, Consumers.OpenRequest.RESUME_VERSION);
        assertThatThrownBy(() -> Consumers.OpenRequest.readFrom(new FrameReader(queue),
                Consumers.OpenRequest.RESUME_VERSION)).isInstanceOf(MalformedFrameException.class)
                .hasMessageContaining("QUEUE consumer resumes");

        Consumers.OpenResponse started = new Consumers.OpenResponse(ResponseStatus.OK,
                List.of(new Consumers.PartitionOffset(0, 41), new Consumers.PartitionOffset(1, 0)));
        assertThat(roundTrip(started, (r, out) -> r.writeTo(out, Handshake.MAX_VERSION),
                in -> Consumers.OpenResponse.readFrom(in, Handshake.MAX_VERSION))).isEqualTo(started);
        // An older client reads a bare status, and a refusal is a bare status in every version: the generic error.
        ByteBuf older = Unpooled.buffer();
        started.writeTo(older, before);
        assertThat(StatusResponse.readFrom(new FrameReader(older))).isEqualTo(new StatusResponse(ResponseStatus.OK));
        ResponseStatus refused = ResponseStatus.of(ErrorCode.UNKNOWN_DESTINATION, "no topic ticks");
        ByteBuf refusal = Unpooled.buffer();
        new StatusResponse(refused).writeTo(refusal);
        assertThat(Consumers.OpenResponse.readFrom(new FrameReader(refusal), Handshake.MAX_VERSION))
                .isEqualTo(new Consumers.OpenResponse(refused, List.of()));
    }

    @Test
    void aSettingGivenTwiceIsMalformed() {
        ByteBuf twice = Unpooled.buffer();
        new Destinations.CreateRequest(DestinationType.QUEUE, "orders", 1, false).writeTo(twice, (short) 4);
        twice.writeShort(2);
        for (int i = 0; i < 2; i++) {
            FrameWriter.writeNullableString(twice, Destinations.MIN_INSYNC_REPLICAS);
            FrameWriter.writeNullableString(twice, "2");
        }
        assertThatThrownBy(() -> Destinations.CreateRequest.readFrom(new FrameReader(twice),
                Destinations.SETTINGS_VERSION)).isInstanceOf(MalformedFrameException.class)
                .hasMessageContaining("setting min.insync.replicas is given twice");
    }

    @Test
    void shouldRoundTripShareAcknowledgementsAndDeliveries() {
        Shares.AcknowledgeRequest ack = new Shares.AcknowledgeRequest(3, 1, List.of(
                new Shares.AckRange(10, 12, Shares.AckType.ACCEPT), new Shares.AckRange(13, 13, Shares.AckType.RELEASE),
                new Shares.AckRange(20, 25, Shares.AckType.REJECT)));
        assertThat(roundTrip(ack, Shares.AcknowledgeRequest::writeTo, Shares.AcknowledgeRequest::readFrom)).isEqualTo(ack);

        Shares.Deliver deliver = new Shares.Deliver(3, 1, List.of(new Shares.AcquiredRange(10, 12, (short) 1),
                new Shares.AcquiredRange(14, 14, (short) 3)), Unpooled.wrappedBuffer(new byte[] {7, 7}));
        ByteBuf out = Unpooled.buffer();
        deliver.writeHeaderTo(out, 2);
        assertThat(out.readableBytes()).isEqualTo(deliver.headerBytes());
        out.writeBytes(new byte[] {7, 7});
        Shares.Deliver read = Shares.Deliver.readFrom(new FrameReader(out));
        assertThat(read.acquired()).isEqualTo(deliver.acquired());
        assertThat(ByteBufUtil.getBytes(read.records())).containsExactly(7, 7);

        ByteBuf backwards = Unpooled.buffer().writeInt(1).writeInt(0).writeInt(1).writeLong(9).writeLong(5).writeByte(0);
        assertThatThrownBy(() -> Shares.AcknowledgeRequest.readFrom(new FrameReader(backwards)))
                .isInstanceOf(MalformedFrameException.class).hasMessageContaining("9..5");
    }

    @Test
    void shouldCarryRecordsAsASliceOfTheFrame() {
        ByteBuf records = Unpooled.wrappedBuffer(new byte[] {1, 2, 3, 4});
        Produce.Request request = new Produce.Request(DestinationType.QUEUE, "orders", 0, true, records);
        ByteBuf out = Unpooled.buffer();
        request.writeTo(out);

        Produce.Request read = Produce.Request.readFrom(new FrameReader(out));
        assertThat(ByteBufUtil.getBytes(read.records())).containsExactly(1, 2, 3, 4);
    }

    @Test
    void shouldRejectUnknownEnumValuesAndBadCredit() {
        ByteBuf badType = Unpooled.buffer().writeByte(9);
        assertThatThrownBy(() -> Destinations.DeleteRequest.readFrom(new FrameReader(badType)))
                .isInstanceOf(MalformedFrameException.class).hasMessageContaining("destination type 9");
        ByteBuf zeroCredit = Unpooled.buffer().writeInt(1).writeInt(0);
        assertThatThrownBy(() -> Consumers.CreditRequest.readFrom(new FrameReader(zeroCredit)))
                .isInstanceOf(MalformedFrameException.class).hasMessageContaining("must be positive");
        assertThat(ErrorCode.forCode((short) 999)).isEqualTo(ErrorCode.UNKNOWN_SERVER_ERROR);
        assertThat(ApiKey.forId((short) 999)).isNull();
        assertThat(ApiKey.forId(ApiKey.PRODUCE.id)).isEqualTo(ApiKey.PRODUCE);
    }
}
