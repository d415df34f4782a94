package io.strand.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A point in time on the command line, as epoch milliseconds: an ISO-8601 instant
 * ({@code 2026-11-27T08:00:00Z}), milliseconds since the epoch, or a time ago ({@code -15m}, {@code -2h},
 * {@code -30s}, {@code -1d}).
 */
final class Times implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
        String s = value.trim();
        if (s.startsWith("-") && s.length() > 2) {
            return System.currentTimeMillis() - ago(s.substring(1), value).toMillis();
        }
        if (s.chars().allMatch(Character::isDigit) && !s.isEmpty()) {
            return Long.parseLong(s);
        }
        try {
            return Instant.parse(s).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new TypeConversionException("'" + value + "' is no time: give an ISO-8601 instant such as"
                    + " 2026-11-27T08:00:00Z, epoch milliseconds, or a time ago such as -15m");
        }
    }

    private static Duration ago(String amount, String value) {
        char unit = amount.charAt(amount.length() - 1);
        long n;
        try {
            n = Long.parseLong(amount.substring(0, amount.length() - 1));
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is no time ago: use -<number><s|m|h|d>, such as -15m");
        }
        return switch (unit) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            case 'd' -> Duration.ofDays(n);
            default -> throw new TypeConversionException("'" + value + "' has unit '" + unit + "'; use s, m, h or d");
        };
    }
}
