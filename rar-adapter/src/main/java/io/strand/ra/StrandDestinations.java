package io.strand.ra;

import io.strand.jms.StrandDestination;
import io.strand.jms.StrandQueue;
import io.strand.jms.StrandTopic;
import jakarta.jms.Destination;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.Queue;
import jakarta.jms.Topic;

/**
 * Turns the destinations an application holds into the provider's: the provider takes only its own
 * destination objects, while a container hands applications the adapter's administered objects
 * ({@link QueueAdministeredObject}, {@link TopicAdministeredObject}), which carry the same name.
 */
final class StrandDestinations {
    private StrandDestinations() {
    }

    /** @return the provider's destination of that name and kind; null for null */
    static Destination toStrand(Destination destination) throws JMSException {
        if (destination == null || destination instanceof StrandDestination) {
            return destination;
        }
        if (destination instanceof Queue queue) {
            return new StrandQueue(queue.getQueueName());
        }
        if (destination instanceof Topic topic) {
            return new StrandTopic(topic.getTopicName());
        }
        throw new InvalidDestinationException("destination " + destination + " is neither a Queue nor a Topic");
    }

    static Queue toStrand(Queue queue) throws JMSException {
        return (Queue) toStrand((Destination) queue);
    }

    static Topic toStrand(Topic topic) throws JMSException {
        return (Topic) toStrand((Destination) topic);
    }
}
