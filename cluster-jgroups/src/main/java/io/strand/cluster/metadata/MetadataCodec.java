package io.strand.cluster.metadata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The compact binary encoding of metadata records and of batches of them, as Raft carries them.
 *
 * <pre>
 * record = version:u8 (1) type:u8 fields
 *   RegisterBroker  (1) brokerId:i32 incarnation:i64 endpointCount:u16 (listener:str host:str port:u16)*
 *                       hasRack:u8 [rack:str]
 *   FenceBroker     (2) brokerId:i32
 *   UnfenceBroker   (3) brokerId:i32
 *   CreateTopic     (4) name:str partitions:i32 replicationFactor:i32 configCount:u16 (key:str value:str)*
 *   DeleteTopic     (5) name:str
 *   PartitionChange (6) topic:str partition:i32 leader:i32 leaderEpoch:i32 partitionEpoch:i32
 *                       isr:ids replicas:ids targetReplicas:ids
 *   AlterTopicConfig (7) name:str entryCount:u16 (key:str value:str)*
 *   CreatePartitions (8) name:str partitions:i32
 * batch  = version:u8 (1) count:i32 (length:i32 record)*
 * str    = length:u16 utf8-bytes      ids = count:u16 id:i32*
 * </pre>
 *
 * <p>All integers are big-endian. The version byte lets a later Strand add fields: a reader refuses a
 * version it does not know rather than guess. Decoding trusts nothing: every length is checked
 * against what remains and against a bound, every value goes through the record's own checks, and
 * leftover bytes are an error. Config entries are written in key order, so equal records encode to
 * equal bytes on every broker.
 */
public final class MetadataCodec {
    /** The only encoding version so far. */
    public static final int VERSION = 1;

    static final int MAX_ENDPOINTS = 16;
    static final int MAX_CONFIG_ENTRIES = 256;
    static final int MAX_BROKERS_PER_LIST = 1024;
    static final int MAX_NAME_BYTES = 1024;
    static final int MAX_CONFIG_VALUE_BYTES = 4096;
    /** The smallest possible encoded record (a fence), so a batch count can be checked up front. */
    private static final int MIN_RECORD_BYTES = 6;

    private static final int REGISTER_BROKER = 1;
    private static final int FENCE_BROKER = 2;
    private static final int UNFENCE_BROKER = 3;
    private static final int CREATE_TOPIC = 4;
    private static final int DELETE_TOPIC = 5;
    private static final int PARTITION_CHANGE = 6;
    private static final int ALTER_TOPIC_CONFIG = 7;
    private static final int CREATE_PARTITIONS = 8;

    private MetadataCodec() {
    }

    /** Encodes one record. */
    public static byte[] encode(MetadataRecord record) {
        ByteWriter out = new ByteWriter();
        write(record, out);
        return out.toByteArray();
    }

    /** Decodes exactly one record that fills the whole array. */
    public static MetadataRecord decode(byte[] bytes) {
        return decode(bytes, 0, bytes.length);
    }

    /** Decodes exactly one record that fills {@code length} bytes from {@code offset}. */
    public static MetadataRecord decode(byte[] bytes, int offset, int length) {
        ByteReader in = new ByteReader(bytes, offset, length);
        MetadataRecord record = read(in);
        in.requireEnd("the record");
        return record;
    }

    /** Encodes records that must be applied together, in order. */
    public static byte[] encodeBatch(List<? extends MetadataRecord> records) {
        ByteWriter out = new ByteWriter();
        out.writeByte(VERSION);
        out.writeInt(records.size());
        for (MetadataRecord record : records) {
            byte[] encoded = encode(record);
            out.writeInt(encoded.length);
            out.writeBytes(encoded);
        }
        return out.toByteArray();
    }

