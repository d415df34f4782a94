package io.strand.ra;

import jakarta.jms.Queue;
import jakarta.resource.spi.AdministeredObject;
import jakarta.resource.spi.ConfigProperty;

/**
 * A queue defined in the container, for example with
 * {@code @AdministeredObjectDefinition(className = "io.strand.ra.QueueAdministeredObject",
 * resourceAdapter = "strand-ra", properties = "name=orders")}: a JavaBean whose {@code name} is the broker's
 * queue name. The adapter's sessions accept it wherever a queue goes.
 */
@AdministeredObject(adminObjectInterfaces = Queue.class)
public class QueueAdministeredObject extends AdministeredDestination implements Queue {
    private static final long serialVersionUID = 1L;

    /** @throws IllegalArgumentException if the name breaks the broker's naming rules */
    @ConfigProperty(description = "The queue's name on the broker")
    public void setName(String name) {
        assignName(name);
    }

    @Override
    public String getQueueName() {
        return getName();
    }

    @Override
    public String toString() {
        return "queue://" + getName();
    }
}
