package io.strand.record;

/**
 * The codec of a batch, kept in the low three bits of the batch attributes with Kafka's ids.
 * Only codecs with a maintained library are supported; the ids of the others are reserved so that
 * a batch using them is rejected with a clear message rather than misread.
 */
public enum CompressionType {
    NONE(0, "none"),
    LZ4(3, "lz4");

    /** Mask of the codec bits in the batch attributes. */
    public static final int CODEC_MASK = 0x07;

    public final int id;
    public final String configName;

    CompressionType(int id, String configName) {
        this.id = id;
        this.configName = configName;
    }

    /** The codec for the given attribute bits; an unsupported or unknown id is corruption of the batch. */
    public static CompressionType forId(int id) {
        switch (id) {
            case 0:
                return NONE;
            case 3:
                return LZ4;
            case 1:
            case 2:
            case 4:
                throw new CorruptRecordException("unsupported compression codec id " + id
                        + " (gzip=1, snappy=2 and zstd=4 are not supported; use none or lz4)");
            default:
                throw new CorruptRecordException("unknown compression codec id " + id);
        }
    }

    /** The codec for a configuration value such as {@code lz4}; anything else is a configuration error. */
    public static CompressionType forName(String name) {
        for (CompressionType type : values()) {
            if (type.configName.equalsIgnoreCase(name)) {
                return type;
            }
        }
        throw new IllegalArgumentException("compression.type=" + name + " is not supported; use none or lz4");
    }
}
