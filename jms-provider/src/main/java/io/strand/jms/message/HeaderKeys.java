package io.strand.jms.message;

/**
 * The record header keys under which the codec stores the message kind and the JMS header fields.
 *
 * <p>Each starts with {@code '#'}, which no Java identifier contains, so these keys can never collide
 * with a property: properties are stored under their own names. Keys are part of the stored format:
 * never change one.
 *
 * <pre>
 * key    field              value (tag, see TypedValues)       written when
 * #t     message kind       byte: MessageKind code             always
 * #id    JMSMessageID       String                             not null
 * #ts    JMSTimestamp       long                               not 0
 * #cid   JMSCorrelationID   String, or byte[] for the bytes form  not null
 * #rt    JMSReplyTo         queue/topic/temporary queue/topic  not null
 * #dst   JMSDestination     queue/topic/temporary queue/topic  not null
 * #dm    JMSDeliveryMode    int                                not PERSISTENT
 * #typ   JMSType            String                             not null
 * #exp   JMSExpiration      long                               not 0
 * #dt    JMSDeliveryTime    long                               not JMSTimestamp (absent: equal to it)
 * #pri   JMSPriority        int                                not 4
 * </pre>
 *
 * <p>A header left out has the value a new message has (the delivery time: the timestamp), which keeps
 * small messages small.
 * {@code JMSRedelivered} is not stored: the broker derives it from its delivery count on each delivery.
 */
public final class HeaderKeys {
    public static final String KIND = "#t";
    public static final String MESSAGE_ID = "#id";
    public static final String TIMESTAMP = "#ts";
    public static final String CORRELATION_ID = "#cid";
    public static final String REPLY_TO = "#rt";
    public static final String DESTINATION = "#dst";
    public static final String DELIVERY_MODE = "#dm";
    public static final String TYPE = "#typ";
    public static final String EXPIRATION = "#exp";
    public static final String DELIVERY_TIME = "#dt";
    public static final String PRIORITY = "#pri";

    /** The first character of every reserved key; never part of a property name. */
    public static final char RESERVED_PREFIX = '#';

    static {
        assert !Character.isJavaIdentifierPart(RESERVED_PREFIX) : "reserved keys must not look like property names";
    }

    private HeaderKeys() {
    }

    /** @return true if the key is reserved for the kind or a JMS header, false for a property name */
    public static boolean isReserved(String key) {
        return !key.isEmpty() && key.charAt(0) == RESERVED_PREFIX;
    }
}
