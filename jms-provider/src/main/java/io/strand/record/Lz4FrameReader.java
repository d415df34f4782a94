package io.strand.record;

import java.nio.ByteBuffer;
import net.jpountz.lz4.LZ4Exception;

/**
 * Decompresses one LZ4 frame (the payload of an LZ4 batch) into a buffer it owns and reuses, never letting the
 * output grow past {@code maxDecompressedBytes}.
 *
 * <p>Accepts any frame of format version 01 with independent blocks: optional block checksums, content size
 * and content checksum are read and verified. Linked blocks and dictionaries are refused as unsupported, since
 * no writer of this batch format produces them and the block decompressor could not honour them. Every size
 * is checked against the frame's bytes, the block maximum from BD and the remaining decompression budget
 * before anything is copied or inflated, so a decompression bomb costs at most {@code maxDecompressedBytes}
 * of memory and ends in a {@link CorruptRecordException}.
 *
 * <p>Not thread-safe: one reader per iterator. The output stays valid until the next {@link #decompress}.
 */
final class Lz4FrameReader {
    private final int maxDecompressedBytes;
    private ByteBuffer out;
    private ByteBuffer readOnlyOut;

    Lz4FrameReader(int maxDecompressedBytes) {
        if (maxDecompressedBytes <= 0) {
            throw new IllegalArgumentException("maxDecompressedBytes=" + maxDecompressedBytes);
        }
        this.maxDecompressedBytes = maxDecompressedBytes;
        this.out = ByteBuffer.allocate(Math.min(maxDecompressedBytes, Lz4Frame.BLOCK_SIZE));
        this.readOnlyOut = out.asReadOnlyBuffer();
    }

    /** The buffer the last {@link #decompress} wrote to, from index 0. Replaced when it has to grow. */
    ByteBuffer buffer() {
        return out;
    }

    /** A read-only view of {@link #buffer()} for handing out slices. */
    ByteBuffer readOnlyBuffer() {
        return readOnlyOut;
    }

    int maxDecompressedBytes() {
        return maxDecompressedBytes;
    }

    /**
     * Decompresses the frame in {@code src[start, start + length)} into {@link #buffer()} from index 0.
     *
     * @return the number of decompressed bytes
     * @throws CorruptRecordException naming the byte of the frame (counted from its start) that is wrong
     */
    int decompress(ByteBuffer src, int start, int length) {
        int end = start + length;
        if (length < Lz4Frame.HEADER_SIZE) {
            throw corrupt(0, "frame of " + length + " bytes is shorter than the smallest frame header ("
                    + Lz4Frame.HEADER_SIZE + ")");
        }
        int magic = Lz4Frame.getIntLittleEndian(src, start);
        if (magic != Lz4Frame.MAGIC) {
            throw corrupt(0, "magic 0x" + Integer.toHexString(magic) + " is not an LZ4 frame (0x184d2204)");
        }
        int flg = src.get(start + 4) & 0xFF;
        int blockMaxSize = checkDescriptor(flg, src.get(start + 5) & 0xFF);
        int descriptorLength = 2 + ((flg & Lz4Frame.FLG_CONTENT_SIZE) != 0 ? 8 : 0);
        int pos = start + 4 + descriptorLength;
        if (pos + 1 > end) {
            throw corrupt(pos - start, "frame ends inside its descriptor");
        }
        long contentSize = -1;
        if ((flg & Lz4Frame.FLG_CONTENT_SIZE) != 0) {
            contentSize = Long.reverseBytes(src.getLong(start + 6));
            if (contentSize < 0 || contentSize > maxDecompressedBytes) {
                throw corrupt(6, "content size " + Long.toUnsignedString(contentSize)
                        + " is over the limit of " + maxDecompressedBytes + " decompressed bytes");
            }
        }
        byte headerChecksum = Lz4Frame.headerChecksum(src, start + 4, descriptorLength);
        if (src.get(pos) != headerChecksum) {
            throw corrupt(pos - start, "header checksum " + (src.get(pos) & 0xFF) + " does not match the descriptor ("
                    + (headerChecksum & 0xFF) + ")");
        }
        pos++;
        int produced = 0;
        while (true) {
            if (pos + Lz4Frame.BLOCK_SIZE_FIELD > end) {
                throw corrupt(pos - start, "frame ends before its end mark");
            }
            int sizeField = Lz4Frame.getIntLittleEndian(src, pos);
            if (sizeField == 0) {
                pos += Lz4Frame.END_MARK_SIZE;
                break;
            }
            produced = readBlock(src, start, pos, end, flg, blockMaxSize, produced);
            pos += Lz4Frame.BLOCK_SIZE_FIELD + (sizeField & ~Lz4Frame.UNCOMPRESSED_FLAG)
                    + ((flg & Lz4Frame.FLG_BLOCK_CHECKSUM) != 0 ? 4 : 0);
        }
        pos = checkContent(src, start, pos, end, flg, contentSize, produced);
        if (pos != end) {
            throw corrupt(pos - start, (end - pos) + " bytes follow the end of the frame");
        }
        return produced;
    }

