package io.strand.ra;

import io.strand.jms.StrandDestination;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.Queue;
import jakarta.resource.Referenceable;
import jakarta.resource.spi.AdministeredObject;
import jakarta.resource.spi.ConfigProperty;
import java.io.Serializable;
import java.util.Objects;
import javax.naming.Reference;

/**
 * A queue defined in the container, for example with
 * {@code @AdministeredObjectDefinition(className = "io.strand.ra.QueueAdministeredObject",
 * resourceAdapter = "strand-ra", properties = "name=orders")}: a JavaBean whose {@code name} is the broker's
 * queue name. The adapter's sessions accept it wherever a queue goes.
 */
@AdministeredObject(adminObjectInterfaces = Queue.class)
public class QueueAdministeredObject implements Queue, Referenceable, Serializable {
    private static final long serialVersionUID = 1L;

    private String name;
    private Reference reference;

    public String getName() {
        return name;
    }

    /** @throws IllegalArgumentException if the name breaks the broker's naming rules */
    @ConfigProperty(description = "The queue's name on the broker")
    public void setName(String name) {
        try {
            this.name = StrandDestination.validateName(name);
        } catch (InvalidDestinationException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    @Override
    public String getQueueName() {
        return name;
    }

    @Override
    public void setReference(Reference reference) {
        this.reference = reference;
    }

    @Override
    public Reference getReference() {
        return reference;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof QueueAdministeredObject q && Objects.equals(q.name, name);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(name);
    }

    @Override
    public String toString() {
        return "queue://" + name;
    }
}
