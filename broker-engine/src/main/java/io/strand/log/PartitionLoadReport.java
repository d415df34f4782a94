package io.strand.log;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What loading one partition found and changed, for the operator: segments scanned after a crash,
 * bytes cut from a torn or corrupt tail (with the reason and file position), segments dropped
 * after a cut, and indexes rebuilt.
 *
 * @param unclean        whether the partition was loaded after a crash
 * @param truncatedBytes bytes cut off, summed over all segments
 * @param deletedBytes   bytes of whole segments dropped because an earlier one was cut
 * @param events         one line per change, naming the file
 */
public record PartitionLoadReport(TopicPartition topicPartition, boolean unclean, int segmentsRecovered,
                                  long truncatedBytes, long deletedBytes, int indexesRebuilt, List<String> events) {

    /** Whether loading dropped any bytes. */
    public boolean lostBytes() {
        return truncatedBytes > 0 || deletedBytes > 0;
    }

    static final class Builder {
        private final TopicPartition topicPartition;
        private final List<String> events = new ArrayList<>();
        private int segmentsRecovered;
        private long truncatedBytes;
        private long deletedBytes;
        private int indexesRebuilt;

        Builder(TopicPartition topicPartition) {
            this.topicPartition = topicPartition;
        }

        void segmentRecovered(Path file, SegmentRecovery result) {
            segmentsRecovered++;
            if (result.truncatedBytes() > 0) {
                truncatedBytes += result.truncatedBytes();
                events.add("cut " + result.truncatedBytes() + " bytes from " + file + " at position "
                        + result.validBytes() + ": " + result.problem());
            }
        }

        void segmentDeleted(Path file, long bytes) {
            deletedBytes += bytes;
            events.add("deleted " + file + " (" + bytes + " bytes) after an earlier segment was cut");
        }

        void indexRebuilt(Path file) {
            indexesRebuilt++;
            events.add("rebuilt the indexes of " + file);
        }

        PartitionLoadReport build(boolean unclean) {
            return new PartitionLoadReport(topicPartition, unclean, segmentsRecovered, truncatedBytes, deletedBytes,
                    indexesRebuilt, List.copyOf(events));
        }
    }
}
