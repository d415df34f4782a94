package io.strand.selector;

import java.util.ArrayList;
import java.util.List;

/**
 * A LIKE pattern compiled once: {@code _} matches any one character, {@code %} any run of characters (none
 * included), every other character itself, and the optional escape character makes the {@code _}, {@code %} or
 * escape character after it literal. Characters are Unicode code points, so {@code _} matches a character outside
 * the Basic Multilingual Plane as one character.
 *
 * <p>No regular expression is involved, so no character of the pattern has any meaning beyond the above. The
 * pattern is split at each {@code %} into segments of fixed length; the first segment must match at the start of the
 * string, the last at its end, and each segment in between is matched at its leftmost place after the previous one.
 * Taking the leftmost place never loses a match, since everything after it stays available to later segments, so
 * matching takes no backtracking.
 */
final class LikePattern {
    /** Stands for {@code _} in a segment's code points; no code point is negative. */
    private static final int ANY_CHARACTER = -1;

    private final Segment[] segments;

    private LikePattern(Segment[] segments) {
        this.segments = segments;
    }

    /**
     * Compiles {@code pattern} with {@code escape} as its escape code point, or -1 for none.
     *
     * @throws IllegalArgumentException naming the problem, when the escape character ends the pattern or is followed
     *         by anything but {@code _}, {@code %} or itself (an invalid escape sequence in SQL92)
     */
    static LikePattern compile(String pattern, int escape) {
        List<Segment> segments = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        int i = 0;
        while (i < pattern.length()) {
            int c = pattern.codePointAt(i);
            i += Character.charCount(c);
            if (c == escape) {
                if (i >= pattern.length()) {
                    throw new IllegalArgumentException("the LIKE pattern ends with its escape character");
                }
                int escaped = pattern.codePointAt(i);
                i += Character.charCount(escaped);
                if (escaped != '_' && escaped != '%' && escaped != escape) {
                    throw new IllegalArgumentException("the escape character in a LIKE pattern may only precede _, %"
                            + " or itself, not '" + new String(Character.toChars(escaped)) + "'");
                }
                current.add(escaped);
            } else if (c == '%') {
                segments.add(Segment.of(current));
                current.clear();
            } else {
                current.add(c == '_' ? ANY_CHARACTER : c);
            }
        }
        segments.add(Segment.of(current));
        return new LikePattern(segments.toArray(new Segment[0]));
    }

    boolean matches(String s) {
        Segment first = segments[0];
        if (segments.length == 1) {
            return first.matchAt(s, 0) == s.length();
        }
        int position = first.matchAt(s, 0);
        for (int i = 1; i < segments.length - 1 && position >= 0; i++) {
            position = segments[i].findFrom(s, position);
        }
        return position >= 0 && segments[segments.length - 1].matchesEnd(s, position);
    }

    /** A run of the pattern between two {@code %}: literal code points and {@code _}. */
    private static final class Segment {
        private final int[] codePoints;
        /**
         * The segment as a string when it has no {@code _}, so matching can use the JDK's string search. Left null
         * when the segment begins with a low or ends with a high surrogate, where a string search could match half
         * of a surrogate pair.
         */
        private final String literal;

        private Segment(int[] codePoints, String literal) {
            this.codePoints = codePoints;
            this.literal = literal;
        }

        static Segment of(List<Integer> elements) {
            int[] codePoints = elements.stream().mapToInt(Integer::intValue).toArray();
            StringBuilder text = new StringBuilder();
            for (int c : codePoints) {
                if (c == ANY_CHARACTER) {
                    return new Segment(codePoints, null);
                }
                text.appendCodePoint(c);
            }
            boolean splitsAPair = !text.isEmpty() && (Character.isLowSurrogate(text.charAt(0))
                    || Character.isHighSurrogate(text.charAt(text.length() - 1)));
            return new Segment(codePoints, splitsAPair ? null : text.toString());
        }

        /** The index just after this segment matched at {@code from}, or -1 when it does not match there. */
        int matchAt(String s, int from) {
            if (literal != null) {
                return s.startsWith(literal, from) ? from + literal.length() : -1;
            }
            int i = from;
            for (int expected : codePoints) {
                if (i >= s.length()) {
                    return -1;
                }
                int c = s.codePointAt(i);
                if (expected != ANY_CHARACTER && expected != c) {
                    return -1;
                }
                i += Character.charCount(c);
            }
            return i;
        }

        /** The index just after this segment's leftmost match at or after {@code from}, or -1 when none. */
        int findFrom(String s, int from) {
            if (literal != null) {
                int found = s.indexOf(literal, from);
                return found < 0 ? -1 : found + literal.length();
            }
            int i = from;
            while (true) {
                int end = matchAt(s, i);
                if (end >= 0) {
                    return end;
                }
                if (i >= s.length()) {
                    return -1;
                }
                i += Character.charCount(s.codePointAt(i));
            }
        }

        /** Whether this segment matches the end of {@code s} without starting before {@code from}. */
        boolean matchesEnd(String s, int from) {
            if (codePoints.length == 0) {
                return true;
            }
            if (literal != null) {
                return s.length() - literal.length() >= from && s.endsWith(literal);
            }
            if (s.codePointCount(from, s.length()) < codePoints.length) {
                return false;
            }
            return matchAt(s, s.offsetByCodePoints(s.length(), -codePoints.length)) == s.length();
        }
    }
}
