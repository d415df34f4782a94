package io.strand.selector;

/**
 * One compiled node of a selector. A node yields either a value (for arithmetic and operands) or a truth value
 * (for conditions); each kind can stand in for the other, because a Boolean identifier is a condition and a
 * condition can be compared with {@code =} to a Boolean.
 *
 * <p>Nodes are immutable and never throw on any input: every value they see is one of the selector types or
 * {@code null}, and type mismatches become {@code FALSE} or unknown as the specification says.
 */
abstract class Expression {
    /** The node's value: a String, Boolean, Byte, Short, Integer, Long, Float or Double, or null for NULL. */
    abstract Object value(SelectorValues values);

    /** The node's value as a condition. */
    Truth truth(SelectorValues values) {
        return Truth.ofValue(value(values));
    }
}
