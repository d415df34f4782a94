package io.strand.bench.jms.client;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import java.util.SplittableRandom;

/**
 * The messages a workload's queue is preloaded with, and how to recognise them on the way out. Each
 * is a {@link BytesMessage} of {@code payloadBytes} random bytes, cycled from 256 distinct payloads (256
 * KiB in all, larger than LZ4's 64 KiB window, so a compressing client gains nothing, as in the shared
 * harness), with an int property {@code seq} numbering it. On a coloured backlog every tenth message
 * (seq divisible by 10) has {@code color = 'red'} and the others {@code color = 'blue'}, so a selector
 * has to look at every message to find the 10% it matches.
 *
 * @param queue        the queue's name
 * @param messages     how many messages it holds
 * @param payloadBytes the body size of each
 * @param coloured     whether the messages carry the {@code color} property
 */
record Backlog(String queue, int messages, int payloadBytes, boolean coloured) {
    static final String SEQ = "seq";
    static final String COLOR = "color";
    static final String SELECTOR = "color = 'red'";
    private static final int MATCH_EVERY = 10;
    private static final int DISTINCT_PAYLOADS = 256;

    static boolean matchesSelector(int seq) {
        return seq % MATCH_EVERY == 0;
    }

    /** Random payloads, the same in every JVM (fixed seed), so both brokers move the same bytes. */
    byte[][] payloads() {
        byte[][] pool = new byte[DISTINCT_PAYLOADS][payloadBytes];
        SplittableRandom random = new SplittableRandom(42);
        for (byte[] payload : pool) {
            for (int i = 0; i < payload.length; i++) {
                payload[i] = (byte) random.nextInt(256);
            }
        }
        return pool;
    }

    Message create(Session session, int seq, byte[][] payloads) throws JMSException {
        BytesMessage message = session.createBytesMessage();
        message.writeBytes(payloads[seq % payloads.length]);
        message.setIntProperty(SEQ, seq);
        if (coloured) {
            message.setStringProperty(COLOR, matchesSelector(seq) ? "red" : "blue");
        }
        return message;
    }

    /**
     * Reads a received message the way an application would (its whole body) and records it.
     *
     * @return whether it was well-formed, expected and new; otherwise the ledger holds the reason
     */
    static boolean receive(Message message, byte[] buffer, DeliveryLedger ledger) throws JMSException {
        Integer seq = message.propertyExists(SEQ) ? message.getIntProperty(SEQ) : null;
        if (!(message instanceof BytesMessage bytes)) {
            return ledger.fail("message seq=" + seq + " arrived as " + message.getClass().getSimpleName());
        }
        long length = bytes.getBodyLength();
        if (length != buffer.length || bytes.readBytes(buffer) != buffer.length) {
            return ledger.fail("message seq=" + seq + " has a body of " + length + " bytes, not " + buffer.length);
        }
        return ledger.accept(seq);
    }
}
