package io.strand.selector;

import io.strand.selector.SelectorTree.And;
import io.strand.selector.SelectorTree.Arithmetic;
import io.strand.selector.SelectorTree.Between;
import io.strand.selector.SelectorTree.BooleanLiteral;
import io.strand.selector.SelectorTree.Comparison;
import io.strand.selector.SelectorTree.Identifier;
import io.strand.selector.SelectorTree.In;
import io.strand.selector.SelectorTree.IsNull;
import io.strand.selector.SelectorTree.Like;
import io.strand.selector.SelectorTree.LikeElement;
import io.strand.selector.SelectorTree.Negation;
import io.strand.selector.SelectorTree.Not;
import io.strand.selector.SelectorTree.NumberLiteral;
import io.strand.selector.SelectorTree.Or;
import io.strand.selector.SelectorTree.StringLiteral;
import io.strand.selector.SelectorTree.UnaryPlus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Prints a {@link SelectorTree} as selector text. With minimal parentheses it relies on the specification's
 * precedence (so parsing the text tests precedence); fully parenthesized it does not. With a random source it also
 * varies the letter case of reserved words and the white space between tokens, dropping it where the lexer does not
 * need it.
 */
final class SelectorPrinter {
    private static final int OR = 1;
    private static final int AND = 2;
    private static final int NOT = 3;
    private static final int PREDICATE = 4;
    private static final int ADDITIVE = 5;
    private static final int MULTIPLICATIVE = 6;
    private static final int UNARY = 7;
    private static final int PRIMARY = 8;
    private static final String[] WHITE_SPACE = {" ", "  ", "\t", "\n", "\r\n", "\f"};

    private final boolean fullyParenthesized;
    private final Random random;
    private final List<String> tokens = new ArrayList<>();

    private SelectorPrinter(boolean fullyParenthesized, Random random) {
        this.fullyParenthesized = fullyParenthesized;
        this.random = random;
    }

    /** Minimal parentheses, upper-case reserved words, single spaces. */
    static String print(SelectorTree tree) {
        return print(tree, false, null);
    }

    /** {@code random} may be null for the plain style. */
    static String print(SelectorTree tree, boolean fullyParenthesized, Random random) {
        SelectorPrinter printer = new SelectorPrinter(fullyParenthesized, random);
        printer.print(tree, OR);
        return printer.join();
    }

    private void print(SelectorTree tree, int context) {
        int precedence = precedence(tree);
        boolean parenthesize = precedence < context || fullyParenthesized && precedence != PRIMARY;
        if (parenthesize) {
            tokens.add("(");
        }
        render(tree);
        if (parenthesize) {
            tokens.add(")");
        }
    }

    private void render(SelectorTree tree) {
        if (tree instanceof Identifier identifier) {
            tokens.add(identifier.name());
        } else if (tree instanceof NumberLiteral number) {
            tokens.add(number.value() instanceof Float f ? f + "F" : number.value().toString());
        } else if (tree instanceof StringLiteral string) {
            tokens.add(quote(string.value()));
        } else if (tree instanceof BooleanLiteral bool) {
            keyword(bool.value() ? "TRUE" : "FALSE");
        } else if (tree instanceof Arithmetic arithmetic) {
            boolean additive = arithmetic.operator() == '+' || arithmetic.operator() == '-';
            print(arithmetic.left(), additive ? ADDITIVE : MULTIPLICATIVE);
            tokens.add(String.valueOf(arithmetic.operator()));
            print(arithmetic.right(), additive ? MULTIPLICATIVE : UNARY);
        } else if (tree instanceof Negation negation) {
            tokens.add("-");
            print(negation.operand(), UNARY);
        } else if (tree instanceof UnaryPlus plus) {
            tokens.add("+");
            print(plus.operand(), UNARY);
        } else if (tree instanceof Comparison comparison) {
            print(comparison.left(), ADDITIVE);
            tokens.add(comparison.operator());
            print(comparison.right(), ADDITIVE);
        } else if (tree instanceof Between between) {
            print(between.operand(), ADDITIVE);
            negation(between.negated());
            keyword("BETWEEN");
            print(between.low(), ADDITIVE);
            keyword("AND");
            print(between.high(), ADDITIVE);
        } else if (tree instanceof In in) {
            tokens.add(in.identifier());
            negation(in.negated());
            keyword("IN");
            tokens.add("(");
            for (int i = 0; i < in.strings().size(); i++) {
                if (i > 0) {
                    tokens.add(",");
                }
                tokens.add(quote(in.strings().get(i)));
            }
            tokens.add(")");
        } else if (tree instanceof Like like) {
            tokens.add(like.identifier());
            negation(like.negated());
            keyword("LIKE");
            tokens.add(quote(pattern(like.pattern(), like.withEscape())));
            if (like.withEscape()) {
                keyword("ESCAPE");
                tokens.add("'!'");
            }
        } else if (tree instanceof IsNull isNull) {
            tokens.add(isNull.identifier());
            keyword("IS");
            negation(isNull.negated());
            keyword("NULL");
        } else if (tree instanceof Not not) {
            keyword("NOT");
            print(not.operand(), NOT);
        } else if (tree instanceof And and) {
            print(and.left(), AND);
            keyword("AND");
            print(and.right(), NOT);
        } else if (tree instanceof Or or) {
            print(or.left(), OR);
            keyword("OR");
            print(or.right(), AND);
        }
    }

