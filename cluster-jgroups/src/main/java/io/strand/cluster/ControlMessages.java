package io.strand.cluster;

import io.strand.cluster.controller.AlterIsrRequest;
import io.strand.cluster.controller.BrokerRegistrationRequest;
import io.strand.cluster.controller.ControllerError;
import io.strand.cluster.controller.CreateTopicRequest;
import io.strand.cluster.metadata.Endpoint;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The encoding of requests to the controller and of its answers, carried as JGroups message payloads.
 *
 * <pre>
 * message  = magic:u8 (0x53) version:u8 (1) kind:u8 requestId:i64 body
 * request  = (kind 1) type:u8 fields     response = (kind 2) errorCode:i32 (0: done) message:utf
 * response with refused items = (kind 3) errorCode:i32 message:utf count:i32 (index:i32 errorCode:i32 message:utf)*
 * </pre>
 *
 * <p>A request that asks for several changes at once (ISR changes, type 8) is answered with the items the
 * controller refused, by their index; the others were committed.
 *
 * <p>Strings are Java's modified UTF-8 with a 16-bit length; lists carry a 16-bit count, bounded, except the
 * items of a request and of its answer, which carry a 32-bit count up to {@link #MAX_ITEMS}.
 * A message that does not decode raises {@link IllegalArgumentException} naming the problem, and the
 * receiver drops it: only Strand nodes of this cluster can reach the channel.
 */
final class ControlMessages {
    static final int OK = 0;
    private static final int MAGIC = 0x53;
    private static final int VERSION = 1;
    private static final int REQUEST = 1;
    private static final int RESPONSE = 2;
    private static final int RESPONSE_WITH_REFUSALS = 3;
    private static final int MAX_LIST = 1024;
    /** The most items one request may ask for. */
    static final int MAX_ITEMS = 10_000;

    private ControlMessages() {
    }

    /** A decoded message: a request or a response with its id. */
    sealed interface Decoded {
    }

    /** A request with the id its answer must carry. */
    record Request(long requestId, ControlRequest request) implements Decoded {
    }

    /**
     * An answer: done when {@code errorCode} is {@link #OK}, else refused for the reason given. A done request
     * of several items may have had some of them refused.
     *
     * @param refusedItems the items refused, by index in the request; empty for a request of one item
     */
    record Response(long requestId, int errorCode, String message, List<ItemRefusal> refusedItems)
            implements Decoded {
        Response {
            refusedItems = List.copyOf(refusedItems);
        }

        Response(long requestId, int errorCode, String message) {
            this(requestId, errorCode, message, List.of());
        }

        Optional<ControllerError> error() {
            return errorCode == OK ? Optional.empty() : Optional.of(ControllerError.forCode(errorCode));
        }
    }

    /** One item of a request that the controller refused, by its index in the request. */
    record ItemRefusal(int index, int errorCode, String message) {
        ControllerError error() {
            return ControllerError.forCode(errorCode);
        }
    }

    static byte[] encodeRequest(long requestId, ControlRequest request) {
        return write(REQUEST, requestId, out -> writeRequest(out, request));
    }

    static byte[] encodeResponse(long requestId, int errorCode, String message) {
        return encodeResponse(requestId, errorCode, message, List.of());
    }

    static byte[] encodeResponse(long requestId, int errorCode, String message, List<ItemRefusal> refusedItems) {
        if (refusedItems.size() > MAX_ITEMS) {
            throw new IllegalArgumentException(refusedItems.size() + " refused items are more than the " + MAX_ITEMS
                    + " allowed");
        }
        return write(refusedItems.isEmpty() ? RESPONSE : RESPONSE_WITH_REFUSALS, requestId, out -> {
            out.writeInt(errorCode);
            out.writeUTF(message);
            if (!refusedItems.isEmpty()) {
                out.writeInt(refusedItems.size());
                for (ItemRefusal refusal : refusedItems) {
                    out.writeInt(refusal.index());
                    out.writeInt(refusal.errorCode());
                    out.writeUTF(refusal.message());
                }
            }
        });
    }

    static Decoded decode(byte[] bytes, int offset, int length) {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, offset, length));
        try {
            if (in.readUnsignedByte() != MAGIC) {
                throw new IllegalArgumentException("not a Strand control message: wrong magic byte");
            }
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("control message version " + version + " is not supported");
            }
            int kind = in.readUnsignedByte();
            long requestId = in.readLong();
            Decoded decoded = switch (kind) {
                case REQUEST -> new Request(requestId, readRequest(in));
                case RESPONSE -> new Response(requestId, in.readInt(), in.readUTF());
                case RESPONSE_WITH_REFUSALS -> readResponseWithRefusals(requestId, in);
                default -> throw new IllegalArgumentException("unknown control message kind " + kind);
            };
            if (in.available() > 0) {
                throw new IllegalArgumentException(in.available() + " bytes left over after a control message");
            }
            return decoded;
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated control message: " + e, e);
        }
    }

    private static void writeRequest(DataOutputStream out, ControlRequest request) throws IOException {
        if (request instanceof ControlRequest.Register r) {
            BrokerRegistrationRequest reg = r.request();
            out.writeByte(1);
            out.writeUTF(reg.clusterId());
            out.writeInt(reg.brokerId());
            out.writeLong(reg.incarnation());
            out.writeShort(reg.endpoints().size());
            for (Endpoint endpoint : reg.endpoints()) {
                out.writeUTF(endpoint.listener());
                out.writeUTF(endpoint.host());
                out.writeInt(endpoint.port());
            }
            out.writeBoolean(reg.rack().isPresent());
            if (reg.rack().isPresent()) {
                out.writeUTF(reg.rack().get());
            }
        } else if (request instanceof ControlRequest.AlterIsr r) {
            // Type 2 was a single ISR change; 8 carries any number, so that an older node's request is not misread.
            out.writeByte(8);
            writeItemCount(out, r.requests().size());
            for (AlterIsrRequest alter : r.requests()) {
                out.writeInt(alter.brokerId());
                out.writeUTF(alter.topic());
                out.writeInt(alter.partition());
                out.writeInt(alter.leaderEpoch());
                out.writeInt(alter.partitionEpoch());
                writeIds(out, alter.newIsr());
                out.writeShort(alter.incarnations().size());
                for (Map.Entry<Integer, Long> entry : new TreeMap<>(alter.incarnations()).entrySet()) {
                    out.writeInt(entry.getKey());
                    out.writeLong(entry.getValue());
                }
            }
        } else if (request instanceof ControlRequest.CreateTopic r) {
            CreateTopicRequest create = r.request();
            out.writeByte(3);
            out.writeUTF(create.name());
            out.writeInt(create.partitions());
            out.writeInt(create.replicationFactor());
            writeConfig(out, create.config());
        } else if (request instanceof ControlRequest.DeleteTopic r) {
            out.writeByte(4);
            out.writeUTF(r.name());
        } else if (request instanceof ControlRequest.Reassign r) {
            out.writeByte(5);
            out.writeUTF(r.topic());
            out.writeInt(r.partition());
            writeIds(out, r.targetReplicas());
        } else if (request instanceof ControlRequest.RebalanceLeaders) {
            out.writeByte(6);
        } else if (request instanceof ControlRequest.ConfirmActive r) {
            out.writeByte(7);
            out.writeInt(r.brokerId());
        } else if (request instanceof ControlRequest.AlterTopicConfig r) {
            out.writeByte(9);
            out.writeUTF(r.name());
            writeConfig(out, r.entries());
        } else if (request instanceof ControlRequest.CreatePartitions r) {
            out.writeByte(10);
            out.writeUTF(r.name());
            out.writeInt(r.partitions());
        } else if (request instanceof ControlRequest.MoveActive r) {
            out.writeByte(11);
            out.writeInt(r.brokerId());
        } else {
            throw new IllegalStateException("no encoding for " + request);
        }
    }

    private static ControlRequest readRequest(DataInputStream in) throws IOException {
        int type = in.readUnsignedByte();
        return switch (type) {
            case 1 -> {
                String clusterId = in.readUTF();
                int brokerId = in.readInt();
                long incarnation = in.readLong();
                int count = readCount(in);
                List<Endpoint> endpoints = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    endpoints.add(new Endpoint(in.readUTF(), in.readUTF(), in.readInt()));
                }
                Optional<String> rack = in.readBoolean() ? Optional.of(in.readUTF()) : Optional.empty();
                yield new ControlRequest.Register(new BrokerRegistrationRequest(clusterId, brokerId, incarnation,
                        endpoints, rack));
            }
            case 8 -> {
                int items = readItemCount(in);
                List<AlterIsrRequest> requests = new ArrayList<>(items);
                for (int item = 0; item < items; item++) {
                    int brokerId = in.readInt();
                    String topic = in.readUTF();
                    int partition = in.readInt();
                    int leaderEpoch = in.readInt();
                    int partitionEpoch = in.readInt();
                    List<Integer> newIsr = readIds(in);
                    int count = readCount(in);
                    Map<Integer, Long> incarnations = new HashMap<>();
                    for (int i = 0; i < count; i++) {
                        incarnations.put(in.readInt(), in.readLong());
                    }
                    requests.add(new AlterIsrRequest(brokerId, topic, partition, leaderEpoch, partitionEpoch, newIsr,
                            incarnations));
                }
                yield new ControlRequest.AlterIsr(requests);
            }
            case 3 -> {
                String name = in.readUTF();
                int partitions = in.readInt();
                int replicationFactor = in.readInt();
                yield new ControlRequest.CreateTopic(new CreateTopicRequest(name, partitions, replicationFactor,
                        readConfig(in)));
            }
            case 4 -> new ControlRequest.DeleteTopic(in.readUTF());
            case 5 -> new ControlRequest.Reassign(in.readUTF(), in.readInt(), readIds(in));
            case 6 -> new ControlRequest.RebalanceLeaders();
            case 7 -> new ControlRequest.ConfirmActive(in.readInt());
            case 9 -> new ControlRequest.AlterTopicConfig(in.readUTF(), readConfig(in));
            case 10 -> new ControlRequest.CreatePartitions(in.readUTF(), in.readInt());
            case 11 -> new ControlRequest.MoveActive(in.readInt());
            default -> throw new IllegalArgumentException("unknown control request type " + type);
        };
    }

    private static void writeConfig(DataOutputStream out, Map<String, String> config) throws IOException {
        if (config.size() > MAX_LIST) {
            throw new IllegalArgumentException(config.size() + " config entries are more than the " + MAX_LIST
                    + " allowed");
        }
        out.writeShort(config.size());
        for (Map.Entry<String, String> entry : new TreeMap<>(config).entrySet()) {
            out.writeUTF(entry.getKey());
            out.writeUTF(entry.getValue());
        }
    }

    private static Map<String, String> readConfig(DataInputStream in) throws IOException {
        int count = readCount(in);
        Map<String, String> config = new HashMap<>();
        for (int i = 0; i < count; i++) {
            config.put(in.readUTF(), in.readUTF());
        }
        return config;
    }

    private static void writeIds(DataOutputStream out, List<Integer> ids) throws IOException {
        if (ids.size() > MAX_LIST) {
            throw new IllegalArgumentException(ids.size() + " broker ids are more than the " + MAX_LIST + " allowed");
        }
        out.writeShort(ids.size());
        for (int id : ids) {
            out.writeInt(id);
        }
    }

    private static List<Integer> readIds(DataInputStream in) throws IOException {
        int count = readCount(in);
        List<Integer> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add(in.readInt());
        }
        return ids;
    }

    private static Response readResponseWithRefusals(long requestId, DataInputStream in) throws IOException {
        int errorCode = in.readInt();
        String message = in.readUTF();
        int count = readItemCount(in);
        List<ItemRefusal> refused = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            refused.add(new ItemRefusal(in.readInt(), in.readInt(), in.readUTF()));
        }
        return new Response(requestId, errorCode, message, refused);
    }

    private static void writeItemCount(DataOutputStream out, int count) throws IOException {
        if (count > MAX_ITEMS) {
            throw new IllegalArgumentException(count + " items are more than the " + MAX_ITEMS + " one request may hold");
        }
        out.writeInt(count);
    }

    private static int readItemCount(DataInputStream in) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > MAX_ITEMS) {
            throw new IllegalArgumentException("a request of " + count + " items is outside 0.." + MAX_ITEMS);
        }
        return count;
    }

    private static int readCount(DataInputStream in) throws IOException {
        int count = in.readUnsignedShort();
        if (count > MAX_LIST) {
            throw new IllegalArgumentException("a list of " + count + " entries is more than the " + MAX_LIST
                    + " allowed");
        }
        return count;
    }

    private static byte[] write(int kind, long requestId, BodyWriter body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        try {
            out.writeByte(MAGIC);
            out.writeByte(VERSION);
            out.writeByte(kind);
            out.writeLong(requestId);
            body.write(out);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory failed", e);
        }
        return bytes.toByteArray();
    }

    @FunctionalInterface
    private interface BodyWriter {
        void write(DataOutputStream out) throws IOException;
    }
}
