package io.strand.jms.message;

import java.util.Set;

/**
 * The rules for message property names (Jakarta Messaging 3.1 §3.5.1 and §3.8.1.1): a property name is a
 * message selector identifier, so it must be a Java identifier and must not be one of the selector's
 * reserved words, in any letter case.
 *
 * <p>Beyond the identifier rule the {@code JMS} prefix is reserved. Names starting with {@code JMSX} are
 * the properties the specification defines, and only those nine exist; an application may set only
 * {@code JMSXGroupID} and {@code JMSXGroupSeq}, the provider sets the rest. Names starting with
 * {@code JMS_} are provider-specific and only the provider sets them. The header field names
 * ({@code JMSPriority} and the like) are refused as property names because a selector naming them reads
 * the header, never a property, so such a property could never be selected.
 *
 * <p>Stateless; thread-safe.
 */
public final class PropertyNames {
    public static final String JMSX_USER_ID = "JMSXUserID";
    public static final String JMSX_APP_ID = "JMSXAppID";
    public static final String JMSX_DELIVERY_COUNT = "JMSXDeliveryCount";
    public static final String JMSX_GROUP_ID = "JMSXGroupID";
    public static final String JMSX_GROUP_SEQ = "JMSXGroupSeq";
    public static final String JMSX_PRODUCER_TXID = "JMSXProducerTXID";
    public static final String JMSX_CONSUMER_TXID = "JMSXConsumerTXID";
    public static final String JMSX_RCV_TIMESTAMP = "JMSXRcvTimestamp";
    public static final String JMSX_STATE = "JMSXState";

    /**
     * Strand's provider-specific property naming the connection that sent a record, stamped on every send
     * for noLocal filtering ({@code io.strand.jms.client.NoLocal}); it describes one send, not the message.
     */
    public static final String STRAND_CONNECTION_ID = "JMS_StrandConnectionID";

    /**
     * Strand's provider-specific property on a copy of a dead letter that an operator sent back to one shared topic
     * subscription: the subscription's name. The copy is published to the topic for that subscription alone; every
     * other subscriber of the topic skips it. With {@link #STRAND_REDRIVEN_TO_CLIENT_ID} it describes that one
     * delivery, not the message.
     */
    public static final String STRAND_REDRIVEN_TO_SUBSCRIPTION = "JMS_Strand_RedrivenToSubscription";
    /** The client id of the shared subscription a redriven copy is for, absent when the subscription has none. */
    public static final String STRAND_REDRIVEN_TO_CLIENT_ID = "JMS_Strand_RedrivenToClientID";

    /** Every JMSX property of the specification (§3.5.9); others with that prefix do not exist. */
    static final Set<String> JMSX_NAMES = Set.of(JMSX_USER_ID, JMSX_APP_ID, JMSX_DELIVERY_COUNT, JMSX_GROUP_ID,
            JMSX_GROUP_SEQ, JMSX_PRODUCER_TXID, JMSX_CONSUMER_TXID, JMSX_RCV_TIMESTAMP, JMSX_STATE);

    /** The JMSX properties the sender sets; the provider sets all the others. */
    static final Set<String> CLIENT_JMSX_NAMES = Set.of(JMSX_GROUP_ID, JMSX_GROUP_SEQ);

    /** Selector keywords, which are no identifiers in any case (NULL, null, Null...). */
    private static final String[] RESERVED_WORDS =
            {"NULL", "TRUE", "FALSE", "NOT", "AND", "OR", "BETWEEN", "LIKE", "IN", "IS", "ESCAPE"};
    private static final int LONGEST_RESERVED_WORD = 7;

    private static final Set<String> HEADER_NAMES = Set.of("JMSDestination", "JMSDeliveryMode", "JMSExpiration",
            "JMSDeliveryTime", "JMSPriority", "JMSMessageID", "JMSTimestamp", "JMSCorrelationID", "JMSReplyTo",
            "JMSType", "JMSRedelivered");

    private PropertyNames() {
    }

    /**
     * @param name any string, possibly null
     * @return true if the name is a message selector identifier: a Java identifier that is not a
     *         reserved word of the selector language
     */
    public static boolean isIdentifier(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        if (!Character.isJavaIdentifierStart(name.codePointAt(0))) {
            return false;
        }
        for (int i = Character.charCount(name.codePointAt(0)); i < name.length(); ) {
            final int cp = name.codePointAt(i);
            if (!Character.isJavaIdentifierPart(cp)) {
                return false;
            }
            i += Character.charCount(cp);
        }
        return !isReservedWord(name);
    }

    /** Compared without upper-casing: every received message's property names pass through here. */
    private static boolean isReservedWord(String name) {
        if (name.length() > LONGEST_RESERVED_WORD) {
            return false;
        }
        for (String word : RESERVED_WORDS) {
            if (word.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param name any string, possibly null
     * @return true if the provider may carry a property of this name: an identifier that is not a header
     *         name, and a JMSX name only if the specification defines it
     */
    public static boolean isPropertyName(String name) {
        if (!isIdentifier(name) || HEADER_NAMES.contains(name)) {
            return false;
        }
        return !name.startsWith("JMSX") || JMSX_NAMES.contains(name);
    }

    /**
     * Checks a name that an application passes to a {@code set...Property} method.
     *
     * @param name the property name
     * @throws IllegalArgumentException naming the name and the rule it breaks, as the Message javadoc
     *                                  asks for null and empty names
     */
    static void checkApplicationName(String name) {
        checkProviderName(name);
        if (name.startsWith("JMSX") && !CLIENT_JMSX_NAMES.contains(name)) {
            throw new IllegalArgumentException("property " + name + " is set by the provider, not the application");
        }
        if (name.startsWith("JMS_")) {
            throw new IllegalArgumentException("property names starting with JMS_ are reserved for the provider: name="
                    + name);
        }
    }

    /**
     * Checks a name that the provider itself sets (JMSX and {@code JMS_} properties included).
     *
     * @param name the property name
     * @throws IllegalArgumentException naming the name and the rule it breaks
     */
    static void checkProviderName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("property name must not be null or empty: name=" + name);
        }
        if (!isIdentifier(name)) {
            throw new IllegalArgumentException("property name must be a Java identifier and not a selector keyword"
                    + " (NULL, TRUE, FALSE, NOT, AND, OR, BETWEEN, LIKE, IN, IS, ESCAPE): name=" + name);
        }
        if (HEADER_NAMES.contains(name)) {
            throw new IllegalArgumentException("property name is a JMS header field name: name=" + name);
        }
        if (name.startsWith("JMSX") && !JMSX_NAMES.contains(name)) {
            throw new IllegalArgumentException("JMSX is reserved for the properties the specification defines: name="
                    + name);
        }
    }
}