    /** A LIKE pattern's text; with the escape character {@code !}, literal {@code % _ !} are escaped. */
    static String pattern(List<LikeElement> elements, boolean withEscape) {
        StringBuilder text = new StringBuilder();
        for (LikeElement element : elements) {
            if (element instanceof LikeElement.AnyRun) {
                text.append('%');
            } else if (element instanceof LikeElement.AnyOne) {
                text.append('_');
            } else {
                String c = ((LikeElement.Literal) element).character();
                if (withEscape && (c.equals("%") || c.equals("_") || c.equals("!"))) {
                    text.append('!');
                }
                text.append(c);
            }
        }
        return text.toString();
    }

    private static int precedence(SelectorTree tree) {
        if (tree instanceof Or) {
            return OR;
        } else if (tree instanceof And) {
            return AND;
        } else if (tree instanceof Not) {
            return NOT;
        } else if (tree instanceof Comparison || tree instanceof Between || tree instanceof In
                || tree instanceof Like || tree instanceof IsNull) {
            return PREDICATE;
        } else if (tree instanceof Arithmetic arithmetic) {
            return arithmetic.operator() == '+' || arithmetic.operator() == '-' ? ADDITIVE : MULTIPLICATIVE;
        } else if (tree instanceof Negation || tree instanceof UnaryPlus) {
            return UNARY;
        }
        return PRIMARY;
    }

    private void negation(boolean negated) {
        if (negated) {
            keyword("NOT");
        }
    }

    private void keyword(String word) {
        if (random == null) {
            tokens.add(word);
            return;
        }
        switch (random.nextInt(3)) {
            case 0 -> tokens.add(word);
            case 1 -> tokens.add(word.toLowerCase(Locale.ROOT));
            default -> {
                StringBuilder mixed = new StringBuilder();
                for (char c : word.toCharArray()) {
                    mixed.append(random.nextBoolean() ? c : Character.toLowerCase(c));
                }
                tokens.add(mixed.toString());
            }
        }
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private String join() {
        StringBuilder text = new StringBuilder(tokens.get(0));
        for (int i = 1; i < tokens.size(); i++) {
            String previous = tokens.get(i - 1);
            String next = tokens.get(i);
            if (random == null) {
                text.append(' ');
            } else if (needsSeparation(previous, next) || random.nextBoolean()) {
                text.append(WHITE_SPACE[random.nextInt(WHITE_SPACE.length)]);
            }
            text.append(next);
        }
        return text.toString();
    }

    /** Two words or numbers in a row would run together without white space. */
    private static boolean needsSeparation(String previous, String next) {
        return isWordCharacter(previous.codePointBefore(previous.length())) && isWordCharacter(next.codePointAt(0));
    }

    private static boolean isWordCharacter(int c) {
        return Character.isJavaIdentifierPart(c) || c == '.';
    }
}
