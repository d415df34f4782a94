package io.strand.log;

/**
 * One entry of an {@link OffsetIndex}: the batch that starts at {@code offset} begins at byte
 * {@code position} of the segment's {@code .log} file. A lookup that finds no entry answers
 * {@code (baseOffset, 0)}: scan the segment from its start.
 */
public record OffsetPosition(long offset, int position) {
}
