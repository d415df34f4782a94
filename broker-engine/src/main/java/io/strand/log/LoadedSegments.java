package io.strand.log;

import java.util.concurrent.ConcurrentNavigableMap;

/**
 * A partition's segments as loading found them, with the offsets loading established.
 *
 * @param segments       by base offset; never empty
 * @param logStartOffset the first offset the log holds
 * @param logEndOffset   the offset after the last batch
 * @param recoveryPoint  every offset below it is known to be on disk
 */
record LoadedSegments(ConcurrentNavigableMap<Long, LogSegment> segments, long logStartOffset, long logEndOffset,
                      long recoveryPoint) {
}
