package io.strand.bench.jms.process;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Command-line flags of the form {@code --name value}, checked against the names a program knows, with
 * typed getters whose errors name the flag and the bad value. Small on purpose: the load generator and
 * the Artemis broker run on classpaths that hold nothing but the JMS API and the broker.
 */
public final class Flags {
    private final Map<String, String> values;

    private Flags(Map<String, String> values) {
        this.values = values;
    }

    /**
     * @param known the flag names (without {@code --}) the program accepts
     * @throws IllegalArgumentException for an unknown flag, a missing value or a stray argument
     */
    public static Flags parse(String[] args, Set<String> known) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'; flags are --name value");
            }
            String name = arg.substring(2);
            String value;
            int equals = name.indexOf('=');
            if (equals >= 0) {
                value = name.substring(equals + 1);
                name = name.substring(0, equals);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown flag --" + name + "; known: --"
                        + String.join(", --", known.stream().sorted().toList()));
            }
            values.put(name, value);
        }
        return new Flags(values);
    }

    public String string(String name, String defaultValue) {
        return values.getOrDefault(name, defaultValue);
    }

    public String required(String name) {
        String value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    /** A whole number of at least {@code min}. */
    public long number(String name, long defaultValue, long min) {
        String value = values.get(name);
        if (value == null) {
            return defaultValue;
        }
        long parsed;
        try {
            parsed = Long.parseLong(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " " + value + " is not a whole number", e);
        }
        if (parsed < min) {
            throw new IllegalArgumentException("--" + name + " " + value + " must be at least " + min);
        }
        return parsed;
    }

    public int integer(String name, int defaultValue, int min) {
        long parsed = number(name, defaultValue, min);
        if (parsed > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("--" + name + " " + parsed + " is too large");
        }
        return (int) parsed;
    }
}
