package io.strand.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.Random;
import net.jpountz.lz4.LZ4FrameInputStream;
import net.jpountz.lz4.LZ4FrameOutputStream;
import net.jpountz.lz4.LZ4FrameOutputStream.BLOCKSIZE;
import net.jpountz.lz4.LZ4FrameOutputStream.FLG.Bits;
import org.junit.jupiter.api.Test;

/**
 * Our LZ4 frames against the frame format as lz4-java's own stream classes implement it: each side reads what
 * the other writes, so batches stay interchangeable with other writers of the format.
 */
class Lz4FrameTest {
    private static byte[] decodeWithOurReader(byte[] frame, int maxDecompressedBytes) {
        Lz4FrameReader reader = new Lz4FrameReader(maxDecompressedBytes);
        int size = reader.decompress(ByteBuffer.wrap(frame), 0, frame.length);
        return TestRecord.bytes(reader.buffer().slice(0, size));
    }

    private static byte[] encodeWithLz4Java(byte[] content, Bits... features) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (LZ4FrameOutputStream lz4 = new LZ4FrameOutputStream(out, BLOCKSIZE.SIZE_64KB, content.length, features)) {
            lz4.write(content);
        }
        return out.toByteArray();
    }

    @Test
    void shouldStartEveryFrameWithMagicVersionIndependentBlocksAnd64KiBBlockSize() {
        byte[] frame = Lz4Frames.frameOf(new byte[] {1, 2, 3});
        String header = HexFormat.of().formatHex(frame, 0, 6);
        assertThat(header).isEqualTo("04224d18" + "60" + "40");
        byte expectedHc = Lz4Frame.headerChecksum(ByteBuffer.wrap(new byte[] {0x60, 0x40}), 0, 2);
        assertThat(frame[6]).isEqualTo(expectedHc);
        assertThat(HexFormat.of().formatHex(frame, frame.length - 4, frame.length)).as("end mark").isEqualTo("00000000");
    }

    @Test
    void shouldBeReadableByLz4JavasFrameInputStream() throws IOException {
        byte[] content = Batches.textLike(new Random(1), 200_000); // four blocks, the last one partial
        byte[] frame = Lz4Frames.frameOf(content);
        try (InputStream in = new LZ4FrameInputStream(new ByteArrayInputStream(frame))) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
    }

    @Test
    void shouldReadFramesWrittenByLz4JavasFrameOutputStreamWithEveryOptionalField() throws IOException {
        byte[] content = Batches.textLike(new Random(2), 150_000);
        assertThat(decodeWithOurReader(encodeWithLz4Java(content, Bits.BLOCK_INDEPENDENCE), 1 << 20))
                .isEqualTo(content);
        assertThat(decodeWithOurReader(encodeWithLz4Java(content, Bits.BLOCK_INDEPENDENCE, Bits.BLOCK_CHECKSUM,
                Bits.CONTENT_SIZE, Bits.CONTENT_CHECKSUM), 1 << 20)).isEqualTo(content);
    }

    @Test
    void shouldStoreIncompressibleBlocksRawAndStayWithinTheBound() {
        byte[] random = new byte[100_000];
        new Random(3).nextBytes(random);
        byte[] frame = Lz4Frames.frameOf(random);
        int firstBlockSize = Integer.reverseBytes(ByteBuffer.wrap(frame).getInt(Lz4Frame.HEADER_SIZE));
        assertThat(firstBlockSize & Lz4Frame.UNCOMPRESSED_FLAG).as("stored flag").isNotZero();
        assertThat(firstBlockSize & ~Lz4Frame.UNCOMPRESSED_FLAG).isEqualTo(Lz4Frame.BLOCK_SIZE);
        assertThat(frame.length).isLessThanOrEqualTo(Lz4Frame.maxFrameSize(random.length));
        assertThat(decodeWithOurReader(frame, 1 << 20)).isEqualTo(random);
    }

    @Test
    void shouldRoundTripAnEmptyContentAndExactBlockMultiples() {
        for (int size : new int[] {0, 1, Lz4Frame.BLOCK_SIZE, 2 * Lz4Frame.BLOCK_SIZE}) {
            byte[] content = Batches.textLike(new Random(size), size);
            assertThat(decodeWithOurReader(Lz4Frames.frameOf(content), 1 << 20)).as("size %d", size).isEqualTo(content);
        }
    }

    @Test
    void shouldRefuseLinkedBlocksAndDictionaries() {
        // lz4-java cannot write linked blocks either, so the frame is made by hand: FLG without the independence bit.
        byte[] linked = Lz4Frames.frameStart(11, 0x40, 0x40).putInt(0).array();
        assertThatThrownBy(() -> decodeWithOurReader(linked, 1 << 20)).isInstanceOf(CorruptRecordException.class)
                .hasMessage("LZ4 frame byte 4: frames with linked blocks are not supported; "
                        + "batch writers use independent blocks");

        byte[] dictionary = Lz4Frames.frameStart(11, 0x61, 0x40).putInt(0).array();
        assertThatThrownBy(() -> decodeWithOurReader(dictionary, 1 << 20)).isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("dictionary");
    }

    @Test
    void shouldRejectBadVersionReservedBitsAndBlockSizeIds() {
        assertThatThrownBy(() -> decodeWithOurReader(Lz4Frames.frameStart(11, 0xA0, 0x40).putInt(0).array(), 1024))
                .isInstanceOf(CorruptRecordException.class).hasMessageContaining("frame version 2 is not supported");
        assertThatThrownBy(() -> decodeWithOurReader(Lz4Frames.frameStart(11, 0x62, 0x40).putInt(0).array(), 1024))
                .isInstanceOf(CorruptRecordException.class).hasMessageContaining("reserved FLG bit");
        assertThatThrownBy(() -> decodeWithOurReader(Lz4Frames.frameStart(11, 0x60, 0x30).putInt(0).array(), 1024))
                .isInstanceOf(CorruptRecordException.class).hasMessage("LZ4 frame byte 5: BD byte 0x30 is invalid");
        assertThatThrownBy(() -> decodeWithOurReader(Lz4Frames.frameStart(11, 0x60, 0x41).putInt(0).array(), 1024))
                .isInstanceOf(CorruptRecordException.class).hasMessageContaining("BD byte 0x41");
    }

    @Test
    void shouldRejectAWrongHeaderChecksum() {
        byte[] frame = Lz4Frames.frameOf(new byte[10]);
        frame[6] ^= 1;
        assertThatThrownBy(() -> decodeWithOurReader(frame, 1024)).isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("LZ4 frame byte 6: header checksum");
    }

    @Test
    void shouldVerifyBlockAndContentChecksums() throws IOException {
        byte[] content = Batches.textLike(new Random(4), 5000);
        byte[] withBlockChecksum = encodeWithLz4Java(content, Bits.BLOCK_INDEPENDENCE, Bits.BLOCK_CHECKSUM);
        int lastBlockByte = withBlockChecksum.length - 4 - 4 - 1; // before the checksum and the end mark
        withBlockChecksum[lastBlockByte] ^= 1;
        assertThatThrownBy(() -> decodeWithOurReader(withBlockChecksum, 1 << 20))
                .isInstanceOf(CorruptRecordException.class).hasMessageContaining("block checksum does not match");

        byte[] withContentChecksum = encodeWithLz4Java(content, Bits.BLOCK_INDEPENDENCE, Bits.CONTENT_CHECKSUM);
        withContentChecksum[withContentChecksum.length - 1] ^= 1;
        assertThatThrownBy(() -> decodeWithOurReader(withContentChecksum, 1 << 20))
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("content checksum does not match the 5000 decompressed bytes");
    }

    @Test
    void shouldRejectAContentSizeThatDiffersFromTheBlocks() throws IOException {
        byte[] frame = encodeWithLz4Java(new byte[100], Bits.BLOCK_INDEPENDENCE, Bits.CONTENT_SIZE);
        ByteBuffer patched = ByteBuffer.wrap(frame);
        patched.putLong(6, Long.reverseBytes(99));
        patched.put(14, Lz4Frame.headerChecksum(patched, 4, 10));
        assertThatThrownBy(() -> decodeWithOurReader(frame, 1024)).isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("content size says 99 bytes but the blocks hold 100");
    }

    @Test
    void shouldRejectABlockLargerThanTheAnnouncedBlockMaximum() {
        byte[] content = new byte[Lz4Frame.BLOCK_SIZE + 1];
        byte[] stored = Lz4Frames.storedFrame(content);
        assertThatThrownBy(() -> decodeWithOurReader(stored, 1 << 20)).isInstanceOf(CorruptRecordException.class)
                .hasMessage("LZ4 frame byte 7: block size 65537 is over the frame's block maximum 65536");
    }

    @Test
    void shouldReuseAndGrowItsOutputBufferOnlyUpToTheLimit() {
        Lz4FrameReader reader = new Lz4FrameReader(300_000);
        byte[] big = Batches.textLike(new Random(5), 250_000);
        byte[] frame = Lz4Frames.frameOf(big);
        reader.decompress(ByteBuffer.wrap(frame), 0, frame.length);
        ByteBuffer grown = reader.buffer();
        assertThat(grown.capacity()).isBetween(250_000, 300_000);
        byte[] small = Lz4Frames.frameOf(new byte[10]);
        reader.decompress(ByteBuffer.wrap(small), 0, small.length);
        assertThat(reader.buffer()).isSameAs(grown);
    }

    @Test
    void shouldDecompressAFrameInsideALargerBuffer() {
        byte[] content = Batches.textLike(new Random(6), 70_000);
        byte[] frame = Lz4Frames.frameOf(content);
        ByteBuffer larger = ByteBuffer.allocate(frame.length + 20);
        larger.put(13, frame);
        Lz4FrameReader reader = new Lz4FrameReader(1 << 20);
        int size = reader.decompress(larger.asReadOnlyBuffer(), 13, frame.length);
        assertThat(TestRecord.bytes(reader.buffer().slice(0, size))).isEqualTo(content);
    }
}
