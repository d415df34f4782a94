package io.strand.broker;

import io.strand.protocol.ApiKey;
import io.strand.protocol.FrameHeader;
import io.strand.protocol.FrameReader;

/** Serves the requests of the connections a {@link BrokerServer} accepts. */
interface Router {
    /** Handles one request whose header was read; its body follows in {@code in}. Runs on the connection's event loop. */
    void route(ClientConnection c, ApiKey api, FrameHeader h, FrameReader in);

    /** The connection closed. */
    void disconnected(ClientConnection c);
}
