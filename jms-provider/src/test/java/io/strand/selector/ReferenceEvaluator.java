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
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A deliberately plain evaluator of {@link SelectorTree}s, written from the specification's text: truth values are
 * {@code Boolean} with {@code null} for unknown, numbers are promoted by explicit type tests, and LIKE goes through
 * {@link java.util.regex}. It shares no code with the package under test.
 */
final class ReferenceEvaluator {
    private final Map<String, Object> values;

    ReferenceEvaluator(Map<String, Object> values) {
        this.values = values;
    }

    /** TRUE, FALSE, or null for unknown. */
    Boolean truth(SelectorTree tree) {
        if (tree instanceof Not not) {
            Boolean operand = truth(not.operand());
            return operand == null ? null : !operand;
        } else if (tree instanceof And and) {
            return and(truth(and.left()), truth(and.right()));
        } else if (tree instanceof Or or) {
            return or(truth(or.left()), truth(or.right()));
        } else if (tree instanceof Comparison comparison) {
            return compare(comparison.operator(), value(comparison.left()), value(comparison.right()));
        } else if (tree instanceof Between between) {
            Object v = value(between.operand());
            Object low = value(between.low());
            Object high = value(between.high());
            return between.negated()
                    ? or(compare("<", v, low), compare(">", v, high))
                    : and(compare(">=", v, low), compare("<=", v, high));
        } else if (tree instanceof In in) {
            Object v = lookUp(in.identifier());
            if (v == null) {
                return null;
            }
            boolean found = false;
            for (String s : in.strings()) {
                found |= s.equals(v);
            }
            return found != in.negated();
        } else if (tree instanceof Like like) {
            Object v = lookUp(like.identifier());
            if (v == null) {
                return null;
            }
            boolean matched = v instanceof String s && regex(like.pattern()).matcher(s).matches();
            return matched != like.negated();
        } else if (tree instanceof IsNull isNull) {
            return (lookUp(isNull.identifier()) == null) != isNull.negated();
        }
        Object v = value(tree);
        return v instanceof Boolean b ? b : null;
    }

    /** The value of an operand: a selector type, or null. */
    Object value(SelectorTree tree) {
        if (tree instanceof Identifier identifier) {
            return lookUp(identifier.name());
        } else if (tree instanceof NumberLiteral number) {
            return number.value() instanceof Float || number.value() instanceof Double
                    ? number.value() : (Object) number.value().longValue();
        } else if (tree instanceof StringLiteral string) {
            return string.value();
        } else if (tree instanceof BooleanLiteral bool) {
            return bool.value();
        } else if (tree instanceof Arithmetic arithmetic) {
            return arithmetic(arithmetic.operator(), value(arithmetic.left()), value(arithmetic.right()));
        } else if (tree instanceof Negation negation) {
            return negate(value(negation.operand()));
        } else if (tree instanceof UnaryPlus plus) {
            Object v = value(plus.operand());
            return isNumber(v) ? v : null;
        }
        return truth(tree);
    }

    private Object lookUp(String name) {
        Object v = values.get(name);
        return v instanceof String || v instanceof Boolean || isNumber(v) ? v : null;
    }

    static Pattern regex(List<LikeElement> pattern) {
        StringBuilder regex = new StringBuilder();
        for (LikeElement element : pattern) {
            if (element instanceof LikeElement.AnyRun) {
                regex.append(".*");
            } else if (element instanceof LikeElement.AnyOne) {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(((LikeElement.Literal) element).character()));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    private static Boolean and(Boolean a, Boolean b) {
        if (Boolean.FALSE.equals(a) || Boolean.FALSE.equals(b)) {
            return false;
        }
        return a != null && b != null ? Boolean.TRUE : null;
    }

    private static Boolean or(Boolean a, Boolean b) {
        if (Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b)) {
            return true;
        }
        return a != null && b != null ? Boolean.FALSE : null;
    }

    private static boolean isNumber(Object v) {
        return v instanceof Byte || v instanceof Short || v instanceof Integer || v instanceof Long
                || v instanceof Float || v instanceof Double;
    }

    private static Boolean compare(String operator, Object l, Object r) {
        if (l == null || r == null) {
            return null;
        }
        if (isNumber(l) && isNumber(r)) {
            Number a = (Number) l;
            Number b = (Number) r;
            if (l instanceof Double || r instanceof Double) {
                double x = a.doubleValue();
                double y = b.doubleValue();
                return switch (operator) {
                    case "=" -> x == y;
                    case "<>" -> x != y;
                    case "<" -> x < y;
                    case "<=" -> x <= y;
                    case ">" -> x > y;
                    default -> x >= y;
                };
            }
            if (l instanceof Float || r instanceof Float) {
                float x = a.floatValue();
                float y = b.floatValue();
                return switch (operator) {
                    case "=" -> x == y;
                    case "<>" -> x != y;
                    case "<" -> x < y;
                    case "<=" -> x <= y;
                    case ">" -> x > y;
                    default -> x >= y;
                };
            }
            long x = a.longValue();
            long y = b.longValue();
            return switch (operator) {
                case "=" -> x == y;
                case "<>" -> x != y;
                case "<" -> x < y;
                case "<=" -> x <= y;
                case ">" -> x > y;
                default -> x >= y;
            };
        }
        boolean sameType = l instanceof String && r instanceof String || l instanceof Boolean && r instanceof Boolean;
        if (sameType && operator.equals("=")) {
            return l.equals(r);
        }
        if (sameType && operator.equals("<>")) {
            return !l.equals(r);
        }
        return false;
    }

    private static Object arithmetic(char operator, Object l, Object r) {
        if (!isNumber(l) || !isNumber(r)) {
            return null;
        }
        Number a = (Number) l;
        Number b = (Number) r;
        if (l instanceof Double || r instanceof Double) {
            double x = a.doubleValue();
            double y = b.doubleValue();
            return operator == '+' ? x + y : operator == '-' ? x - y : operator == '*' ? x * y : x / y;
        }
        if (l instanceof Float || r instanceof Float) {
            float x = a.floatValue();
            float y = b.floatValue();
            return operator == '+' ? x + y : operator == '-' ? x - y : operator == '*' ? x * y : x / y;
        }
        if (l instanceof Long || r instanceof Long) {
            long x = a.longValue();
            long y = b.longValue();
            if (operator == '/' && y == 0) {
                return null;
            }
            return operator == '+' ? x + y : operator == '-' ? x - y : operator == '*' ? x * y : x / y;
        }
        int x = a.intValue();
        int y = b.intValue();
        if (operator == '/' && y == 0) {
            return null;
        }
        return operator == '+' ? x + y : operator == '-' ? x - y : operator == '*' ? x * y : x / y;
    }

    private static Object negate(Object v) {
        if (v instanceof Double d) {
            return -d;
        } else if (v instanceof Float f) {
            return -f;
        } else if (v instanceof Long l) {
            return -l;
        } else if (isNumber(v)) {
            return -((Number) v).intValue();
        }
        return null;
    }
}
