package io.strand.selector;

import jakarta.jms.InvalidSelectorException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Parses a selector by recursive descent and compiles it into a tree of {@link Expression} nodes, checking every
 * operator's operand types as far as they are known before any message is seen.
 *
 * <p>The grammar, from lowest to highest precedence (§3.8.1.1):
 * <pre>
 * selector       = or END
 * or             = and { OR and }
 * and            = not { AND not }
 * not            = NOT not | predicate
 * predicate      = additive [ comparison-op additive
 *                           | [NOT] BETWEEN additive AND additive
 *                           | [NOT] IN '(' string { ',' string } ')'
 *                           | [NOT] LIKE string [ESCAPE string]
 *                           | IS [NOT] NULL ]
 * additive       = multiplicative { ('+' | '-') multiplicative }
 * multiplicative = unary { ('*' | '/') unary }
 * unary          = ('+' | '-') unary | primary
 * primary        = literal | identifier | '(' or ')'
 * </pre>
 * Comparisons do not chain ({@code a = b = c} is refused rather than read one way or the other); IN, LIKE and IS
 * apply to an identifier only, and NULL appears only in IS [NOT] NULL, as in the specification.
 *
 * <p>Types are checked where they are known: literals, arithmetic (numeric) and conditions (boolean) have a type,
 * an identifier has none until a message supplies its value. So {@code 'abc' + 1}, {@code 'a' < 'b'},
 * {@code 1 = 'one'}, {@code NOT 5} and a selector that is not a condition ({@code 5 + 3}) are refused here, while a
 * type mismatch through an identifier is decided per message. A bare identifier is a valid condition, true when its
 * value is Boolean TRUE.
 */
final class SelectorParser {
    /** How deep parentheses, NOT and signs may nest; bounds the parser's recursion. */
    private static final int MAX_NESTING = 100;
    /** How deep the compiled tree may be; bounds the recursion of every evaluation. */
    private static final int MAX_DEPTH = 1000;

    /** The compiled selector and the identifiers it reads, in order of first appearance. */
    record Result(Expression condition, Set<String> identifiers) {
    }

    /** What is known of a sub-expression's type before any message is seen. */
    private enum StaticType {
        BOOLEAN("a boolean value"),
        NUMBER("a number"),
        STRING("a string"),
        /** An identifier: its type is that of each message's value. */
        ANY("an identifier");

        private final String description;

        StaticType(String description) {
            this.description = description;
        }
    }

    /** A parsed sub-expression: its compiled node, type, start in the source, and depth in the tree. */
    private record Parsed(Expression node, StaticType type, int start, int depth) {
    }

    private final String source;
    private final List<Token> tokens;
    private final Set<String> identifiers = new LinkedHashSet<>();
    private int next;
    private int nesting;

    private SelectorParser(String source, List<Token> tokens) {
        this.source = source;
        this.tokens = tokens;
    }

    static Result parse(String source) throws InvalidSelectorException {
        return new SelectorParser(source, SelectorLexer.tokenize(source)).selector();
    }

    private Result selector() throws InvalidSelectorException {
        Parsed root = or();
        Token after = peek();
        if (after.type() != TokenType.END) {
            throw error(after, "unexpected " + after.describe() + " (expected AND, OR or the end of the selector)");
        }
        if (root.type() == StaticType.NUMBER || root.type() == StaticType.STRING) {
            throw error(root.start(), "a selector must be a condition, but this is " + root.type().description);
        }
        return new Result(root.node(), Collections.unmodifiableSet(identifiers));
    }

    private Parsed or() throws InvalidSelectorException {
        Parsed first = and();
        if (peek().type() != TokenType.OR) {
            return first;
        }
        List<Parsed> operands = new ArrayList<>();
        operands.add(requireCondition(first, "OR"));
        while (accept(TokenType.OR)) {
            operands.add(requireCondition(and(), "OR"));
        }
        return node(new Or(nodes(operands)), StaticType.BOOLEAN, first.start(), maxDepth(operands) + 1);
    }

    private Parsed and() throws InvalidSelectorException {
        Parsed first = not();
        if (peek().type() != TokenType.AND) {
            return first;
        }
        List<Parsed> operands = new ArrayList<>();
        operands.add(requireCondition(first, "AND"));
        while (accept(TokenType.AND)) {
            operands.add(requireCondition(not(), "AND"));
        }
        return node(new And(nodes(operands)), StaticType.BOOLEAN, first.start(), maxDepth(operands) + 1);
    }

