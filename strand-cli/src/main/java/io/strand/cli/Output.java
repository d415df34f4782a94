package io.strand.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Prints what a command shows, built of maps (one object: its fields in order), lists of maps (rows)
 * and scalars. As a table: an object's scalar fields as {@code name: value} lines, then each of its
 * lists as a titled table; a list of rows as one table with a header. As JSON: the same structure.
 * Field names are camelCase; one ending in {@code Ms} holds a {@link Duration}, printed as
 * milliseconds in JSON and readably in a table, whose header drops the suffix.
 */
final class Output {
    /** How to print. */
    enum Format { TABLE, JSON }

    private final Format format;
    private final PrintWriter out;

    Output(Format format, PrintWriter out) {
        this.format = format;
        this.out = out;
    }

    void print(Object shown) {
        if (format == Format.JSON) {
            out.println(Json.write(shown));
        } else if (shown instanceof Map<?, ?> object) {
            printObject(object);
        } else if (shown instanceof List<?> rows) {
            printTable(rows);
        } else {
            out.println(cell(shown));
        }
    }

    private void printObject(Map<?, ?> object) {
        int width = object.keySet().stream().map(k -> header((String) k).length()).max(Integer::compare).orElse(0);
        List<Map.Entry<?, ?>> tables = new ArrayList<>();
        for (Map.Entry<?, ?> field : object.entrySet()) {
            if (field.getValue() instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Map) {
                tables.add(field);
            } else {
                String name = header((String) field.getKey()).toLowerCase();
                out.println(name + ":" + " ".repeat(width - name.length() + 1) + cell(field.getValue()));
            }
        }
        for (Map.Entry<?, ?> table : tables) {
            out.println();
            out.println(header((String) table.getKey()));
            printTable((List<?>) table.getValue());
        }
    }

    private void printTable(List<?> rows) {
        if (rows.isEmpty()) {
            out.println("(none)");
            return;
        }
        List<String> keys = ((Map<?, ?>) rows.get(0)).keySet().stream().map(k -> (String) k).toList();
        List<List<String>> cells = new ArrayList<>();
        cells.add(keys.stream().map(Output::header).toList());
        for (Object row : rows) {
            Map<?, ?> fields = (Map<?, ?>) row;
            cells.add(keys.stream().map(k -> cell(fields.get(k))).toList());
        }
        int[] widths = new int[keys.size()];
        for (List<String> line : cells) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        }
        for (List<String> line : cells) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                s.append(line.get(i)).append(i == widths.length - 1 ? "" : " ".repeat(widths[i] - line.get(i).length() + 2));
            }
            out.println(s.toString().stripTrailing());
        }
    }

    /** {@code oldestAgeMs} becomes {@code OLDEST AGE}. */
    static String header(String key) {
        String name = key.endsWith("Ms") ? key.substring(0, key.length() - 2) : key;
        return name.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toUpperCase();
    }

    static String cell(Object value) {
        if (value == null) {
            return "-";
        }
        if (value instanceof Duration duration) {
            return readable(duration);
        }
        if (value instanceof Map<?, ?> map) {
            return map.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
        }
        if (value instanceof List<?> list) {
            return list.stream().map(Output::cell).collect(Collectors.joining(","));
        }
        if (value instanceof Instant instant) {
            return instant.toString();
        }
        return String.valueOf(value);
    }

    /** 850ms, 12.3s, 4m05s, 2h03m, 3d04h. */
    static String readable(Duration duration) {
        long ms = duration.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        if (ms < 60_000) {
            return String.format("%.1fs", ms / 1000.0);
        }
        long s = ms / 1000;
        if (s < 3600) {
            return String.format("%dm%02ds", s / 60, s % 60);
        }
        if (s < 86_400) {
            return String.format("%dh%02dm", s / 3600, s % 3600 / 60);
        }
        return String.format("%dd%02dh", s / 86_400, s % 86_400 / 3600);
    }
}
