package io.strand.admin;

import io.netty.buffer.ByteBuf;
import io.strand.protocol.FrameReader;
import io.strand.protocol.FrameWriter;
import io.strand.protocol.ResponseStatus;

/**
 * What the calling connection may do through the admin api, so that a tool can offer only what the
 * broker would accept; the request has no body. The broker enforces the same rule on every call.
 */
public final class DescribeAccess {
    private DescribeAccess() {
    }

    /**
     * @param user            the user the connection authenticated as, or null for an anonymous one
     * @param usersConfigured whether the broker has users; without them every connection may do everything
     * @param admin           whether the connection may change the broker (alter, delete, purge, rewind,
     *                        redrive); false: it may only describe and browse
     */
    public record Response(ResponseStatus status, String user, boolean usersConfigured, boolean admin) {
        public void writeTo(ByteBuf out) {
            status.writeTo(out);
            if (!status.isOk()) {
                return;
            }
            FrameWriter.writeNullableString(out, user);
            FrameWriter.writeBoolean(out, usersConfigured);
            FrameWriter.writeBoolean(out, admin);
        }

        public static Response readFrom(FrameReader in) {
            ResponseStatus status = ResponseStatus.readFrom(in);
            if (!status.isOk()) {
                in.end("describe access error response");
                return new Response(status, null, false, false);
            }
            Response r = new Response(status, in.readNullableString("user"), in.readBoolean("users configured"),
                    in.readBoolean("admin"));
            in.end("describe access response");
            return r;
        }
    }
}
