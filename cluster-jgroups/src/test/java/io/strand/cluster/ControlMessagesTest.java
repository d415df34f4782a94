package io.strand.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strand.cluster.controller.AlterIsrRequest;
import io.strand.cluster.controller.BrokerRegistrationRequest;
import io.strand.cluster.controller.ControllerError;
import io.strand.cluster.controller.CreateTopicRequest;
import io.strand.cluster.metadata.Endpoint;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ControlMessagesTest {
    private static final List<ControlRequest> EVERY_KIND = List.of(
            new ControlRequest.Register(new BrokerRegistrationRequest("c", 3, -7L,
                    List.of(new Endpoint("client", "127.0.0.1", 61617), new Endpoint("repl", "h", 1)),
                    Optional.of("rack-a"))),
            new ControlRequest.Register(new BrokerRegistrationRequest("c", 4, 9L,
                    List.of(new Endpoint("client", "h", 2)), Optional.empty())),
            new ControlRequest.AlterIsr(List.of(new AlterIsrRequest(1, "orders", 2, 3, 4, List.of(1, 5)),
                    new AlterIsrRequest(1, "$xa", 0, 7, 9, List.of(1, 2, 3), Map.of(2, 11L, 3, -4L)))),
            new ControlRequest.AlterIsr(List.of()),
            new ControlRequest.CreateTopic(new CreateTopicRequest("orders", 3, 2, Map.of("a", "1", "b", "2"))),
            new ControlRequest.DeleteTopic("orders"),
            new ControlRequest.AlterTopicConfig("orders", Map.of("min.insync.replicas", "3", "b", "2")),
            new ControlRequest.CreatePartitions("orders", 12),
            new ControlRequest.Reassign("orders", 1, List.of(4, 2)),
            new ControlRequest.MoveActive(3),
            new ControlRequest.RebalanceLeaders(),
            new ControlRequest.ConfirmActive(2));

    @Test
    void everyRequestKindDecodesToItself() {
        long id = 1;
        for (ControlRequest request : EVERY_KIND) {
            byte[] bytes = ControlMessages.encodeRequest(id, request);
            assertThat(ControlMessages.decode(bytes, 0, bytes.length))
                    .isEqualTo(new ControlMessages.Request(id++, request));
        }
    }

    @Test
    void aResponseCarriesItsErrorCode() {
        byte[] bytes = ControlMessages.encodeResponse(42, ControllerError.STALE_PARTITION_EPOCH.code(), "stale");

        ControlMessages.Response response = (ControlMessages.Response) ControlMessages.decode(bytes, 0, bytes.length);

        assertThat(response.requestId()).isEqualTo(42);
        assertThat(response.error()).contains(ControllerError.STALE_PARTITION_EPOCH);
        assertThat(response.message()).isEqualTo("stale");
    }

    @Test
    void anAnswerNamesTheItemsRefusedByTheirIndex() {
        List<ControlMessages.ItemRefusal> refused = List.of(
                new ControlMessages.ItemRefusal(3, ControllerError.INVALID_ISR.code(), "adds broker 2, which is fenced"),
                new ControlMessages.ItemRefusal(7, ControllerError.STALE_PARTITION_EPOCH.code(), "stale"));
        byte[] bytes = ControlMessages.encodeResponse(42, ControlMessages.OK, "done", refused);

        ControlMessages.Response response = (ControlMessages.Response) ControlMessages.decode(bytes, 0, bytes.length);

        assertThat(response.error()).isEmpty();
        assertThat(response.refusedItems()).isEqualTo(refused);
        assertThat(response.refusedItems().get(0).error()).isEqualTo(ControllerError.INVALID_ISR);
        for (int length = 0; length < bytes.length; length++) {
            int cut = length;
            assertThatThrownBy(() -> ControlMessages.decode(bytes, 0, cut)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void everyTruncationIsRefused() {
        for (ControlRequest request : EVERY_KIND) {
            byte[] bytes = ControlMessages.encodeRequest(7, request);
            for (int length = 0; length < bytes.length; length++) {
                int cut = length;
                assertThatThrownBy(() -> ControlMessages.decode(bytes, 0, cut))
                        .isInstanceOf(IllegalArgumentException.class);
            }
        }
    }

    @Test
    void foreignBytesAndLeftoversAreRefusedWithTheReason() {
        byte[] bytes = ControlMessages.encodeRequest(7, new ControlRequest.RebalanceLeaders());
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 2);
        byte[] foreign = bytes.clone();
        foreign[0] = 0;

        assertThatThrownBy(() -> ControlMessages.decode(longer, 0, longer.length))
                .hasMessageContaining("2 bytes left over");
        assertThatThrownBy(() -> ControlMessages.decode(foreign, 0, foreign.length))
                .hasMessageContaining("not a Strand control message");
    }
}
