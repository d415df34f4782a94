package io.strand.log;

/**
 * What recovering one segment found.
 *
 * @param nextOffset     the offset after the last good batch
 * @param validBytes     bytes of good batches kept
 * @param truncatedBytes bytes cut from the end of the file (a torn or corrupt tail)
 * @param problem        why the cut was made, with the file position; null when nothing was cut
 */
record SegmentRecovery(long nextOffset, long validBytes, long truncatedBytes, String problem) {
}
