package io.strand.selector;

import jakarta.jms.InvalidSelectorException;
import java.util.Objects;
import java.util.Set;

/**
 * A Jakarta Messaging message selector (specification §3.8.1), parsed and compiled once and then evaluated against
 * any number of messages.
 *
 * <p>A selector matches a message when it evaluates to TRUE; FALSE and unknown (SQL's NULL) do not match. Values
 * come from a {@link SelectorValues}, so the same selector filters decoded messages in the client and stored
 * records' headers in the broker. Evaluation never throws, whatever the values, and allocates nothing beyond the
 * boxed results of arithmetic, if the selector has any. Instances are immutable and thread-safe.
 *
 * <p>The choices the specification leaves open are documented in {@code package-info.java}.
 */
public final class MessageSelector {
    private final String expression;
    private final Expression condition;
    private final Set<String> identifiers;

    private MessageSelector(String expression, Expression condition, Set<String> identifiers) {
        this.expression = expression;
        this.condition = condition;
        this.identifiers = identifiers;
    }

    /**
     * Parses and compiles {@code expression}.
     *
     * @throws InvalidSelectorException when the expression is not a valid selector; its message names the problem
     *         and the 1-based character position, as in {@code "... at position 12"}
     * @throws IllegalArgumentException when {@code expression} is null, empty or blank: that means no selector at
     *         all, which callers handle without a {@code MessageSelector}
     */
    public static MessageSelector parse(String expression) throws InvalidSelectorException {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("a message selector needs a non-blank expression"
                    + " (a null or blank selector means no selector)");
        }
        SelectorParser.Result result = SelectorParser.parse(expression);
        return new MessageSelector(expression, result.condition(), result.identifiers());
    }

    /** True only when the selector evaluates to TRUE for these values (FALSE and unknown do not match). */
    public boolean matches(SelectorValues values) {
        Objects.requireNonNull(values, "values");
        return condition.truth(values) == Truth.TRUE;
    }

    /** The expression as it was given to {@link #parse}. */
    public String expression() {
        return expression;
    }

    /** The identifiers the expression reads, in order of first appearance; unmodifiable. */
    public Set<String> identifiers() {
        return identifiers;
    }

    @Override
    public String toString() {
        return "MessageSelector[" + expression + "]";
    }
}