    private Parsed not() throws InvalidSelectorException {
        Token not = peek();
        if (not.type() != TokenType.NOT) {
            return predicate();
        }
        advance();
        enterNested(not);
        Parsed operand = requireCondition(not(), "NOT");
        nesting--;
        return node(new Not(operand.node()), StaticType.BOOLEAN, not.start(), operand.depth() + 1);
    }

    private Parsed predicate() throws InvalidSelectorException {
        Parsed left = additive();
        Token operator = peek();
        ComparisonOperator comparison = operator.type().comparisonOperator();
        Parsed result;
        if (comparison != null) {
            advance();
            result = comparison(comparison, operator, left, additive());
        } else if (operator.type() == TokenType.NOT) {
            advance();
            Token keyword = advance();
            result = switch (keyword.type()) {
                case BETWEEN -> between(true, left);
                case IN -> in(true, left);
                case LIKE -> like(true, left);
                default -> throw error(keyword, "expected BETWEEN, IN or LIKE after NOT but found "
                        + keyword.describe());
            };
        } else if (operator.type() == TokenType.BETWEEN || operator.type() == TokenType.IN
                || operator.type() == TokenType.LIKE || operator.type() == TokenType.IS) {
            advance();
            result = switch (operator.type()) {
                case BETWEEN -> between(false, left);
                case IN -> in(false, left);
                case LIKE -> like(false, left);
                default -> isNull(left);
            };
        } else {
            return left;
        }
        Token after = peek();
        if (after.type().comparisonOperator() != null || after.type() == TokenType.BETWEEN
                || after.type() == TokenType.IN || after.type() == TokenType.LIKE || after.type() == TokenType.IS) {
            throw error(after, "comparisons do not chain: " + after.describe() + " cannot follow a comparison"
                    + " (put the first comparison in parentheses to compare its result)");
        }
        return result;
    }

    private Parsed comparison(ComparisonOperator operator, Token token, Parsed left, Parsed right)
            throws InvalidSelectorException {
        if (operator.isEquality()) {
            if (left.type() != StaticType.ANY && right.type() != StaticType.ANY && left.type() != right.type()) {
                throw error(token, "cannot compare " + left.type().description + " with "
                        + right.type().description + " (only values of like types compare)");
            }
        } else {
            String what = "'" + operator.symbol() + "' orders numbers only (strings and boolean values allow only ="
                    + " and <>), but this is ";
            requireNumeric(left, what);
            requireNumeric(right, what);
        }
        return node(new Comparison(operator, left.node(), right.node()), StaticType.BOOLEAN, left.start(),
                Math.max(left.depth(), right.depth()) + 1);
    }

    private Parsed between(boolean negated, Parsed operand) throws InvalidSelectorException {
        String what = "BETWEEN needs numeric operands, but this is ";
        requireNumeric(operand, what);
        Parsed low = requireNumeric(additive(), what);
        expect(TokenType.AND, "AND between the bounds of BETWEEN");
        Parsed high = requireNumeric(additive(), what);
        int depth = Math.max(operand.depth(), Math.max(low.depth(), high.depth())) + 1;
        return node(new Between(negated, operand.node(), low.node(), high.node()), StaticType.BOOLEAN,
                operand.start(), depth);
    }

    private Parsed in(boolean negated, Parsed operand) throws InvalidSelectorException {
        IdentifierReference identifier = requireIdentifier(operand, "IN");
        expect(TokenType.LEFT_PARENTHESIS, "'(' to open the list of IN");
        if (peek().type() == TokenType.RIGHT_PARENTHESIS) {
            throw error(peek(), "the list of IN is empty (it needs at least one string literal)");
        }
        List<String> strings = new ArrayList<>();
        do {
            Token string = advance();
            if (string.type() != TokenType.STRING) {
                throw error(string, "the list of IN holds string literals only, but found " + string.describe());
            }
            strings.add((String) string.value());
        } while (accept(TokenType.COMMA));
        expect(TokenType.RIGHT_PARENTHESIS, "',' or ')' in the list of IN");
        return node(new InList(negated, identifier, Set.copyOf(strings)), StaticType.BOOLEAN, operand.start(), 2);
    }

