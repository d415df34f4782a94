package io.strand.jms.client;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed connection URL: {@code strand://host:port[,host:port...][?options]} for brokers over TCP,
 * or {@code vm://[name][?options]} for a broker embedded in this JVM (DESIGN.md §4).
 *
 * <p>Options are {@code key=value} pairs separated by {@code &}, URL-decoded. The client's own
 * options are read by {@link ClientOptions}; on a {@code vm://} URL every other option (such as
 * {@code dataDir}) goes to the embedded broker. Parsing never connects. Immutable and thread-safe.
 *
 * @param scheme   {@code strand} or {@code vm}
 * @param hosts    the brokers to try in order ({@code strand} only; empty for {@code vm})
 * @param vmName   the embedded broker's name ({@code vm} only; {@code "default"} when the URL names none)
 * @param options  the options in URL order
 */
public record ConnectionUrl(String scheme, List<HostPort> hosts, String vmName, Map<String, String> options) {
    public static final String STRAND = "strand";
    public static final String VM = "vm";
    public static final String DEFAULT_VM_NAME = "default";

    /** One broker address, not resolved yet. */
    public record HostPort(String host, int port) {
        /**
         * Parses one endpoint as brokers name each other, {@code host:port} or {@code [IPv6]:port}.
         *
         * @throws IllegalArgumentException saying what is wrong with it
         */
        public static HostPort parse(String endpoint) {
            if (endpoint == null || endpoint.isBlank()) {
                throw new IllegalArgumentException("broker endpoint is empty; expected host:port");
            }
            return parseHost(endpoint, endpoint.trim());
        }

        @Override
        public String toString() {
            return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
        }
    }

    public ConnectionUrl {
        hosts = List.copyOf(hosts);
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    public boolean isVm() {
        return VM.equals(scheme);
    }

    /**
     * @param url the URL text
     * @return the parsed URL
     * @throws IllegalArgumentException quoting the URL and saying what is wrong with it
     */
    public static ConnectionUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("connection URL is empty; expected strand://host:port or vm://name");
        }
        final String text = url.trim();
        final int schemeEnd = text.indexOf("://");
        if (schemeEnd < 0) {
            throw bad(url, "no scheme; expected strand://host:port[,host:port...] or vm://name");
        }
        final String scheme = text.substring(0, schemeEnd).toLowerCase(java.util.Locale.ROOT);
        final String rest = text.substring(schemeEnd + 3);
        final int query = rest.indexOf('?');
        final String authority = query < 0 ? rest : rest.substring(0, query);
        final Map<String, String> options = query < 0 ? Map.of() : parseOptions(url, rest.substring(query + 1));
        switch (scheme) {
            case STRAND:
                return new ConnectionUrl(STRAND, parseHosts(url, authority), null, options);
            case VM:
                return new ConnectionUrl(VM, List.of(), parseVmName(url, authority), options);
            default:
                throw bad(url, "unknown scheme '" + scheme + "'; use strand:// or vm://");
        }
    }

    private static List<HostPort> parseHosts(String url, String authority) {
        final String list = authority.endsWith("/") ? authority.substring(0, authority.length() - 1) : authority;
        if (list.isEmpty()) {
            throw bad(url, "no host; expected strand://host:port");
        }
        final List<HostPort> hosts = new ArrayList<>();
        for (String part : list.split(",", -1)) {
            hosts.add(parseHost(url, part.trim()));
        }
        return hosts;
    }

    private static HostPort parseHost(String url, String part) {
        if (part.isEmpty()) {
            throw bad(url, "empty host in the host list");
        }
        final String host;
        final String port;
        if (part.startsWith("[")) { // IPv6 literal: [::1]:9092
            final int close = part.indexOf(']');
            if (close < 0 || close + 1 >= part.length() || part.charAt(close + 1) != ':') {
                throw bad(url, "IPv6 host '" + part + "' must be written [address]:port");
            }
            host = part.substring(1, close);
            port = part.substring(close + 2);
        } else {
            final int colon = part.lastIndexOf(':');
            if (colon < 0) {
                throw bad(url, "host '" + part + "' has no port; write host:port");
            }
            host = part.substring(0, colon);
            port = part.substring(colon + 1);
        }
        if (host.isEmpty() || host.indexOf('/') >= 0 || host.indexOf(':') >= 0 && !part.startsWith("[")) {
            throw bad(url, "host '" + part + "' is not a valid host name");
        }
        final int number;
        try {
            number = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw bad(url, "port '" + port + "' of host '" + host + "' is not a number");
        }
        if (number < 1 || number > 65535) {
            throw bad(url, "port " + number + " of host '" + host + "' is outside [1, 65535]");
        }
        return new HostPort(host, number);
    }

    private static String parseVmName(String url, String authority) {
        final String name = authority.endsWith("/") ? authority.substring(0, authority.length() - 1) : authority;
        if (name.isEmpty()) {
            return DEFAULT_VM_NAME;
        }
        for (int i = 0; i < name.length(); i++) {
            final char c = name.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.')) {
                throw bad(url, "embedded broker name '" + name + "' may contain only letters, digits, '-', '_' and '.'");
            }
        }
        return name;
    }

    private static Map<String, String> parseOptions(String url, String query) {
        final Map<String, String> options = new LinkedHashMap<>();
        if (query.isEmpty()) {
            return options;
        }
        for (String pair : query.split("&", -1)) {
            final int eq = pair.indexOf('=');
            if (pair.isEmpty() || eq <= 0) {
                throw bad(url, "option '" + pair + "' is not of the form key=value");
            }
            final String key = decode(url, pair.substring(0, eq));
            if (options.put(key, decode(url, pair.substring(eq + 1))) != null) {
                throw bad(url, "option '" + key + "' is given twice");
            }
        }
        return options;
    }

    private static String decode(String url, String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw bad(url, "'" + s + "' is not properly URL-encoded");
        }
    }

    private static IllegalArgumentException bad(String url, String what) {
        return new IllegalArgumentException("invalid connection URL '" + url + "': " + what);
    }

    @Override
    public String toString() {
        final StringBuilder b = new StringBuilder(scheme).append("://");
        if (isVm()) {
            b.append(vmName);
        } else {
            for (int i = 0; i < hosts.size(); i++) {
                b.append(i == 0 ? "" : ",").append(hosts.get(i));
            }
        }
        return b.toString();
    }
}
