package io.strand.selector;

/** A node whose result is a truth value; as an operand of {@code =} or {@code <>} it is a Boolean or NULL. */
abstract class Condition extends Expression {
    @Override
    abstract Truth truth(SelectorValues values);

    @Override
    final Object value(SelectorValues values) {
        return truth(values).asBoolean();
    }
}
