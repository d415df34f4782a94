package io.strand.broker;

import io.netty.buffer.Unpooled;
import io.strand.protocol.ApiKey;
import io.strand.protocol.FrameHeader;
import io.strand.protocol.FrameReader;
import io.strand.protocol.ResponseStatus;
import io.strand.protocol.StatusResponse;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on 127.0.0.1 between clients and a broker that reads the frames going both ways. Armed, it holds back
 * the next {@code COMMIT} a client sends and cuts that client's side of the connection at once, as a network that
 * failed right after the request left; the broker's side stays open, so that the held commit can still arrive there
 * later ({@link #deliverHeldCommit}), as a late packet would.
 */
final class CommitHoldingProxy implements Closeable {
    private final ServerSocket server;
    private final InetSocketAddress broker;
    private final List<Closeable> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean holdNextCommit;
    /** The commit of the latest {@link #holdNextCommit}. */
    private volatile CompletableFuture<HeldCommit> held = new CompletableFuture<>();

    /** A commit held back: its bytes, the broker connection it was meant for, and the broker's answer once sent. */
    private record HeldCommit(byte[] frame, Socket upstream, CompletableFuture<ResponseStatus> answer) {
    }

    CommitHoldingProxy(InetSocketAddress broker) throws IOException {
        this.broker = broker;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        sockets.add(server);
        Thread acceptor = new Thread(this::accept, "commit-holding-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Holds back the next COMMIT any client sends, and cuts that client's connection; forgets any held before. */
    void holdNextCommit() {
        held = new CompletableFuture<>();
        holdNextCommit = true;
    }

    /** Sends the held commit to the broker on the connection it was meant for; completes with the broker's answer. */
    CompletableFuture<ResponseStatus> deliverHeldCommit() throws Exception {
        HeldCommit commit = held.get();
        commit.upstream().getOutputStream().write(commit.frame());
        commit.upstream().getOutputStream().flush();
        return commit.answer();
    }

    /** Closes the broker connection of the held commit, as the broker would see the dead client's go at last. */
    void closeHeldConnection() throws Exception {
        held.get().upstream().close();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(broker.getAddress(), broker.getPort());
                sockets.add(client);
                sockets.add(upstream);
                CompletableFuture<ResponseStatus> commitAnswer = new CompletableFuture<>();
                start(() -> relayRequests(client, upstream, commitAnswer));
                start(() -> relayResponses(upstream, client, commitAnswer));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private static void start(Runnable relay) {
        Thread thread = new Thread(relay, "commit-holding-proxy-relay");
        thread.setDaemon(true);
        thread.start();
    }

    private void relayRequests(Socket client, Socket upstream, CompletableFuture<ResponseStatus> commitAnswer) {
        try {
            DataInputStream in = new DataInputStream(client.getInputStream());
            OutputStream out = upstream.getOutputStream();
            while (true) {
                byte[] frame = readFrame(in);
                if (holdNextCommit && apiOf(frame) == ApiKey.COMMIT.id) {
                    holdNextCommit = false;
                    held.complete(new HeldCommit(frame, upstream, commitAnswer));
                    client.close(); // the client's side only: the broker's stays open for the late commit
                    return;
                }
                out.write(frame);
                out.flush();
            }
        } catch (IOException e) {
            closeUnlessHeld(client, upstream);
        }
    }

    private void relayResponses(Socket upstream, Socket client, CompletableFuture<ResponseStatus> commitAnswer) {
        try {
            DataInputStream in = new DataInputStream(upstream.getInputStream());
            while (true) {
                byte[] frame = readFrame(in);
                if (apiOf(frame) == ApiKey.COMMIT.id && held.isDone() && held.getNow(null).upstream() == upstream) {
                    FrameReader reader = new FrameReader(Unpooled.wrappedBuffer(frame, FrameHeader.LENGTH_FIELD_BYTES
                            + FrameHeader.SIZE, frame.length - FrameHeader.LENGTH_FIELD_BYTES - FrameHeader.SIZE));
                    commitAnswer.complete(StatusResponse.readFrom(reader).status());
                }
                if (!client.isClosed()) {
                    try {
                        client.getOutputStream().write(frame);
                        client.getOutputStream().flush();
                    } catch (IOException clientGone) {
                        // the client's side was cut; the broker's answers go nowhere
                    }
                }
            }
        } catch (IOException e) {
            closeUnlessHeld(client, upstream);
        }
    }

    private void closeUnlessHeld(Socket client, Socket upstream) {
        try {
            client.close();
            HeldCommit commit = held.getNow(null);
            if (commit == null || commit.upstream() != upstream) {
                upstream.close();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private static byte[] readFrame(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < FrameHeader.SIZE) {
            throw new EOFException("frame of " + length + " bytes");
        }
        byte[] frame = new byte[FrameHeader.LENGTH_FIELD_BYTES + length];
        ByteBuffer.wrap(frame).putInt(length);
        in.readFully(frame, FrameHeader.LENGTH_FIELD_BYTES, length);
        return frame;
    }

    private static short apiOf(byte[] frame) {
        return ByteBuffer.wrap(frame).getShort(FrameHeader.LENGTH_FIELD_BYTES);
    }

    @Override
    public void close() throws IOException {
        for (Closeable socket : sockets) {
            socket.close();
        }
    }
}
