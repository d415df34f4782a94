package io.strand.log;

/**
 * Names of the files in a partition directory. Segment files carry their base offset as 20
 * zero-padded digits, so that a plain directory listing sorts them in offset order.
 */
final class LogFiles {
    static final String LOG_SUFFIX = ".log";
    static final String INDEX_SUFFIX = ".index";
    static final String TIME_INDEX_SUFFIX = ".timeindex";
    /** Temporary files of an atomic replace; left behind only by a crash, deleted on load. */
    static final String TMP_SUFFIX = ".tmp";

    private LogFiles() {
    }

    static String logFileName(long baseOffset) {
        return padded(baseOffset) + LOG_SUFFIX;
    }

    static String indexFileName(long baseOffset) {
        return padded(baseOffset) + INDEX_SUFFIX;
    }

    static String timeIndexFileName(long baseOffset) {
        return padded(baseOffset) + TIME_INDEX_SUFFIX;
    }

    private static String padded(long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("baseOffset=" + offset + " is negative");
        }
        return String.format("%020d", offset);
    }

    /** The base offset in a segment file name such as {@code 00000000000000000042.log}, or -1 if it is not one. */
    static long baseOffsetOf(String fileName, String suffix) {
        if (!fileName.endsWith(suffix) || fileName.length() != 20 + suffix.length()) {
            return -1;
        }
        String digits = fileName.substring(0, 20);
        for (int i = 0; i < digits.length(); i++) {
            if (!Character.isDigit(digits.charAt(i))) {
                return -1;
            }
        }
        return Long.parseLong(digits);
    }
}
