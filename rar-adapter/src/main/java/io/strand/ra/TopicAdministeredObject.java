package io.strand.ra;

import jakarta.jms.Topic;
import jakarta.resource.spi.AdministeredObject;
import jakarta.resource.spi.ConfigProperty;

/**
 * A topic defined in the container, for example with
 * {@code @AdministeredObjectDefinition(className = "io.strand.ra.TopicAdministeredObject",
 * resourceAdapter = "strand-ra", properties = "name=prices")}: a JavaBean whose {@code name} is the broker's
 * topic name. The adapter's sessions accept it wherever a topic goes.
 */
@AdministeredObject(adminObjectInterfaces = Topic.class)
public class TopicAdministeredObject extends AdministeredDestination implements Topic {
    private static final long serialVersionUID = 1L;

    /** @throws IllegalArgumentException if the name breaks the broker's naming rules */
    @ConfigProperty(description = "The topic's name on the broker")
    public void setName(String name) {
        assignName(name);
    }

    @Override
    public String getTopicName() {
        return getName();
    }

    @Override
    public String toString() {
        return "topic://" + getName();
    }
}
