package io.strand.broker;

/**
 * A consumer open on a connection: a topic subscriber ({@link TopicConsumer}) or a queue receiver
 * ({@link QueueConsumer}). Confined to the connection's event loop.
 */
interface BrokerConsumer {
    int id();

    /** Grants {@code more} records of credit and pushes what it allows. */
    void addCredit(int more);

    /** Pushes what the credit, the socket and the logs allow. */
    void deliver();

    /** Takes and pushes nothing more, ignoring credit from now on, but keeps what it holds until {@link #close}. */
    void stop();

    /** Stops pushing and gives back whatever the consumer held. */
    void close();
}
