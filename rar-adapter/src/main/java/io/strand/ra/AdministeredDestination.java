package io.strand.ra;

import io.strand.jms.StrandDestination;
import jakarta.jms.InvalidDestinationException;
import jakarta.resource.Referenceable;
import java.io.Serializable;
import java.util.Objects;
import javax.naming.Reference;

/**
 * What the adapter's queue and topic administered objects share: a JavaBean {@code name}, checked against
 * the broker's naming rules when it is set, and the JNDI reference the container binds it with. Each
 * subclass declares its own annotated setter, so the container describes the property per kind.
 */
abstract class AdministeredDestination implements Referenceable, Serializable {
    private static final long serialVersionUID = 1L;

    private String name;
    private Reference reference;

    public String getName() {
        return name;
    }

    /** @throws IllegalArgumentException if the name breaks the broker's naming rules */
    final void assignName(String name) {
        try {
            this.name = StrandDestination.validateName(name);
        } catch (InvalidDestinationException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    @Override
    public void setReference(Reference reference) {
        this.reference = reference;
    }

    @Override
    public Reference getReference() {
        return reference;
    }

    /** Equal when of the same kind and name: a queue and a topic of one name are different destinations. */
    @Override
    public boolean equals(Object other) {
        return other != null && other.getClass() == getClass()
                && Objects.equals(((AdministeredDestination) other).name, name);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(name);
    }
}
