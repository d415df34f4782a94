package io.strand.cluster.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The codec over random records: round trips, and every truncation or corruption fails cleanly. */
class MetadataCodecPropertyTest {

    @Property(tries = 300)
    void everyRecordDecodesToItself(@ForAll long seed) {
        MetadataRecord record = MetadataRecords.any(new Random(seed));

        assertThat(MetadataCodec.decode(MetadataCodec.encode(record))).isEqualTo(record);
    }

    @Property(tries = 200)
    void aBatchDecodesToTheSameRecordsInOrder(@ForAll long seed, @ForAll @IntRange(max = 20) int size) {
        Random random = new Random(seed);
        List<MetadataRecord> records = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            records.add(MetadataRecords.any(random));
        }
        byte[] batch = MetadataCodec.encodeBatch(records);

        assertThat(MetadataCodec.decodeBatch(batch, 0, batch.length)).containsExactlyElementsOf(records);
    }

    @Property(tries = 300)
    void everyTruncationOfARecordIsRefusedWithAClearError(@ForAll long seed) {
        byte[] encoded = MetadataCodec.encode(MetadataRecords.any(new Random(seed)));
        for (int length = 0; length < encoded.length; length++) {
            int cut = length;
            assertThatThrownBy(() -> MetadataCodec.decode(encoded, 0, cut))
                    .isInstanceOf(MetadataFormatException.class)
                    .hasMessageContaining("at byte");
        }
    }

    @Property(tries = 300)
    void aCorruptedRecordEitherDecodesOrFailsAsMalformed(@ForAll long seed) {
        Random random = new Random(seed);
        byte[] encoded = MetadataCodec.encode(MetadataRecords.any(random));
        encoded[random.nextInt(encoded.length)] ^= (byte) (1 + random.nextInt(255));
        try {
            MetadataRecord decoded = MetadataCodec.decode(encoded);
            // A flipped value byte may still be a valid record; then it must round-trip like any other.
            assertThat(MetadataCodec.decode(MetadataCodec.encode(decoded))).isEqualTo(decoded);
        } catch (MetadataFormatException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }
}