    private Parsed like(boolean negated, Parsed operand) throws InvalidSelectorException {
        IdentifierReference identifier = requireIdentifier(operand, "LIKE");
        Token pattern = advance();
        if (pattern.type() != TokenType.STRING) {
            throw error(pattern, "LIKE needs a string literal as its pattern, but found " + pattern.describe());
        }
        int escape = -1;
        if (accept(TokenType.ESCAPE)) {
            Token escapeToken = advance();
            String text = escapeToken.type() == TokenType.STRING ? (String) escapeToken.value() : null;
            if (text == null || text.codePointCount(0, text.length()) != 1) {
                throw error(escapeToken, "ESCAPE needs a string literal of exactly one character, but found "
                        + escapeToken.describe());
            }
            escape = text.codePointAt(0);
        }
        LikePattern compiled;
        try {
            compiled = LikePattern.compile((String) pattern.value(), escape);
        } catch (IllegalArgumentException e) {
            throw error(pattern, e.getMessage());
        }
        return node(new Like(negated, identifier, compiled), StaticType.BOOLEAN, operand.start(), 2);
    }

    private Parsed isNull(Parsed operand) throws InvalidSelectorException {
        boolean negated = accept(TokenType.NOT);
        expect(TokenType.NULL, negated ? "NULL after IS NOT" : "NULL or NOT NULL after IS");
        IdentifierReference identifier = requireIdentifier(operand, negated ? "IS NOT NULL" : "IS NULL");
        return node(new IsNull(negated, identifier), StaticType.BOOLEAN, operand.start(), 2);
    }

    private Parsed additive() throws InvalidSelectorException {
        Parsed left = multiplicative();
        while (true) {
            Token token = peek();
            ArithmeticOperator operator = token.type() == TokenType.PLUS ? ArithmeticOperator.ADD
                    : token.type() == TokenType.MINUS ? ArithmeticOperator.SUBTRACT
                    : null;
            if (operator == null) {
                return left;
            }
            advance();
            left = arithmetic(operator, left, multiplicative());
        }
    }

    private Parsed multiplicative() throws InvalidSelectorException {
        Parsed left = unary();
        while (true) {
            Token token = peek();
            ArithmeticOperator operator = token.type() == TokenType.TIMES ? ArithmeticOperator.MULTIPLY
                    : token.type() == TokenType.DIVIDE ? ArithmeticOperator.DIVIDE
                    : null;
            if (operator == null) {
                return left;
            }
            advance();
            left = arithmetic(operator, left, unary());
        }
    }

    private Parsed arithmetic(ArithmeticOperator operator, Parsed left, Parsed right) throws InvalidSelectorException {
        String what = "'" + operator.symbol() + "' needs numeric operands, but this is ";
        requireNumeric(left, what);
        requireNumeric(right, what);
        Expression node = left.node() instanceof Constant l && right.node() instanceof Constant r
                ? new Constant(operator.apply(l.constantValue(), r.constantValue()))
                : new Arithmetic(operator, left.node(), right.node());
        return node(node, StaticType.NUMBER, left.start(), Math.max(left.depth(), right.depth()) + 1);
    }

    private Parsed unary() throws InvalidSelectorException {
        Token sign = peek();
        if (sign.type() != TokenType.PLUS && sign.type() != TokenType.MINUS) {
            return primary();
        }
        advance();
        boolean minus = sign.type() == TokenType.MINUS;
        if (minus && peek().type() == TokenType.EXACT_NUMBER && peek().value() instanceof BigInteger) {
            advance(); // 9223372036854775808, which only a minus sign makes a long
            return node(new Constant(Long.MIN_VALUE), StaticType.NUMBER, sign.start(), 1);
        }
        enterNested(sign);
        Parsed operand = requireNumeric(unary(), "unary '" + sign.text() + "' needs a numeric operand, but this is ");
        nesting--;
        Expression node;
        if (operand.node() instanceof Constant constant) {
            Object value = constant.constantValue();
            node = new Constant(minus ? ArithmeticOperator.negate(value) : value);
        } else if (minus) {
            node = new Negation(operand.node());
        } else {
            node = operand.type() == StaticType.ANY ? new UnaryPlus(operand.node()) : operand.node();
        }
        return node(node, StaticType.NUMBER, sign.start(), operand.depth() + 1);
    }

