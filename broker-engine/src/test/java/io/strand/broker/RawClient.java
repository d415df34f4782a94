package io.strand.broker;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.strand.protocol.ApiKey;
import io.strand.protocol.FrameHeader;
import io.strand.protocol.FrameReader;
import io.strand.protocol.Handshake;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.function.Consumer;

/**
 * A blocking test client that speaks the wire protocol over a plain socket, one frame at a time,
 * and can also send arbitrary bytes: how the broker's protocol handling is tested from outside.
 */
final class RawClient implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int nextCorrelationId = 1;

    RawClient(InetSocketAddress address) throws IOException {
        socket = new Socket(address.getAddress(), address.getPort());
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** A received frame: its header and a reader over its body. */
    record Frame(FrameHeader header, FrameReader body) {
    }

    int send(ApiKey api, Consumer<ByteBuf> body) {
        int correlationId = nextCorrelationId++;
        ByteBuf buf = Unpooled.buffer();
        int start = new FrameHeader(api.id, (short) 0, correlationId).begin(buf);
        body.accept(buf);
        FrameHeader.finish(buf, start);
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        sendRaw(bytes);
        return correlationId;
    }

    void sendRaw(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Frame read() throws IOException {
        int length = in.readInt();
        byte[] frame = new byte[length];
        in.readFully(frame);
        FrameReader reader = new FrameReader(Unpooled.wrappedBuffer(frame));
        return new Frame(FrameHeader.read(reader), reader);
    }

    /** Sends a request and reads the next frame, which must answer it. */
    Frame call(ApiKey api, Consumer<ByteBuf> body) throws IOException {
        int id = send(api, body);
        Frame frame = read();
        if (frame.header().correlationId() != id) {
            throw new IllegalStateException("expected the answer to " + id + ", got " + frame.header());
        }
        return frame;
    }

    Handshake.Response handshake(String clientId) throws IOException {
        Handshake.Request hello = new Handshake.Request(Handshake.MIN_VERSION, Handshake.MAX_VERSION, clientId, "test");
        return Handshake.Response.readFrom(call(ApiKey.HANDSHAKE, hello::writeTo).body());
    }

    /** Whether the broker has closed the connection: a read ends with end of stream. */
    boolean closedByBroker() {
        try {
            return in.read() < 0;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
