package io.strand.jms.message;

/**
 * The six kinds of Jakarta Messaging message, each with the one-byte code the codec writes in the
 * {@code #t} record header. Codes are part of the stored format: never renumber one.
 */
public enum MessageKind {
    /** A plain {@link jakarta.jms.Message}: headers and properties, no body. */
    MESSAGE((byte) 0),
    TEXT((byte) 1),
    BYTES((byte) 2),
    MAP((byte) 3),
    OBJECT((byte) 4),
    STREAM((byte) 5);

    private static final MessageKind[] BY_CODE = values();

    static {
        for (int i = 0; i < BY_CODE.length; i++) {
            assert BY_CODE[i].code == i : "codes must equal ordinals so that ofCode can index: " + BY_CODE[i];
        }
    }

    private final byte code;

    MessageKind(byte code) {
        this.code = code;
    }

    /** @return the stored code of this kind */
    public byte code() {
        return code;
    }

    /**
     * @param code a stored code
     * @return the kind with that code, or null if there is none
     */
    public static MessageKind ofCode(byte code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** @return a new, empty, writable message of this kind */
    public StrandMessage newMessage() {
        return switch (this) {
            case MESSAGE -> new StrandMessage();
            case TEXT -> new StrandTextMessage();
            case BYTES -> new StrandBytesMessage();
            case MAP -> new StrandMapMessage();
            case OBJECT -> new StrandObjectMessage();
            case STREAM -> new StrandStreamMessage();
        };
    }
}
