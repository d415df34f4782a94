package io.strand.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * JGroups bind ports for brokers of a test cluster on 127.0.0.1. A broker binds the port and FD_SOCK2 binds the port
 * 100 above it, both some time after they are chosen; so both must be free, and both lie below the range the kernel
 * hands out to outgoing connections (32768 on), where a client socket opened meanwhile could take one.
 */
public final class ClusterPorts {
    private static final int LOWEST = 20_000;
    private static final int HIGHEST = 32_000;
    /** FD_SOCK2 listens this far above the JGroups port. */
    private static final int FAILURE_DETECTION_OFFSET = JGroupsStack.FAILURE_DETECTION_PORT_OFFSET;

    private ClusterPorts() {
    }

    /** A port that is free now, with the port {@value #FAILURE_DETECTION_OFFSET} above it free too. */
    public static int free() {
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, HIGHEST - FAILURE_DETECTION_OFFSET);
            if (isFree(port) && isFree(port + FAILURE_DETECTION_OFFSET)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port pair between " + LOWEST + " and " + HIGHEST + " on 127.0.0.1");
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException taken) {
            return false;
        }
    }
}
