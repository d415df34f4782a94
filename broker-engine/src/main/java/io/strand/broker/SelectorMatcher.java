package io.strand.broker;

import io.strand.jms.message.EncodedHeaderLookup;
import io.strand.jms.message.HeaderView;
import io.strand.jms.message.RecordHeaders;
import io.strand.protocol.ErrorCode;
import io.strand.selector.MessageSelector;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.MessageFormatException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A consumer's message selector evaluated on a stored record's key and headers (DESIGN.md §3): the
 * identifiers are read with {@link EncodedHeaderLookup}, {@code JMSXDeliveryCount} comes from the share
 * group. A header that cannot be parsed reads as null, so a malformed record matches only selectors that
 * ask for a missing value. Compiled once per consumer; thread-safe.
 */
final class SelectorMatcher implements RecordMatcher {
    private static final String DELIVERY_COUNT = "JMSXDeliveryCount";

    private final MessageSelector selector;
    /** The selector's identifiers resolved once, for the scans of stored records. */
    private final Map<String, EncodedHeaderLookup.Identifier> identifiers;

    private SelectorMatcher(MessageSelector selector) {
        this.selector = selector;
        Map<String, EncodedHeaderLookup.Identifier> resolved = new HashMap<>();
        for (String name : selector.identifiers()) {
            resolved.put(name, EncodedHeaderLookup.identifier(name));
        }
        this.identifiers = Map.copyOf(resolved);
    }

    /**
     * @param expression a consumer's selector, or null or blank for none
     * @return its matcher, or null when every record matches
     * @throws BrokerException INVALID_SELECTOR naming the error and its position
     */
    static RecordMatcher of(String expression) {
        if (expression == null || expression.isBlank()) {
            return null;
        }
        try {
            return new SelectorMatcher(MessageSelector.parse(expression));
        } catch (InvalidSelectorException e) {
            throw new BrokerException(ErrorCode.INVALID_SELECTOR, e.getMessage());
        }
    }

    @Override
    public boolean matches(ByteBuffer key, List<HeaderView> headers, int deliveryCount) {
        return selector.matches(identifier -> {
            if (DELIVERY_COUNT.equals(identifier)) {
                return deliveryCount;
            }
            try {
                return EncodedHeaderLookup.selectorValue(key, headers, identifier);
            } catch (MessageFormatException e) {
                return null;
            }
        });
    }

    @Override
    public boolean matches(ByteBuffer key, RecordHeaders headers, int deliveryCount) {
        return selector.matches(identifier -> {
            if (DELIVERY_COUNT.equals(identifier)) {
                return deliveryCount;
            }
            try {
                return identifiers.get(identifier).valueIn(key, headers);
            } catch (MessageFormatException e) {
                return null;
            }
        });
    }
}