    /** Checks FLG and BD and returns the block maximum that BD announces. */
    private int checkDescriptor(int flg, int bd) {
        if ((flg & Lz4Frame.FLG_VERSION_MASK) != Lz4Frame.FLG_VERSION_01) {
            throw corrupt(4, "frame version " + (flg >>> 6) + " is not supported (only 1)");
        }
        if ((flg & Lz4Frame.FLG_RESERVED) != 0) {
            throw corrupt(4, "reserved FLG bit is set (FLG 0x" + Integer.toHexString(flg) + ")");
        }
        if ((flg & Lz4Frame.FLG_DICTIONARY_ID) != 0) {
            throw corrupt(4, "frames with a dictionary are not supported");
        }
        if ((flg & Lz4Frame.FLG_BLOCK_INDEPENDENCE) == 0) {
            throw corrupt(4, "frames with linked blocks are not supported; batch writers use independent blocks");
        }
        int blockSizeId = (bd >>> 4) & 0x07;
        if ((bd & Lz4Frame.BD_RESERVED) != 0 || blockSizeId < 4) {
            throw corrupt(5, "BD byte 0x" + Integer.toHexString(bd) + " is invalid");
        }
        return Lz4Frame.blockMaxSize(blockSizeId);
    }

    /** Inflates or copies the block whose size field is at {@code pos}; returns the bytes produced so far. */
    private int readBlock(ByteBuffer src, int start, int pos, int end, int flg, int blockMaxSize, int produced) {
        int sizeField = Lz4Frame.getIntLittleEndian(src, pos);
        boolean stored = (sizeField & Lz4Frame.UNCOMPRESSED_FLAG) != 0;
        int size = sizeField & ~Lz4Frame.UNCOMPRESSED_FLAG;
        int dataStart = pos + Lz4Frame.BLOCK_SIZE_FIELD;
        int checksumSize = (flg & Lz4Frame.FLG_BLOCK_CHECKSUM) != 0 ? 4 : 0;
        if (size > blockMaxSize) {
            throw corrupt(pos - start, "block size " + size + " is over the frame's block maximum " + blockMaxSize);
        }
        if ((long) dataStart + size + checksumSize > end) {
            throw corrupt(pos - start, "block of " + size + " bytes runs past the end of the frame ("
                    + (end - dataStart) + " bytes left)");
        }
        if (checksumSize != 0) {
            int expected = Lz4Frame.getIntLittleEndian(src, dataStart + size);
            if (Lz4Frame.XXHASH.hash(src, dataStart, size, 0) != expected) {
                throw corrupt(pos - start, "block checksum does not match");
            }
        }
        int room = maxDecompressedBytes - produced;
        if (stored) {
            if (size > room) {
                throw overLimit(pos - start, produced + (long) size);
            }
            ensureCapacity(produced, size);
            out.put(produced, src, dataStart, size);
            return produced + size;
        }
        int maxOutput = Math.min(blockMaxSize, room);
        ensureCapacity(produced, maxOutput);
        try {
            return produced + Lz4Frame.DECOMPRESSOR.decompress(src, dataStart, size, out, produced, maxOutput);
        } catch (LZ4Exception | IndexOutOfBoundsException e) {
            // lz4-java reports malformed input and output overflow alike; past versions have also let an
            // IndexOutOfBoundsException escape on malformed input. Either way the bytes are bad.
            if (maxOutput < blockMaxSize) {
                throw corrupt(pos - start, "block is malformed or inflates past the limit of " + maxDecompressedBytes
                        + " decompressed bytes (" + produced + " already produced)", e);
            }
            throw corrupt(pos - start, "block is malformed: " + e.getMessage(), e);
        }
    }

    /** Reads and checks the optional content checksum and content size; returns the position after them. */
    private int checkContent(ByteBuffer src, int start, int pos, int end, int flg, long contentSize, int produced) {
        if ((flg & Lz4Frame.FLG_CONTENT_CHECKSUM) != 0) {
            if (pos + 4 > end) {
                throw corrupt(pos - start, "frame ends inside its content checksum");
            }
            int expected = Lz4Frame.getIntLittleEndian(src, pos);
            if (Lz4Frame.XXHASH.hash(out, 0, produced, 0) != expected) {
                throw corrupt(pos - start, "content checksum does not match the " + produced + " decompressed bytes");
            }
            pos += 4;
        }
        if (contentSize >= 0 && contentSize != produced) {
            throw corrupt(6, "content size says " + contentSize + " bytes but the blocks hold " + produced);
        }
        return pos;
    }

    /** Grows the output so that {@code extra} bytes fit after {@code used}, keeping what is there. */
    private void ensureCapacity(int used, int extra) {
        int needed = used + extra;
        if (needed <= out.capacity()) {
            return;
        }
        // Doubling keeps the number of copies logarithmic; the limit was checked by the caller.
        int capacity = (int) Math.min(maxDecompressedBytes, Math.max(needed, 2L * out.capacity()));
        ByteBuffer grown = ByteBuffer.allocate(capacity);
        grown.put(0, out, 0, used);
        out = grown;
        readOnlyOut = grown.asReadOnlyBuffer();
    }

    private CorruptRecordException overLimit(int framePosition, long wouldProduce) {
        return corrupt(framePosition, "frame inflates to at least " + wouldProduce + " bytes, over the limit of "
                + maxDecompressedBytes + " decompressed bytes");
    }

    private static CorruptRecordException corrupt(int framePosition, String what) {
        return new CorruptRecordException("LZ4 frame byte " + framePosition + ": " + what);
    }

    private static CorruptRecordException corrupt(int framePosition, String what, Throwable cause) {
        return new CorruptRecordException("LZ4 frame byte " + framePosition + ": " + what, cause);
    }
}
