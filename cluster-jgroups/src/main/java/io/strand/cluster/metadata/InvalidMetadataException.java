package io.strand.cluster.metadata;

/**
 * A well-formed record that does not fit the image it is applied to: a partition change for an unknown
 * topic, an epoch that goes back, a replica that is not a registered broker. The batch that held it is
 * refused whole and the image stays as it was; every broker refuses it the same way.
 */
public final class InvalidMetadataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidMetadataException(String message) {
        super(message);
    }
}
