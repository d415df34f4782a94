package io.strand.protocol;

import io.netty.buffer.ByteBuf;

/** The first fields of every response: an error code and an optional message saying what went wrong. */
public record ResponseStatus(ErrorCode error, String message) {
    public static final ResponseStatus OK = new ResponseStatus(ErrorCode.NONE, null);

    public static ResponseStatus of(ErrorCode error, String message) {
        return new ResponseStatus(error, message);
    }

    public boolean isOk() {
        return error == ErrorCode.NONE;
    }

    /** The message to show a user: the broker's own words, or the code's default. */
    public String describe() {
        return message != null ? message : error.defaultMessage;
    }

    public void writeTo(ByteBuf out) {
        out.writeShort(error.code);
        FrameWriter.writeNullableString(out, message);
    }

    public static ResponseStatus readFrom(FrameReader in) {
        ErrorCode error = ErrorCode.forCode(in.readInt16("error code"));
        return new ResponseStatus(error, in.readNullableString("error message"));
    }
}