    private Parsed primary() throws InvalidSelectorException {
        Token token = advance();
        return switch (token.type()) {
            case STRING -> node(new Constant(token.value()), StaticType.STRING, token.start(), 1);
            case EXACT_NUMBER -> {
                if (token.value() instanceof BigInteger) {
                    throw error(token, "exact numeric literal " + token.text() + " is outside the range of long"
                            + " (only its negation, -" + token.text() + ", is a long)");
                }
                yield node(new Constant(token.value()), StaticType.NUMBER, token.start(), 1);
            }
            case APPROXIMATE_NUMBER -> node(new Constant(token.value()), StaticType.NUMBER, token.start(), 1);
            case TRUE, FALSE -> node(new Constant(token.type() == TokenType.TRUE), StaticType.BOOLEAN, token.start(), 1);
            case IDENTIFIER -> {
                identifiers.add(token.text());
                yield node(new IdentifierReference(token.text()), StaticType.ANY, token.start(), 1);
            }
            case LEFT_PARENTHESIS -> {
                enterNested(token);
                Parsed inner = or();
                expect(TokenType.RIGHT_PARENTHESIS, "')' to close the parenthesis opened as character "
                        + InvalidSelectors.position(source, token.start()) + ",");
                nesting--;
                yield new Parsed(inner.node(), inner.type(), token.start(), inner.depth());
            }
            case NULL -> throw error(token, "NULL may only appear in IS NULL or IS NOT NULL");
            case END -> throw error(token, "the selector ends where an operand was expected");
            default -> throw error(token, "expected an operand but found " + token.describe()
                    + (token.type().isReservedWord() ? " (reserved words cannot be identifiers)" : ""));
        };
    }

    // ---- checks ------------------------------------------------------------------------------------------------

    private Parsed requireCondition(Parsed operand, String operator) throws InvalidSelectorException {
        if (operand.type() == StaticType.NUMBER || operand.type() == StaticType.STRING) {
            throw error(operand.start(), operator + " needs conditions as operands, but this is "
                    + operand.type().description);
        }
        return operand;
    }

    private Parsed requireNumeric(Parsed operand, String problemPrefix) throws InvalidSelectorException {
        if (operand.type() == StaticType.STRING || operand.type() == StaticType.BOOLEAN) {
            throw error(operand.start(), problemPrefix + operand.type().description);
        }
        return operand;
    }

    private IdentifierReference requireIdentifier(Parsed operand, String operator) throws InvalidSelectorException {
        if (operand.node() instanceof IdentifierReference identifier) {
            return identifier;
        }
        throw error(operand.start(), operator + " applies to an identifier only, but this is "
                + operand.type().description);
    }

    private Parsed node(Expression node, StaticType type, int start, int depth) throws InvalidSelectorException {
        if (depth > MAX_DEPTH) {
            throw error(start, "the selector nests more than " + MAX_DEPTH + " operations inside one another");
        }
        return new Parsed(node, type, start, depth);
    }

    private void enterNested(Token token) throws InvalidSelectorException {
        if (++nesting > MAX_NESTING) {
            throw error(token, "the selector nests parentheses, NOT and signs more than " + MAX_NESTING
                    + " levels deep");
        }
    }

    // ---- tokens ------------------------------------------------------------------------------------------------

    private Token peek() {
        return tokens.get(next);
    }

    /** The next token, consumed; the END token is never passed. */
    private Token advance() {
        Token token = tokens.get(next);
        if (token.type() != TokenType.END) {
            next++;
        }
        return token;
    }

    private boolean accept(TokenType type) {
        if (peek().type() == type) {
            advance();
            return true;
        }
        return false;
    }

    private void expect(TokenType type, String what) throws InvalidSelectorException {
        Token token = peek();
        if (token.type() != type) {
            throw error(token, "expected " + what + " but found " + token.describe());
        }
        advance();
    }

    private static Expression[] nodes(List<Parsed> operands) {
        return operands.stream().map(Parsed::node).toArray(Expression[]::new);
    }

    private static int maxDepth(List<Parsed> operands) {
        return operands.stream().mapToInt(Parsed::depth).max().orElse(0);
    }

    private InvalidSelectorException error(Token token, String problem) {
        return error(token.start(), problem);
    }

    private InvalidSelectorException error(int index, String problem) {
        return InvalidSelectors.at(source, index, problem);
    }
}
