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
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

/**
 * A blocking test client that speaks the wire protocol over a plain socket, one frame at a time,
 * and can also send arbitrary bytes: how the broker's protocol handling is tested from outside.
 */
final class RawClient implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final Deque<Frame> pushes = new ArrayDeque<>();
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

    /** The next frame: a push set aside while a call waited for its answer, else the next one read. */
    Frame read() throws IOException {
        Frame pending = pushes.poll();
        return pending != null ? pending : readFromSocket();
    }

    private Frame readFromSocket() throws IOException {
        int length = in.readInt();
        byte[] frame = new byte[length];
        in.readFully(frame);
        FrameReader reader = new FrameReader(Unpooled.wrappedBuffer(frame));
        return new Frame(FrameHeader.read(reader), reader);
    }

    /**
     * Sends a request and reads its answer. Pushes to the connection's consumers may come first (the
     * broker pushes records as soon as they are visible, which can be before it answers the send that
     * made them so); they are kept for {@link #read}. Any other frame is an error.
     */
    Frame call(ApiKey api, Consumer<ByteBuf> body) throws IOException {
        int id = send(api, body);
        while (true) {
            Frame frame = readFromSocket();
            if (frame.header().correlationId() == id) {
                return frame;
            }
            short pushed = frame.header().apiKey();
            if (pushed != ApiKey.DELIVER.id && pushed != ApiKey.SHARE_DELIVER.id) {
                throw new IllegalStateException("expected the answer to " + id + ", got " + frame.header());
            }
            pushes.add(frame);
        }
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
