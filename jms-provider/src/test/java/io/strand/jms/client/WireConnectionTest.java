package io.strand.jms.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.strand.protocol.ApiKey;
import io.strand.protocol.Consumers;
import io.strand.protocol.Destinations;
import io.strand.protocol.DestinationType;
import io.strand.protocol.ErrorCode;
import io.strand.protocol.FrameHeader;
import io.strand.protocol.FrameReader;
import io.strand.protocol.Handshake;
import io.strand.protocol.ResponseStatus;
import io.strand.protocol.Shares;
import io.strand.protocol.StatusResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client pipeline against Netty's EmbeddedChannel: framing, correlation, pushes, failure. */
class WireConnectionTest {
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final WireConnection wire = new WireConnection(channel, "test://broker");
    private final List<ConnectionLostException> failures = new ArrayList<>();

    WireConnectionTest() {
        ClientHandler.install(channel.pipeline(), wire, ClientOptions.defaults());
        wire.onFailure(failures::add);
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    /** The next request the client wrote: header and body reader. */
    private FrameHeader nextRequest() {
        final ByteBuf frame = channel.readOutbound();
        assertThat(frame).as("a request was written").isNotNull();
        try {
            assertThat(frame.readInt()).isEqualTo(frame.readableBytes());
            return FrameHeader.read(new FrameReader(frame));
        } finally {
            frame.release();
        }
    }

    private void answer(ApiKey api, int correlationId, Consumer<ByteBuf> body) {
        final ByteBuf out = Unpooled.buffer();
        final int start = new FrameHeader(api.id, (short) 0, correlationId).begin(out);
        body.accept(out);
        FrameHeader.finish(out, start);
        channel.writeInbound(out);
    }

    private CompletableFuture<Destinations.MetadataResponse> metadata(String name) {
        return wire.send(ApiKey.METADATA, new Destinations.MetadataRequest(DestinationType.TOPIC, name, true)::writeTo,
                Destinations.MetadataResponse::readFrom, Destinations.MetadataResponse::status);
    }

    @Test
    void shouldMatchPipelinedResponsesByCorrelationId() {
        final CompletableFuture<Destinations.MetadataResponse> a = metadata("a");
        final CompletableFuture<Destinations.MetadataResponse> b = metadata("b");
        final FrameHeader ha = nextRequest();
        final FrameHeader hb = nextRequest();
        assertThat(ha.correlationId()).isNotEqualTo(hb.correlationId()).isNotZero();
        assertThat(hb.apiKey()).isEqualTo(ApiKey.METADATA.id);
        // answered out of order
        answer(ApiKey.METADATA, hb.correlationId(), out -> new Destinations.MetadataResponse(ResponseStatus.OK,
                new Destinations.Info(DestinationType.TOPIC, "b", 3)).writeTo(out));
        assertThat(a).isNotDone();
        assertThat(b.join().destination().partitions()).isEqualTo(3);
        answer(ApiKey.METADATA, ha.correlationId(), out -> new Destinations.MetadataResponse(ResponseStatus.OK,
                new Destinations.Info(DestinationType.TOPIC, "a", 1)).writeTo(out));
        assertThat(a.join().destination().name()).isEqualTo("a");
        assertThat(wire.inFlight()).isZero();
    }

    @Test
    void shouldFailTheRequestWithBrokerExceptionOnErrorStatus() {
        final CompletableFuture<Destinations.MetadataResponse> f = metadata("bad name");
        final FrameHeader h = nextRequest();
        answer(ApiKey.METADATA, h.correlationId(), out -> new StatusResponse(
                ResponseStatus.of(ErrorCode.INVALID_DESTINATION, "bad name")).writeTo(out));
        assertThatThrownBy(f::get).isInstanceOf(ExecutionException.class).cause()
                .isInstanceOf(BrokerException.class).hasMessageContaining("bad name");
        assertThat(failures).isEmpty(); // an error answer is not a connection failure
    }

    @Test
    void shouldRoutePushesByConsumerId() {
        final List<Long> one = new ArrayList<>();
        final List<Long> two = new ArrayList<>();
        wire.registerConsumer(1, d -> one.add(d.fromOffset()));
        wire.registerConsumer(2, d -> two.add(d.fromOffset()));
        push(2, 10);
        push(1, 20);
        push(3, 30); // no such consumer (closed meanwhile): ignored
        wire.unregisterConsumer(1);
        push(1, 40);
        assertThat(one).containsExactly(20L);
        assertThat(two).containsExactly(10L);
        assertThat(failures).isEmpty();
    }

    @Test
    void shouldRouteSharePushesToQueueReceiversAndFailOnSharePushToTopicSubscriber() {
        final List<List<Shares.AcquiredRange>> acquired = new ArrayList<>();
        wire.registerConsumer(1, new WireConnection.PushHandler() {
            @Override
            public void onDeliver(Consumers.Deliver deliver) {
                throw new AssertionError("not a topic subscriber");
            }

            @Override
            public void onShareDeliver(Shares.Deliver deliver) {
                acquired.add(deliver.acquired());
            }
        });
        wire.registerConsumer(2, d -> { }); // a topic subscriber
        sharePush(1, new Shares.AcquiredRange(4, 6, (short) 2));
        assertThat(acquired).containsExactly(List.of(new Shares.AcquiredRange(4, 6, (short) 2)));
        assertThat(failures).isEmpty();
        sharePush(2, new Shares.AcquiredRange(0, 0, (short) 1));
        assertThat(failures).singleElement().extracting(Throwable::getMessage).asString()
                .contains("SHARE_DELIVER pushed to consumer 2, which is not a queue receiver");
    }

    private void sharePush(int consumerId, Shares.AcquiredRange range) {
        final ByteBuf records = Unpooled.wrappedBuffer(new byte[] {1, 2, 3});
        final Shares.Deliver deliver = new Shares.Deliver(consumerId, 0, List.of(range), records);
        answer(ApiKey.SHARE_DELIVER, 0, out -> {
            deliver.writeHeaderTo(out, 3);
            out.writeBytes(records);
        });
    }

    private void push(int consumerId, long fromOffset) {
        final ByteBuf records = Unpooled.wrappedBuffer(new byte[] {1, 2, 3});
        answer(ApiKey.DELIVER, 0, out -> {
            new Consumers.Deliver(consumerId, 0, fromOffset, records).writeHeaderTo(out, 3, (short) 0);
            out.writeBytes(records);
        });
    }

    @Test
    void shouldFailConnectionOnMalformedFrameAndFailRequestsInFlight() {
        final CompletableFuture<Destinations.MetadataResponse> pending = metadata("a");
        nextRequest();
        answer(ApiKey.DELIVER, 0, out -> out.writeInt(1)); // a push cut short
        assertThat(failures).hasSize(1);
        assertThat(failures.get(0).getMessage()).contains("test://broker sent a malformed frame");
        assertThat(pending).isCompletedExceptionally();
        assertThat(channel.isOpen()).isFalse();
        assertThat(metadata("later")).isCompletedExceptionally(); // fails at once after the failure
    }

    @Test
    void shouldFailConnectionOnResponseNoRequestWaitsFor() {
        answer(ApiKey.METADATA, 99, out -> new StatusResponse(ResponseStatus.OK).writeTo(out));
        assertThat(failures).singleElement().extracting(Throwable::getMessage).asString()
                .contains("correlation id 99, which no request in flight has");
    }

    @Test
    void shouldFailConnectionOnBadFrameLength() {
        channel.writeInbound(Unpooled.buffer().writeInt(-5));
        assertThat(failures).singleElement().extracting(Throwable::getMessage).asString()
                .contains("malformed frame").contains("frame length -5");
    }

    @Test
    void shouldFailConnectionOnPushOfAnotherApi() {
        answer(ApiKey.PRODUCE, 0, out -> { });
        assertThat(failures).singleElement().extracting(Throwable::getMessage).asString()
                .contains("only DELIVER and SHARE_DELIVER are pushed");
    }

    @Test
    void shouldTellFailureOnceWhenChannelCloses() {
        channel.close();
        wire.close();
        assertThat(failures).hasSize(1);
        assertThat(failures.get(0).getMessage()).contains("closed");
    }

    @Test
    void shouldSendHeartbeatWhenIdleAndFailAfterThreeUnanswered() {
        wire.onIdle();
        final FrameHeader first = nextRequest();
        assertThat(first.apiKey()).isEqualTo(ApiKey.HEARTBEAT.id);
        answer(ApiKey.HEARTBEAT, first.correlationId(), out -> new StatusResponse(ResponseStatus.OK).writeTo(out));
        for (int i = 0; i < WireConnection.MAX_MISSED_HEARTBEATS; i++) {
            wire.onIdle();
            assertThat(nextRequest().apiKey()).isEqualTo(ApiKey.HEARTBEAT.id);
        }
        assertThat(failures).isEmpty();
        wire.onIdle();
        assertThat(failures).singleElement().extracting(Throwable::getMessage).asString()
                .contains("did not answer 3 heartbeats");
    }

    @Test
    void shouldNotSendHeartbeatsWhileTheBrokerHoldsTheFirstHandshake() {
        final CompletableFuture<Handshake.Response> answered = ClusterConnector.handshake(wire,
                new Handshake.Request(Handshake.MIN_VERSION, Handshake.MAX_VERSION, null, "test"));
        final FrameHeader handshake = nextRequest();
        for (int i = 0; i < 2 * WireConnection.MAX_MISSED_HEARTBEATS; i++) {
            wire.onIdle();
        }
        assertThat((Object) channel.readOutbound()).as("no heartbeat behind the held handshake").isNull();
        assertThat(failures).isEmpty();

        answer(ApiKey.HANDSHAKE, handshake.correlationId(), out -> new Handshake.Response(ResponseStatus.OK,
                Handshake.MAX_VERSION, 1, "broker").writeTo(out));
        assertThat(answered).isCompleted();
        wire.onIdle();
        assertThat(nextRequest().apiKey()).as("heartbeats once the broker answered").isEqualTo(ApiKey.HEARTBEAT.id);
    }

    @Test
    void shouldCountAnyFrameFromTheBrokerAsAliveness() {
        for (int i = 0; i < WireConnection.MAX_MISSED_HEARTBEATS; i++) {
            wire.onIdle();
            nextRequest();
        }
        final CompletableFuture<Destinations.MetadataResponse> f = metadata("m");
        final FrameHeader h = nextRequest();
        answer(ApiKey.METADATA, h.correlationId(), out -> new Destinations.MetadataResponse(ResponseStatus.OK,
                new Destinations.Info(DestinationType.TOPIC, "m", 1)).writeTo(out));
        assertThat(f).isCompleted();
        wire.onIdle();
        assertThat(failures).isEmpty(); // a slow heartbeat answer behind a metadata answer is no lost connection
    }

    @Test
    void shouldAnswerTheBrokersHeartbeat() {
        answer(ApiKey.HEARTBEAT, 5, out -> { });
        final ByteBuf frame = channel.readOutbound();
        frame.readInt();
        final FrameReader in = new FrameReader(frame);
        final FrameHeader h = FrameHeader.read(in);
        assertThat(h.correlationId()).isEqualTo(5);
        assertThat(StatusResponse.readFrom(in).status().isOk()).isTrue();
        frame.release();
    }

    @Test
    void shouldFailRequestWhoseBodyCannotBeWritten() {
        final CompletableFuture<StatusResponse> f = wire.sendForStatus(ApiKey.UNSUBSCRIBE,
                new Consumers.UnsubscribeRequest("x".repeat(40_000))::writeTo);
        assertThat(f).isCompletedExceptionally();
        assertThat((Object) channel.readOutbound()).isNull();
        assertThat(wire.inFlight()).isZero();
    }
}
