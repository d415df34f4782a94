package io.strand.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strand.cluster.metadata.Endpoint;
import io.strand.cluster.metadata.FenceBroker;
import io.strand.cluster.metadata.MetadataCodec;
import io.strand.cluster.metadata.MetadataStateMachine;
import io.strand.cluster.metadata.RegisterBroker;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RaftMetadataStateMachineTest {
    private final MetadataStateMachine metadata = new MetadataStateMachine();
    private final RaftMetadataStateMachine adapter = new RaftMetadataStateMachine(metadata);

    private static byte[] batch(Object... records) {
        return MetadataCodec.encodeBatch(java.util.Arrays.stream(records)
                .map(io.strand.cluster.metadata.MetadataRecord.class::cast).toList());
    }

    private static RegisterBroker broker(int id) {
        return new RegisterBroker(id, id, List.of(new Endpoint("client", "127.0.0.1", 9000 + id)), Optional.empty());
    }

    @Test
    void anAppliedBatchIsAnsweredAsApplied() {
        byte[] response = adapter.apply(batch(broker(1)), 0, batch(broker(1)).length, true);

        assertThat(RaftMetadataStateMachine.refusal(response)).isEmpty();
        assertThat(metadata.image().liveBrokerIds()).containsExactly(1);
    }

    @Test
    void aRefusedOrMalformedBatchIsAnsweredWithTheReasonAndChangesNothing() {
        byte[] refused = batch(new FenceBroker(4));
        byte[] malformed = {1, 2, 3};

        assertThat(RaftMetadataStateMachine.refusal(adapter.apply(refused, 0, refused.length, true)))
                .isEqualTo("broker 4 is not registered");
        assertThat(RaftMetadataStateMachine.refusal(adapter.apply(malformed, 0, malformed.length, true)))
                .contains("record count");
        assertThat(metadata.image().brokers()).isEmpty();
    }

    @Test
    void aSnapshotWrittenForRaftLoadsIntoAnotherNode() throws IOException {
        byte[] records = batch(broker(1), broker(2), new FenceBroker(2));
        adapter.apply(records, 0, records.length, true);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        adapter.writeContentTo(new DataOutputStream(bytes));

        MetadataStateMachine other = new MetadataStateMachine();
        new RaftMetadataStateMachine(other).readContentFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));

        assertThat(other.image()).isEqualTo(metadata.image());
    }

    @Test
    void aSnapshotWithAnImpossibleLengthIsRefused() {
        byte[] corrupt = {(byte) 0xff, 0, 0, 0};

        assertThatThrownBy(() -> adapter.readContentFrom(new DataInputStream(new ByteArrayInputStream(corrupt))))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("metadata snapshot length");
    }
}
