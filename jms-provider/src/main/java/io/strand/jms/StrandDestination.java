package io.strand.jms;

import jakarta.jms.Destination;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import java.io.Serializable;

/**
 * A named Strand destination: a queue or a topic, permanent or temporary, each backed by one log topic
 * (DESIGN.md §3).
 *
 * <p>A destination is a value: two destinations are equal when they are of the same class and have the
 * same name, so a {@link StrandQueue} and a {@link StrandTopic} named {@code orders} are different
 * destinations (they are different logs). Names are 1 to {@value #MAX_NAME_LENGTH} characters of
 * {@code [A-Za-z0-9._-]}: they become log directory names on the broker, so they must be safe on every file
 * system and never contain a path separator.
 *
 * <p>Immutable apart from the deleter of a temporary destination, and safe to share between threads.
 * Serializable so that applications can bind destinations in JNDI.
 */
public abstract class StrandDestination implements Destination, Serializable {
    private static final long serialVersionUID = 1L;

    /** The longest destination name; keeps {@code <name>-<partition>} directory names short. */
    public static final int MAX_NAME_LENGTH = 200;

    /**
     * Deletes a temporary destination on behalf of the connection that created it. The connection sets
     * one on each temporary destination it creates; a temporary destination without one (for example
     * one decoded from a received message's {@code JMSReplyTo}) cannot be deleted.
     */
    @FunctionalInterface
    public interface Deleter {
        /**
         * Deletes the destination.
         *
         * @param destination the temporary destination to delete
         * @throws JMSException if it is in use by a consumer, or the connection is closed or fails
         */
        void delete(StrandDestination destination) throws JMSException;
    }

    private final String name;

    /**
     * @param name the destination name
     * @throws InvalidDestinationException if the name is null, empty, too long or has a character
     *                                     outside {@code [A-Za-z0-9._-]}
     */
    protected StrandDestination(String name) throws InvalidDestinationException {
        this.name = validateName(name);
    }

    /**
     * Checks a destination name against Strand's rules.
     *
     * @param name the name to check
     * @return the name, unchanged
     * @throws InvalidDestinationException naming the name and the rule it breaks
     */
    public static String validateName(String name) throws InvalidDestinationException {
        if (name == null || name.isEmpty()) {
            throw new InvalidDestinationException("destination name must not be null or empty: name=" + name);
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw new InvalidDestinationException("destination name longer than " + MAX_NAME_LENGTH
                    + " characters: length=" + name.length() + " name=" + name);
        }
        for (int i = 0; i < name.length(); i++) {
            if (!isNameChar(name.charAt(i))) {
                throw new InvalidDestinationException("destination name may contain only [A-Za-z0-9._-]: name="
                        + name + " badCharIndex=" + i);
            }
        }
        return name;
    }

    private static boolean isNameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '.' || c == '_' || c == '-';
    }

    /** @return the destination name, which is also the name of its log topic */
    public final String name() {
        return name;
    }

    /** @return true for queues (temporary or not), false for topics */
    public abstract boolean isQueue();

    /** @return true for temporary destinations, which live only as long as their connection */
    public abstract boolean isTemporary();

    /** @return the URL-like scheme used in {@link #toString()}, e.g. {@code queue} */
    protected abstract String scheme();

    @Override
    public final boolean equals(Object other) {
        return other != null && other.getClass() == getClass() && ((StrandDestination) other).name.equals(name);
    }

    @Override
    public final int hashCode() {
        return getClass().hashCode() * 31 + name.hashCode();
    }

    @Override
    public String toString() {
        return scheme() + "://" + name;
    }
}