    /** Decodes a batch written by {@link #encodeBatch}. */
    public static List<MetadataRecord> decodeBatch(byte[] bytes, int offset, int length) {
        ByteReader in = new ByteReader(bytes, offset, length);
        requireVersion(in, "batch");
        int count = in.readInt("record count");
        if (count < 0 || (long) count * (4 + MIN_RECORD_BYTES) > in.remaining()) {
            throw in.malformed("record count " + count + " cannot fit in the " + in.remaining() + " bytes left");
        }
        List<MetadataRecord> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int recordLength = in.readInt("length of record " + i);
            int start = offset + in.position();
            byte[] recordBytes = in.readBytes(recordLength, "record " + i);
            try {
                records.add(decode(recordBytes, 0, recordBytes.length));
            } catch (MetadataFormatException e) {
                throw new MetadataFormatException("record " + i + " of the batch, starting at byte " + start
                        + ": " + e.getMessage(), e);
            }
        }
        in.requireEnd("the batch");
        return records;
    }

    private static void write(MetadataRecord record, ByteWriter out) {
        out.writeByte(VERSION);
        if (record instanceof RegisterBroker r) {
            out.writeByte(REGISTER_BROKER);
            out.writeInt(r.brokerId());
            out.writeLong(r.incarnation());
            writeCount(out, r.endpoints().size(), MAX_ENDPOINTS, "endpoints");
            for (Endpoint endpoint : r.endpoints()) {
                out.writeString(endpoint.listener(), MAX_NAME_BYTES, "listener");
                out.writeString(endpoint.host(), MAX_NAME_BYTES, "host");
                out.writeShort(endpoint.port());
            }
            out.writeByte(r.rack().isPresent() ? 1 : 0);
            r.rack().ifPresent(rack -> out.writeString(rack, MAX_NAME_BYTES, "rack"));
        } else if (record instanceof FenceBroker r) {
            out.writeByte(FENCE_BROKER);
            out.writeInt(r.brokerId());
        } else if (record instanceof UnfenceBroker r) {
            out.writeByte(UNFENCE_BROKER);
            out.writeInt(r.brokerId());
        } else if (record instanceof CreateTopic r) {
            out.writeByte(CREATE_TOPIC);
            out.writeString(r.name(), MAX_NAME_BYTES, "topic name");
            out.writeInt(r.partitions());
            out.writeInt(r.replicationFactor());
            writeConfig(out, r.config());
        } else if (record instanceof AlterTopicConfig r) {
            out.writeByte(ALTER_TOPIC_CONFIG);
            out.writeString(r.name(), MAX_NAME_BYTES, "topic name");
            writeConfig(out, r.entries());
        } else if (record instanceof CreatePartitions r) {
            out.writeByte(CREATE_PARTITIONS);
            out.writeString(r.name(), MAX_NAME_BYTES, "topic name");
            out.writeInt(r.partitions());
        } else if (record instanceof DeleteTopic r) {
            out.writeByte(DELETE_TOPIC);
            out.writeString(r.name(), MAX_NAME_BYTES, "topic name");
        } else if (record instanceof PartitionChange r) {
            out.writeByte(PARTITION_CHANGE);
            out.writeString(r.topic(), MAX_NAME_BYTES, "topic name");
            out.writeInt(r.partition());
            out.writeInt(r.leader());
            out.writeInt(r.leaderEpoch());
            out.writeInt(r.partitionEpoch());
            writeIds(out, r.isr(), "isr");
            writeIds(out, r.replicas(), "replicas");
            writeIds(out, r.targetReplicas(), "target replicas");
        } else {
            throw new IllegalStateException("no encoding for " + record.getClass().getName());
        }
    }

    private static MetadataRecord read(ByteReader in) {
        requireVersion(in, "record");
        int type = in.readUnsignedByte("record type");
        try {
            return switch (type) {
                case REGISTER_BROKER -> readRegisterBroker(in);
                case FENCE_BROKER -> new FenceBroker(in.readInt("brokerId"));
                case UNFENCE_BROKER -> new UnfenceBroker(in.readInt("brokerId"));
                case CREATE_TOPIC -> readCreateTopic(in);
                case DELETE_TOPIC -> new DeleteTopic(in.readString("topic name", MAX_NAME_BYTES));
                case PARTITION_CHANGE -> readPartitionChange(in);
                case ALTER_TOPIC_CONFIG -> new AlterTopicConfig(in.readString("topic name", MAX_NAME_BYTES),
                        readConfig(in));
                case CREATE_PARTITIONS -> new CreatePartitions(in.readString("topic name", MAX_NAME_BYTES),
                        in.readInt("partitions"));
                default -> throw in.malformed("unknown record type " + type);
            };
        } catch (IllegalArgumentException e) {
            // A value the record itself refuses (a negative id, a leader outside the ISR) is malformed input too.
            throw in.malformed("record type " + type + " holds an invalid value: " + e.getMessage());
        }
    }

    private static RegisterBroker readRegisterBroker(ByteReader in) {
        int brokerId = in.readInt("brokerId");
        long incarnation = in.readLong("incarnation");
        int endpointCount = readCount(in, MAX_ENDPOINTS, "endpoints");
        List<Endpoint> endpoints = new ArrayList<>(endpointCount);
        for (int i = 0; i < endpointCount; i++) {
            String listener = in.readString("listener", MAX_NAME_BYTES);
            String host = in.readString("host", MAX_NAME_BYTES);
            endpoints.add(new Endpoint(listener, host, in.readUnsignedShort("port")));
        }
        int hasRack = in.readUnsignedByte("rack flag");
        if (hasRack > 1) {
            throw in.malformed("rack flag is " + hasRack + ", not 0 or 1");
        }
        Optional<String> rack = hasRack == 1 ? Optional.of(in.readString("rack", MAX_NAME_BYTES)) : Optional.empty();
        return new RegisterBroker(brokerId, incarnation, endpoints, rack);
    }

    private static CreateTopic readCreateTopic(ByteReader in) {
        String name = in.readString("topic name", MAX_NAME_BYTES);
        int partitions = in.readInt("partitions");
        int replicationFactor = in.readInt("replicationFactor");
        return new CreateTopic(name, partitions, replicationFactor, readConfig(in));
    }

    /** Config entries in key order, so that equal configs encode to equal bytes. */
    private static void writeConfig(ByteWriter out, Map<String, String> config) {
        writeCount(out, config.size(), MAX_CONFIG_ENTRIES, "config entries");
        for (Map.Entry<String, String> entry : new TreeMap<>(config).entrySet()) {
            out.writeString(entry.getKey(), MAX_NAME_BYTES, "config key");
            out.writeString(entry.getValue(), MAX_CONFIG_VALUE_BYTES, "config value");
        }
    }

    private static Map<String, String> readConfig(ByteReader in) {
        int entries = readCount(in, MAX_CONFIG_ENTRIES, "config entries");
        Map<String, String> config = new HashMap<>();
        for (int i = 0; i < entries; i++) {
            String key = in.readString("config key", MAX_NAME_BYTES);
            String value = in.readString("config value", MAX_CONFIG_VALUE_BYTES);
            if (config.put(key, value) != null) {
                throw in.malformed("config key '" + key + "' appears twice");
            }
        }
        return config;
    }

    private static PartitionChange readPartitionChange(ByteReader in) {
        String topic = in.readString("topic name", MAX_NAME_BYTES);
        int partition = in.readInt("partition");
        int leader = in.readInt("leader");
        int leaderEpoch = in.readInt("leaderEpoch");
        int partitionEpoch = in.readInt("partitionEpoch");
        List<Integer> isr = readIds(in, "isr");
        List<Integer> replicas = readIds(in, "replicas");
        List<Integer> target = readIds(in, "target replicas");
        return new PartitionChange(topic, partition, leader, leaderEpoch, isr, replicas, partitionEpoch, target);
    }

    private static void requireVersion(ByteReader in, String what) {
        int version = in.readUnsignedByte(what + " version");
        if (version != VERSION) {
            throw in.malformed(what + " version " + version + " is not supported (this Strand reads version "
                    + VERSION + ")");
        }
    }

    private static void writeIds(ByteWriter out, List<Integer> ids, String field) {
        writeCount(out, ids.size(), MAX_BROKERS_PER_LIST, field);
        ids.forEach(out::writeInt);
    }

    private static List<Integer> readIds(ByteReader in, String field) {
        int count = readCount(in, MAX_BROKERS_PER_LIST, field);
        List<Integer> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add(in.readInt(field + "[" + i + "]"));
        }
        return ids;
    }

    private static void writeCount(ByteWriter out, int count, int max, String field) {
        if (count > max) {
            throw new IllegalArgumentException(count + " " + field + " are more than the " + max + " allowed");
        }
        out.writeShort(count);
    }

    private static int readCount(ByteReader in, int max, String field) {
        int count = in.readUnsignedShort(field + " count");
        if (count > max) {
            throw in.malformed(count + " " + field + " are more than the " + max + " allowed");
        }
        return count;
    }
}
