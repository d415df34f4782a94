package io.strand.broker;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.strand.protocol.ApiKey;
import io.strand.protocol.ErrorCode;
import io.strand.protocol.FrameHeader;
import io.strand.protocol.FrameReader;
import io.strand.protocol.Handshake;
import io.strand.protocol.ResponseStatus;
import io.strand.protocol.StatusResponse;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A stand-in for a broker of a cluster that does not serve JMS clients, over a plain socket: it answers every
 * handshake with NOT_LEADER naming the broker that does ({@code leaderEndpoint}, or none), and every other request
 * with a NOT_LEADER status. Optionally it first accepts a number of handshakes as if it served clients, and steps
 * down at the first request after them: how a client sees a leader change under an open connection.
 */
final class NotLeaderBroker implements AutoCloseable {
    private final ServerSocket server;
    private volatile String leaderEndpoint;
    private final AtomicInteger handshakesToAccept;
    private final AtomicInteger handshakes = new AtomicInteger();
    private final AtomicInteger refusedRequests = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    /**
     * @param leaderEndpoint     {@code host:port} it names as the broker that serves clients; null for none
     * @param handshakesToAccept handshakes it accepts before it refuses everything
     */
    NotLeaderBroker(String leaderEndpoint, int handshakesToAccept) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.leaderEndpoint = leaderEndpoint;
        this.handshakesToAccept = new AtomicInteger(handshakesToAccept);
        this.acceptor = new Thread(this::acceptLoop, "not-leader-broker");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Changes the broker it names as the one that serves clients. */
    void nameAsLeader(String endpoint) {
        leaderEndpoint = endpoint;
    }

    /** Handshakes it was sent, accepted or not. */
    int handshakes() {
        return handshakes.get();
    }

    /** Requests other than the handshake it answered with NOT_LEADER. */
    int refusedRequests() {
        return refusedRequests.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                sockets.add(socket);
                Thread serving = new Thread(() -> serve(socket), "not-leader-connection");
                serving.setDaemon(true);
                serving.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (true) {
                byte[] frame = new byte[in.readInt()];
                in.readFully(frame);
                FrameHeader header = FrameHeader.read(new FrameReader(Unpooled.wrappedBuffer(frame)));
                if (header.apiKey() == ApiKey.HANDSHAKE.id) {
                    handshakes.incrementAndGet();
                    Handshake.Response answer = handshakesToAccept.getAndDecrement() > 0
                            ? new Handshake.Response(ResponseStatus.OK, Handshake.MAX_VERSION, 9, "stepping-down",
                            "not-leader-rm")
                            : Handshake.Response.notLeader("broker 9 is a follower", leaderEndpoint);
                    answer(out, header, answer::writeTo);
                } else if (header.apiKey() != ApiKey.HEARTBEAT.id) {
                    refusedRequests.incrementAndGet();
                    answer(out, header, new StatusResponse(ResponseStatus.of(ErrorCode.NOT_LEADER,
                            "broker 9 no longer serves clients"))::writeTo);
                } else {
                    answer(out, header, new StatusResponse(ResponseStatus.OK)::writeTo);
                }
            }
        } catch (SocketException e) {
            // the client went away
        } catch (IOException e) {
            // end of stream: the client closed the connection
        }
    }

    private static void answer(OutputStream out, FrameHeader request, Consumer<ByteBuf> body) throws IOException {
        ByteBuf frame = Unpooled.buffer();
        int start = new FrameHeader(request.apiKey(), request.version(), request.correlationId()).begin(frame);
        body.accept(frame);
        FrameHeader.finish(frame, start);
        byte[] bytes = new byte[frame.readableBytes()];
        frame.readBytes(bytes);
        out.write(bytes);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
