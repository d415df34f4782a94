package io.strand.cluster.metadata;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/** Random metadata records for the codec and state machine tests, all from one seed. */
final class MetadataRecords {
    private MetadataRecords() {
    }

    static MetadataRecord any(Random random) {
        return switch (random.nextInt(8)) {
            case 0 -> registerBroker(random, random.nextInt(6));
            case 1 -> new FenceBroker(random.nextInt(6));
            case 2 -> new UnfenceBroker(random.nextInt(6));
            case 3 -> createTopic(random);
            case 4 -> new DeleteTopic(topicName(random));
            case 5 -> alterTopicConfig(random);
            case 6 -> new CreatePartitions(topicName(random), 1 + random.nextInt(6));
            default -> partitionChange(random);
        };
    }

    static RegisterBroker registerBroker(Random random, int brokerId) {
        List<Endpoint> endpoints = new ArrayList<>();
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            endpoints.add(new Endpoint("l" + i, random.nextBoolean() ? "127.0.0.1" : "höst-" + i,
                    1 + random.nextInt(65535)));
        }
        Optional<String> rack = random.nextBoolean() ? Optional.of("rack-" + random.nextInt(3)) : Optional.empty();
        return new RegisterBroker(brokerId, random.nextLong(), endpoints, rack);
    }

    static CreateTopic createTopic(Random random) {
        Map<String, String> config = new HashMap<>();
        if (random.nextBoolean()) {
            config.put(TopicMetadata.UNCLEAN_LEADER_ELECTION, Boolean.toString(random.nextBoolean()));
        }
        if (random.nextBoolean()) {
            config.put("retention.ms", Long.toString(random.nextInt(1_000_000)));
        }
        return new CreateTopic(topicName(random), 1 + random.nextInt(3), 1 + random.nextInt(3), config);
    }

    static AlterTopicConfig alterTopicConfig(Random random) {
        Map<String, String> entries = new HashMap<>();
        entries.put(TopicMetadata.MIN_INSYNC_REPLICAS, Integer.toString(1 + random.nextInt(3)));
        if (random.nextBoolean()) {
            entries.put(TopicMetadata.UNCLEAN_LEADER_ELECTION, Boolean.toString(random.nextBoolean()));
        }
        return new AlterTopicConfig(topicName(random), entries);
    }

    static PartitionChange partitionChange(Random random) {
        List<Integer> replicas = new ArrayList<>(List.of(0, 1, 2, 3, 4, 5));
        Collections.shuffle(replicas, random);
        replicas = new ArrayList<>(replicas.subList(0, 1 + random.nextInt(3)));
        List<Integer> isr = new ArrayList<>(replicas.subList(0, random.nextInt(replicas.size() + 1)));
        int leader = isr.isEmpty() || random.nextInt(5) == 0 ? PartitionChange.NO_LEADER
                : isr.get(random.nextInt(isr.size()));
        List<Integer> target = random.nextInt(4) == 0 ? List.of(random.nextInt(6)) : List.of();
        return new PartitionChange(topicName(random), random.nextInt(3), leader, random.nextInt(4), isr, replicas,
                random.nextInt(6), target);
    }

    private static String topicName(Random random) {
        return random.nextInt(5) == 0 ? "ordres-é" : "t" + random.nextInt(3);
    }
}
