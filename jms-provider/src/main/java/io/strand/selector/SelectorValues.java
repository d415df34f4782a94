package io.strand.selector;

/**
 * Where a {@link MessageSelector} reads the values of its identifiers: a message's selectable header fields and
 * properties, however the caller holds them (a decoded message, or a stored record's encoded headers).
 *
 * <p>The caller decides what each name means. For the header fields the specification makes selectable it returns
 * their selector values ({@code "PERSISTENT"} or {@code "NON_PERSISTENT"} for {@code JMSDeliveryMode}, a
 * {@code Long} for {@code JMSTimestamp}, ...); for names the specification leaves out of selectors (such as
 * {@code JMSDestination}) it returns {@code null}.
 */
@FunctionalInterface
public interface SelectorValues {
    /**
     * The value of an identifier: a {@code String}, {@code Boolean}, {@code Byte}, {@code Short}, {@code Integer},
     * {@code Long}, {@code Float} or {@code Double}; {@code null} when the message has no such value. A value of any
     * other type is treated as {@code null}. May be called several times per identifier during one evaluation;
     * implementations may cache.
     */
    Object valueOf(String identifier);
}
