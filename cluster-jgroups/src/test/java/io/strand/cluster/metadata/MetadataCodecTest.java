package io.strand.cluster.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MetadataCodecTest {

    @Test
    void shouldRefuseAnUnknownVersion() {
        byte[] encoded = MetadataCodec.encode(new FenceBroker(3));
        encoded[0] = 2;

        assertThatThrownBy(() -> MetadataCodec.decode(encoded))
                .isInstanceOf(MetadataFormatException.class)
                .hasMessageContaining("record version 2 is not supported");
    }

    @Test
    void shouldRefuseAnUnknownType() {
        byte[] encoded = MetadataCodec.encode(new FenceBroker(3));
        encoded[1] = 42;

        assertThatThrownBy(() -> MetadataCodec.decode(encoded))
                .isInstanceOf(MetadataFormatException.class)
                .hasMessageContaining("unknown record type 42");
    }

    @Test
    void shouldRefuseBytesLeftOver() {
        byte[] encoded = MetadataCodec.encode(new UnfenceBroker(3));
        byte[] longer = Arrays.copyOf(encoded, encoded.length + 1);

        assertThatThrownBy(() -> MetadataCodec.decode(longer))
                .isInstanceOf(MetadataFormatException.class)
                .hasMessageContaining("1 bytes left over after the record");
    }

    @Test
    void shouldRefuseAStringLongerThanTheInput() {
        byte[] encoded = MetadataCodec.encode(new DeleteTopic("orders"));
        encoded[2] = 0x7f; // the name's length, high byte

        assertThatThrownBy(() -> MetadataCodec.decode(encoded))
                .isInstanceOf(MetadataFormatException.class)
                .hasMessageContaining("is 32518 bytes long, more than the 1024 allowed");
    }

    @Test
    void shouldRefuseAValueTheRecordItselfRefuses() {
        PartitionChange change = new PartitionChange("orders", 0, 1, 0, List.of(1), List.of(1, 2), 0, List.of());
        byte[] encoded = MetadataCodec.encode(change);
        // The leader field follows version, type, the name (2 + 6 bytes) and the partition (4 bytes).
        int leaderOffset = 2 + 2 + 6 + 4;
        encoded[leaderOffset + 3] = 2;

        assertThatThrownBy(() -> MetadataCodec.decode(encoded))
                .isInstanceOf(MetadataFormatException.class)
                .hasMessageContaining("leader 2 of orders-0 is not in its isr [1]");
    }

    @Test
    void shouldRefuseABatchCountThatCannotFit() {
        byte[] batch = MetadataCodec.encodeBatch(List.of(new FenceBroker(1)));
        batch[1] = 0x10;

        assertThatThrownBy(() -> MetadataCodec.decodeBatch(batch, 0, batch.length))
                .isInstanceOf(MetadataFormatException.class)
                .hasMessageContaining("cannot fit");
    }

    @Test
    void shouldNameTheRecordOfABatchThatIsMalformed() {
        byte[] batch = MetadataCodec.encodeBatch(List.of(new FenceBroker(1), new FenceBroker(2)));
        batch[batch.length - 5] = 9; // the second record's type byte

        assertThatThrownBy(() -> MetadataCodec.decodeBatch(batch, 0, batch.length))
                .isInstanceOf(MetadataFormatException.class)
                .hasMessageContaining("record 1 of the batch")
                .hasMessageContaining("unknown record type 9");
    }

    @Test
    void equalConfigsEncodeToEqualBytes() {
        Map<String, String> config = Map.of("a", "1", "b", "2", "c", "3", "d", "4");
        CreateTopic one = new CreateTopic("t", 1, 1, config);
        CreateTopic other = new CreateTopic("t", 1, 1, Map.of("d", "4", "c", "3", "b", "2", "a", "1"));

        assertThat(MetadataCodec.encode(one)).isEqualTo(MetadataCodec.encode(other));
    }

    @Test
    void shouldRefuseToEncodeMoreEndpointsThanAllowed() {
        List<Endpoint> endpoints = new ArrayList<>();
        for (int i = 0; i <= MetadataCodec.MAX_ENDPOINTS; i++) {
            endpoints.add(new Endpoint("l" + i, "h", 1));
        }
        RegisterBroker record = new RegisterBroker(1, 1, endpoints, Optional.empty());

        assertThatThrownBy(() -> MetadataCodec.encode(record))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("17 endpoints are more than the 16 allowed");
    }
}
