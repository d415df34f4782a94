package io.strand.selector;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A selector as a syntax tree, for property tests: generated at random, printed to text by
 * {@link SelectorPrinter} and evaluated by {@link ReferenceEvaluator} independently of the package under test.
 */
sealed interface SelectorTree {

    record Identifier(String name) implements SelectorTree {
    }

    /** A non-negative Long, Double or Float (a negative number is a {@link Negation} of one). */
    record NumberLiteral(Number value) implements SelectorTree {
    }

    record StringLiteral(String value) implements SelectorTree {
    }

    record BooleanLiteral(boolean value) implements SelectorTree {
    }

    /** One of {@code + - * /}. */
    record Arithmetic(char operator, SelectorTree left, SelectorTree right) implements SelectorTree {
    }

    record Negation(SelectorTree operand) implements SelectorTree {
    }

    record UnaryPlus(SelectorTree operand) implements SelectorTree {
    }

    /** One of {@code = <> < <= > >=}. */
    record Comparison(String operator, SelectorTree left, SelectorTree right) implements SelectorTree {
    }

    record Between(boolean negated, SelectorTree operand, SelectorTree low, SelectorTree high)
            implements SelectorTree {
    }

    record In(boolean negated, String identifier, List<String> strings) implements SelectorTree {
    }

    /** A LIKE whose pattern is a list of elements; printed with the escape character {@code !} when asked. */
    record Like(boolean negated, String identifier, List<LikeElement> pattern, boolean withEscape)
            implements SelectorTree {
    }

    record IsNull(boolean negated, String identifier) implements SelectorTree {
    }

    record Not(SelectorTree operand) implements SelectorTree {
    }

    record And(SelectorTree left, SelectorTree right) implements SelectorTree {
    }

    record Or(SelectorTree left, SelectorTree right) implements SelectorTree {
    }

    /** One element of a LIKE pattern. */
    sealed interface LikeElement {
        /** {@code %} */
        record AnyRun() implements LikeElement {
        }

        /** {@code _} */
        record AnyOne() implements LikeElement {
        }

        /** One character standing for itself (escaped when it is {@code %}, {@code _} or the escape). */
        record Literal(String character) implements LikeElement {
        }
    }

    /** The identifiers of a tree in the order they are printed. */
    static Set<String> identifiers(SelectorTree tree) {
        Set<String> names = new LinkedHashSet<>();
        collect(tree, names);
        return names;
    }

    private static void collect(SelectorTree tree, Set<String> names) {
        if (tree instanceof Identifier identifier) {
            names.add(identifier.name());
        } else if (tree instanceof In in) {
            names.add(in.identifier());
        } else if (tree instanceof Like like) {
            names.add(like.identifier());
        } else if (tree instanceof IsNull isNull) {
            names.add(isNull.identifier());
        } else {
            children(tree).forEach(child -> collect(child, names));
        }
    }

    /** The sub-trees of a tree, in printing order. */
    static List<SelectorTree> children(SelectorTree tree) {
        if (tree instanceof Arithmetic a) {
            return List.of(a.left(), a.right());
        } else if (tree instanceof Negation n) {
            return List.of(n.operand());
        } else if (tree instanceof UnaryPlus p) {
            return List.of(p.operand());
        } else if (tree instanceof Comparison c) {
            return List.of(c.left(), c.right());
        } else if (tree instanceof Between b) {
            return List.of(b.operand(), b.low(), b.high());
        } else if (tree instanceof Not n) {
            return List.of(n.operand());
        } else if (tree instanceof And a) {
            return List.of(a.left(), a.right());
        } else if (tree instanceof Or o) {
            return List.of(o.left(), o.right());
        }
        return List.of();
    }
}
