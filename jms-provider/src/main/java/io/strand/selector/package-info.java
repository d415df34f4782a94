/**
 * Message selectors: the Jakarta Messaging 3.1 selector language (specification §3.8.1), parsed and type-checked
 * once by {@link io.strand.selector.MessageSelector#parse} and then evaluated against values supplied by a
 * {@link io.strand.selector.SelectorValues}. The broker evaluates selectors on stored records' headers without
 * decoding bodies; the client uses the same code to validate selectors early and to filter topic deliveries. The
 * package depends on nothing but the JDK and {@code jakarta.jms.InvalidSelectorException}.
 *
 * <p>Where the specification is silent or leaves a choice, this package decides as follows.
 * <ul>
 *   <li><b>Literals.</b> Exact numeric literals are Java integer literals of any radix, with an optional {@code L}
 *       and underscores between digits, and are {@code long} values; {@code 9223372036854775808} is valid only
 *       under a minus sign, as in Java. Approximate literals are Java floating-point literals and are {@code double}
 *       values, or {@code float} ones with an {@code F} suffix; a literal outside the range of its type, or one that
 *       would round to zero, is refused. {@code NULL} is not a literal: it appears only in {@code IS [NOT] NULL}.</li>
 *   <li><b>Arithmetic</b> follows Java exactly: binary numeric promotion (so two {@code Integer} values add as
 *       {@code int} and wrap on overflow), and IEEE 754 for {@code float} and {@code double}. Integer division by
 *       zero, which throws in Java, yields NULL, so every comparison with it is unknown and the message does not
 *       match, with or without a {@code NOT}. Arithmetic on a string or boolean value yields NULL likewise.</li>
 *   <li><b>Comparisons</b> of values of unlike types are FALSE, as the specification says, for every operator
 *       ({@code <>} included); so are strings and booleans under {@code < <= > >=}. NULL makes a comparison unknown.
 *       NaN compares as in Java: unequal to everything, itself included.</li>
 *   <li><b>BETWEEN</b> is evaluated as the conjunction (NOT BETWEEN: the disjunction) of comparisons that the
 *       specification gives as its definition. <b>IN</b> and <b>NOT IN</b> follow their definition as a disjunction
 *       of equalities and its negation: a non-string value is FALSE for IN and TRUE for NOT IN; <b>NOT LIKE</b> is
 *       the negation of LIKE in the same way. A NULL identifier makes all of these unknown.</li>
 *   <li><b>LIKE</b> patterns are matched without regular expressions, by code point; the escape character may
 *       precede only {@code _}, {@code %} or itself (SQL92 calls anything else an invalid escape sequence).</li>
 *   <li><b>Static checks.</b> Type errors visible without a message ({@code 'abc' + 1}, {@code 1 = 'one'},
 *       {@code 'a' < 'b'}, {@code NOT 5}, a top level that is arithmetic or a string, LIKE or IN on a non-identifier)
 *       are {@link jakarta.jms.InvalidSelectorException}s naming the 1-based position. A bare identifier is a valid
 *       condition, true when its value is {@code Boolean.TRUE}.</li>
 *   <li><b>Identifiers</b> are not checked against the header fields: whether a name such as {@code JMSDestination}
 *       has a value is the {@link io.strand.selector.SelectorValues}' decision, as is the mapping of
 *       {@code JMSDeliveryMode} to {@code 'PERSISTENT'} and {@code 'NON_PERSISTENT'}. A value of a type that is
 *       not a selector type counts as NULL.</li>
 *   <li><b>Limits.</b> Parentheses, {@code NOT} and signs nest at most 100 levels, and the compiled tree is at most
 *       1,000 levels deep, so that neither parsing nor evaluation can exhaust a thread's stack; {@code AND} and
 *       {@code OR} chains are held flat and do not count against the depth per operand.</li>
 * </ul>
 */
package io.strand.selector;
