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

    /** Stops pushing and gives back whatever the consumer held. */
    void close();
}
