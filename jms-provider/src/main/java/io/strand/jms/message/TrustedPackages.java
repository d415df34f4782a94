package io.strand.jms.message;

import java.util.ArrayList;
import java.util.List;

/**
 * The classes a received ObjectMessage body may be made of: Java deserialization instantiates whatever
 * classes the stream names, so a consumer that deserializes a hostile producer's body must be able to
 * refuse classes it does not expect. Written as a comma-separated list of package names
 * ({@code java.,javax.,com.example.}; the trailing dot is optional): a class is trusted when it lies in
 * a listed package or one beneath it, or when its full name is listed. {@code *} trusts every class.
 * Arrays are judged by their element class; primitive types are always trusted.
 *
 * <p>The default, {@code java.}, admits the JDK's own value types (strings, numbers, collections,
 * dates) and nothing an application or library defines. Immutable and thread-safe.
 */
public final class TrustedPackages {
    /** Every class: for bodies whose bytes this JVM produced itself. */
    public static final TrustedPackages ALL = new TrustedPackages("*", List.of(), true);
    /** The JDK's {@code java.*} packages. */
    public static final TrustedPackages DEFAULT = parse("java.");

    private final String text;
    /** Package or class names without a trailing dot. */
    private final List<String> names;
    private final boolean all;

    private TrustedPackages(String text, List<String> names, boolean all) {
        this.text = text;
        this.names = names;
        this.all = all;
    }

    /**
     * @param list comma-separated package (or class) names, or {@code *}
     * @throws IllegalArgumentException naming the entry that is not a Java package or class name
     */
    public static TrustedPackages parse(String list) {
        final List<String> names = new ArrayList<>();
        boolean all = false;
        for (String raw : list.split(",", -1)) {
            final String entry = raw.trim();
            if (entry.equals("*")) {
                all = true;
                continue;
            }
            final String name = entry.endsWith(".") ? entry.substring(0, entry.length() - 1) : entry;
            if (!isQualifiedName(name)) {
                throw new IllegalArgumentException("'" + entry + "' in the trusted packages '" + list
                        + "' is not a package name (such as java. or com.example.) or *");
            }
            names.add(name);
        }
        return new TrustedPackages(list.trim(), List.copyOf(names), all);
    }

    private static boolean isQualifiedName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (String part : name.split("\\.", -1)) {
            if (part.isEmpty() || !Character.isJavaIdentifierStart(part.charAt(0))) {
                return false;
            }
            for (int i = 1; i < part.length(); i++) {
                if (!Character.isJavaIdentifierPart(part.charAt(i))) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * @param className a class name as serialization writes it: {@code java.util.ArrayList},
     *                  {@code [Ljava.lang.String;}, {@code [[I}, {@code com.example.Outer$Inner}
     * @return whether a body may instantiate it
     */
    public boolean trusts(String className) {
        if (all) {
            return true;
        }
        String name = className;
        while (name.startsWith("[")) {
            name = name.substring(1);
        }
        if (name.length() == 1 && "ZBCSIJFD".indexOf(name.charAt(0)) >= 0 && !className.equals(name)) {
            return true; // an array of a primitive type
        }
        if (name.startsWith("L") && name.endsWith(";") && !className.equals(name)) {
            name = name.substring(1, name.length() - 1);
        }
        for (String trusted : names) {
            if (name.equals(trusted) || name.startsWith(trusted) && name.charAt(trusted.length()) == '.') {
                return true;
            }
        }
        return false;
    }

    /** @return the list as written */
    @Override
    public String toString() {
        return text;
    }
}
