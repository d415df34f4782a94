package io.strand.record;

import java.nio.ByteBuffer;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHashFactory;

/**
 * Writes the records of an LZ4 batch as one frame of the LZ4 frame format (the framing other v2 batch
 * writers use, so their batches and ours are interchangeable), built on lz4-java's block API.
 *
 * <pre>
 *  size  field
 *     4  magic 0x184D2204, little-endian
 *     1  FLG  0x60: version 01, independent blocks, no block or content checksum, no content size, no dictionary
 *     1  BD   0x40: blocks of at most 64 KiB
 *     1  HC   second byte of XXH32(FLG, BD)
 *        blocks: int32 LE size (high bit set: stored uncompressed), then the block bytes
 *     4  end mark 0
 * </pre>
 *
 * <p>Why the block API and not lz4-java's {@code LZ4FrameOutputStream}/{@code LZ4FrameInputStream}: the
 * streams allocate their block buffers on every construction (once per batch) and work through
 * {@code InputStream}s with {@code IOException}s, while here the builder and the iterator reuse their
 * buffers, and {@link Lz4FrameReader} checks every length against the frame and its decompression limit before
 * it touches a byte, so bad input is always a {@link CorruptRecordException} that names the spot.
 *
 * <p>Stateless; the lz4-java compressor, decompressor and hash are thread-safe, so one set is shared.
 */
final class Lz4Frame {
    static final int MAGIC = 0x184D2204;
    /** Magic, FLG, BD and HC of the frames we write: no optional descriptor fields. */
    static final int HEADER_SIZE = 7;
    static final int BLOCK_SIZE_FIELD = 4;
    static final int END_MARK_SIZE = 4;
    /** Blocks of 64 KiB: what other writers use, and small enough that a block stays in cache. */
    static final int BLOCK_SIZE = 64 * 1024;
    /** High bit of a block size: the block is stored as is, because compressing did not make it smaller. */
    static final int UNCOMPRESSED_FLAG = 0x80000000;

    static final int FLG_VERSION_MASK = 0xC0;
    static final int FLG_VERSION_01 = 0x40;
    static final int FLG_BLOCK_INDEPENDENCE = 0x20;
    static final int FLG_BLOCK_CHECKSUM = 0x10;
    static final int FLG_CONTENT_SIZE = 0x08;
    static final int FLG_CONTENT_CHECKSUM = 0x04;
    static final int FLG_RESERVED = 0x02;
    static final int FLG_DICTIONARY_ID = 0x01;
    static final int BD_RESERVED = 0x8F;
    static final int BD_64KB = 4 << 4;

    static final LZ4Compressor COMPRESSOR = LZ4Factory.fastestInstance().fastCompressor();
    static final LZ4SafeDecompressor DECOMPRESSOR = LZ4Factory.fastestInstance().safeDecompressor();
    static final XXHash32 XXHASH = XXHashFactory.fastestInstance().hash32();

    static {
        if (BD_64KB >> 4 != blockSizeId(BLOCK_SIZE)) {
            throw new AssertionError("BD must announce the block size we write");
        }
    }

    private Lz4Frame() {
    }

    /** The largest frame {@link #compress} writes for {@code contentSize} bytes: every block stored raw. */
    static int maxFrameSize(int contentSize) {
        long size = HEADER_SIZE + (long) blockCount(contentSize) * BLOCK_SIZE_FIELD + contentSize + END_MARK_SIZE;
        return toIntSize(size, contentSize);
    }

    /**
     * Room {@link #compress} needs in its destination: the compressor may overshoot a block's size before we
     * see that storing it raw is better, so each block gets its worst case.
     */
    static int compressionBound(int contentSize) {
        int fullBlocks = contentSize / BLOCK_SIZE;
        int tail = contentSize % BLOCK_SIZE;
        long size = HEADER_SIZE + END_MARK_SIZE
                + (long) fullBlocks * (BLOCK_SIZE_FIELD + COMPRESSOR.maxCompressedLength(BLOCK_SIZE))
                + (tail == 0 ? 0 : BLOCK_SIZE_FIELD + COMPRESSOR.maxCompressedLength(tail));
        return toIntSize(size, contentSize);
    }

    /**
     * Compresses {@code src[srcOffset, srcOffset + length)} as one frame at {@code dst[dstOffset, ...)}, which
     * must have {@link #compressionBound} bytes of room. Moves no position. Returns the frame's size.
     */
    static int compress(ByteBuffer src, int srcOffset, int length, ByteBuffer dst, int dstOffset) {
        int out = dstOffset;
        putIntLittleEndian(dst, out, MAGIC);
        dst.put(out + 4, (byte) (FLG_VERSION_01 | FLG_BLOCK_INDEPENDENCE));
        dst.put(out + 5, (byte) BD_64KB);
        dst.put(out + 6, headerChecksum(dst, out + 4, 2));
        out += HEADER_SIZE;
        for (int done = 0; done < length; done += BLOCK_SIZE) {
            int blockLength = Math.min(BLOCK_SIZE, length - done);
            int dataStart = out + BLOCK_SIZE_FIELD;
            int compressed = COMPRESSOR.compress(src, srcOffset + done, blockLength, dst, dataStart,
                    dst.capacity() - dataStart);
            if (compressed < blockLength) {
                putIntLittleEndian(dst, out, compressed);
                out = dataStart + compressed;
            } else {
                // Incompressible (random or already compressed bytes): storing raw bounds the frame by its content.
                putIntLittleEndian(dst, out, UNCOMPRESSED_FLAG | blockLength);
                dst.put(dataStart, src, srcOffset + done, blockLength);
                out = dataStart + blockLength;
            }
        }
        putIntLittleEndian(dst, out, 0);
        return out + END_MARK_SIZE - dstOffset;
    }

    /** HC: the second byte of the XXH32 (seed 0) of the descriptor, FLG through the last optional field. */
    static byte headerChecksum(ByteBuffer buffer, int descriptorStart, int descriptorLength) {
        return (byte) (XXHASH.hash(buffer, descriptorStart, descriptorLength, 0) >>> 8);
    }

    /** The BD block size id: 4 for 64 KiB up to 7 for 4 MiB. */
    static int blockSizeId(int blockSize) {
        return (Integer.numberOfTrailingZeros(blockSize) - 8) / 2;
    }

    /** The largest block a BD block size id allows: 64 KiB, 256 KiB, 1 MiB, 4 MiB for ids 4 to 7. */
    static int blockMaxSize(int blockSizeId) {
        return 1 << (8 + 2 * blockSizeId);
    }

    static void putIntLittleEndian(ByteBuffer buffer, int index, int value) {
        buffer.putInt(index, Integer.reverseBytes(value));
    }

    static int getIntLittleEndian(ByteBuffer buffer, int index) {
        return Integer.reverseBytes(buffer.getInt(index));
    }

    private static int blockCount(int contentSize) {
        return (int) (((long) contentSize + BLOCK_SIZE - 1) / BLOCK_SIZE);
    }

    private static int toIntSize(long size, int contentSize) {
        if (size > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("contentSize=" + contentSize + " is too large for one LZ4 frame");
        }
        return (int) size;
    }
}
