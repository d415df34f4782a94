package io.strand.record;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** LZ4 frames for tests: what the builder writes, and frames it never would (bombs, stored blocks, odd flags). */
final class Lz4Frames {
    private Lz4Frames() {
    }

    /** The frame {@link Lz4Frame#compress} writes for {@code content}. */
    static byte[] frameOf(byte[] content) {
        ByteBuffer out = ByteBuffer.allocate(Lz4Frame.compressionBound(content.length));
        int size = Lz4Frame.compress(ByteBuffer.wrap(content), 0, content.length, out, 0);
        return TestRecord.bytes(out.slice(0, size));
    }

    /** A frame of {@code blocks} compressed blocks of 64 KiB of zeros each: tiny, and inflating to 64 KiB a block. */
    static byte[] zeroBlocks(int blocks) {
        byte[] block = new byte[Lz4Frame.COMPRESSOR.maxCompressedLength(Lz4Frame.BLOCK_SIZE)];
        int blockSize = Lz4Frame.COMPRESSOR.compress(new byte[Lz4Frame.BLOCK_SIZE], 0, Lz4Frame.BLOCK_SIZE, block, 0,
                block.length);
        ByteBuffer out = frameStart(Lz4Frame.HEADER_SIZE + blocks * (4 + blockSize) + 4, 0x60, 0x40);
        for (int i = 0; i < blocks; i++) {
            out.putInt(blockSize).put(block, 0, blockSize);
        }
        return out.putInt(0).array();
    }

    /** A frame holding {@code content} as one block stored uncompressed. */
    static byte[] storedFrame(byte[] content) {
        ByteBuffer out = frameStart(Lz4Frame.HEADER_SIZE + 4 + content.length + 4, 0x60, 0x40);
        out.putInt(Lz4Frame.UNCOMPRESSED_FLAG | content.length).put(content);
        return out.putInt(0).array();
    }

    /** An empty frame whose descriptor announces {@code contentSize} bytes. */
    static byte[] withContentSize(long contentSize) {
        ByteBuffer out = ByteBuffer.allocate(4 + 2 + 8 + 1 + 4).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(Lz4Frame.MAGIC).put((byte) 0x68).put((byte) 0x40).putLong(contentSize);
        out.put(Lz4Frame.headerChecksum(out, 4, 10));
        return out.putInt(0).array();
    }

    /** A little-endian buffer with magic, FLG, BD and a correct HC written. */
    static ByteBuffer frameStart(int capacity, int flg, int bd) {
        ByteBuffer out = ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(Lz4Frame.MAGIC).put((byte) flg).put((byte) bd);
        out.put(Lz4Frame.headerChecksum(out, 4, 2));
        return out;
    }
}
