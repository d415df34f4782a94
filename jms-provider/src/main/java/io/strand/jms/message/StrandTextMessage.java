package io.strand.jms.message;

import jakarta.jms.JMSException;
import jakarta.jms.TextMessage;

/**
 * A message whose body is one {@code String} (null by default). On the log the body is the string's
 * UTF-8 bytes, and a null body is a null record value, so null and empty text stay distinct.
 *
 * <p>Not thread-safe, like every message.
 */
public final class StrandTextMessage extends StrandMessage implements TextMessage {
    private String text;

    /** Creates a message with no text. */
    public StrandTextMessage() {
        super(MessageKind.TEXT);
    }

    /**
     * Creates a message with the given text.
     *
     * @param text the body, may be null
     */
    public StrandTextMessage(String text) {
        super(MessageKind.TEXT);
        this.text = text;
    }

    @Override
    public void setText(String text) throws JMSException {
        checkBodyWritable();
        this.text = text;
    }

    @Override
    public String getText() {
        return text;
    }

    /** Used by the codec, which restores the body of a message that becomes read-only afterwards. */
    final void setDecodedText(String text) {
        this.text = text;
    }

    @Override
    protected void clearBodyContent() {
        text = null;
    }

    @Override
    protected boolean hasBody() {
        return text != null;
    }

    @Override
    protected boolean acceptsBodyType(Class<?> c) {
        return c.isAssignableFrom(String.class);
    }

    @Override
    protected Object bodyCopy() {
        return text;
    }
}
