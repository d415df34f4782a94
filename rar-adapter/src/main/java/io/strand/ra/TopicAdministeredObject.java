package io.strand.ra;

import io.strand.jms.StrandDestination;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.Topic;
import jakarta.resource.Referenceable;
import jakarta.resource.spi.AdministeredObject;
import jakarta.resource.spi.ConfigProperty;
import java.io.Serializable;
import java.util.Objects;
import javax.naming.Reference;

/**
 * A topic defined in the container, for example with
 * {@code @AdministeredObjectDefinition(className = "io.strand.ra.TopicAdministeredObject",
 * resourceAdapter = "strand-ra", properties = "name=prices")}: a JavaBean whose {@code name} is the broker's
 * topic name. The adapter's sessions accept it wherever a topic goes.
 */
@AdministeredObject(adminObjectInterfaces = Topic.class)
public class TopicAdministeredObject implements Topic, Referenceable, Serializable {
    private static final long serialVersionUID = 1L;

    private String name;
    private Reference reference;

    public String getName() {
        return name;
    }

    /** @throws IllegalArgumentException if the name breaks the broker's naming rules */
    @ConfigProperty(description = "The topic's name on the broker")
    public void setName(String name) {
        try {
            this.name = StrandDestination.validateName(name);
        } catch (InvalidDestinationException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    @Override
    public String getTopicName() {
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
        return other instanceof TopicAdministeredObject t && Objects.equals(t.name, name);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(name);
    }

    @Override
    public String toString() {
        return "topic://" + name;
    }
}
