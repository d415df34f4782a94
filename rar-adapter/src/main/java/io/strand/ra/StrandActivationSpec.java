package io.strand.ra;

import io.strand.jms.StrandDestination;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.MessageListener;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.Activation;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.ConfigProperty;
import jakarta.resource.spi.InvalidPropertyException;
import jakarta.resource.spi.ResourceAdapter;
import java.util.ArrayList;
import java.util.List;

/**
 * What a message-driven bean consumes, from its {@code @ActivationConfigProperty} values: the standard JMS
 * activation properties of Jakarta Messaging 3.1 §13.1 ({@code destination}, {@code destinationType},
 * {@code subscriptionDurability}, {@code subscriptionName}, {@code clientId}, {@code messageSelector},
 * {@code acknowledgeMode}) plus {@code maxSession} (sessions delivering in parallel to a queue),
 * {@code receiveTimeoutMs}, and optional {@code brokerUrl}, {@code userName}, {@code password} overriding the
 * adapter's.
 *
 * <p>{@link #validate()} rejects every bad value and every bad combination with a message naming the property,
 * before the container activates the bean. Redelivery limits are the broker's: a queue message that was
 * delivered {@code max.delivery.attempts} times goes to the queue's dead-letter queue.
 */
@Activation(messageListeners = MessageListener.class)
public class StrandActivationSpec implements ActivationSpec {
    static final String QUEUE = "jakarta.jms.Queue";
    static final String TOPIC = "jakarta.jms.Topic";
    static final String DURABLE = "Durable";
    static final String NON_DURABLE = "NonDurable";
    static final String AUTO_ACKNOWLEDGE = "Auto-acknowledge";
    static final String DUPS_OK_ACKNOWLEDGE = "Dups-ok-acknowledge";

    private String destination;
    private String destinationType = QUEUE;
    private String subscriptionDurability = NON_DURABLE;
    private String subscriptionName;
    private String clientId;
    private String messageSelector;
    private String acknowledgeMode = AUTO_ACKNOWLEDGE;
    private Integer maxSession = 5;
    private Long receiveTimeoutMs = 1000L;
    private String brokerUrl;
    private String userName;
    private String password;
    private ResourceAdapter resourceAdapter;

    // ---- properties --------------------------------------------------------------------------

    public String getDestination() {
        return destination;
    }

    @ConfigProperty(description = "Name of the queue or topic on the broker")
    public void setDestination(String destination) {
        this.destination = destination;
    }

    public String getDestinationType() {
        return destinationType;
    }

    @ConfigProperty(defaultValue = QUEUE, description = "jakarta.jms.Queue or jakarta.jms.Topic")
    public void setDestinationType(String destinationType) {
        this.destinationType = destinationType;
    }

    public String getSubscriptionDurability() {
        return subscriptionDurability;
    }

    @ConfigProperty(defaultValue = NON_DURABLE, description = "Durable or NonDurable (topics only)")
    public void setSubscriptionDurability(String subscriptionDurability) {
        this.subscriptionDurability = subscriptionDurability;
    }

    public String getSubscriptionName() {
        return subscriptionName;
    }

    @ConfigProperty(description = "Name of the durable subscription")
    public void setSubscriptionName(String subscriptionName) {
        this.subscriptionName = subscriptionName;
    }

    public String getClientId() {
        return clientId;
    }

    @ConfigProperty(description = "Client id of the subscribing connection; durable subscriptions without one get the"
            + " adapter's clientIdPrefix followed by the subscription name")
    public void setClientId(String clientId) {
        this.clientId = clientId;
    }

    public String getMessageSelector() {
        return messageSelector;
    }

    @ConfigProperty(description = "Message selector (JMS 3.1 section 3.8)")
    public void setMessageSelector(String messageSelector) {
        this.messageSelector = messageSelector;
    }

    public String getAcknowledgeMode() {
        return acknowledgeMode;
    }

    @ConfigProperty(defaultValue = AUTO_ACKNOWLEDGE,
            description = "Auto-acknowledge or Dups-ok-acknowledge; ignored when delivery is transacted")
    public void setAcknowledgeMode(String acknowledgeMode) {
        this.acknowledgeMode = acknowledgeMode;
    }

    public Integer getMaxSession() {
        return maxSession;
    }

    @ConfigProperty(defaultValue = "5", description = "Sessions delivering in parallel; topic subscriptions use one")
    public void setMaxSession(Integer maxSession) {
        this.maxSession = maxSession;
    }

    public Long getReceiveTimeoutMs() {
        return receiveTimeoutMs;
    }

    @ConfigProperty(defaultValue = "1000", description = "How long a delivery session waits for a message before it"
            + " checks whether it should stop, in ms")
    public void setReceiveTimeoutMs(Long receiveTimeoutMs) {
        this.receiveTimeoutMs = receiveTimeoutMs;
    }

    public String getBrokerUrl() {
        return brokerUrl;
    }

    @ConfigProperty(description = "The broker of this bean; empty: the resource adapter's brokerUrl")
    public void setBrokerUrl(String brokerUrl) {
        this.brokerUrl = brokerUrl;
    }

    public String getUserName() {
        return userName;
    }

    @ConfigProperty(description = "User of this bean's connection; empty: the resource adapter's userName")
    public void setUserName(String userName) {
        this.userName = userName;
    }

    public String getPassword() {
        return password;
    }

    @ConfigProperty(description = "Password of that user", confidential = true)
    public void setPassword(String password) {
        this.password = password;
    }

    @Override
    public ResourceAdapter getResourceAdapter() {
        return resourceAdapter;
    }

    @Override
    public void setResourceAdapter(ResourceAdapter resourceAdapter) throws ResourceException {
        this.resourceAdapter = resourceAdapter;
    }

    // ---- derived -----------------------------------------------------------------------------

    boolean isTopic() {
        return TOPIC.equals(normalizedDestinationType());
    }

    boolean isDurable() {
        return DURABLE.equalsIgnoreCase(trimmed(subscriptionDurability));
    }

    /** Topic subscriptions deliver in order through one session; queues spread over maxSession sessions. */
    int sessionCount() {
        return isTopic() ? 1 : maxSession;
    }

    /** The legacy {@code javax.jms} and short names are accepted too, as many deployment descriptors use them. */
    private String normalizedDestinationType() {
        final String type = trimmed(destinationType);
        if (type == null) {
            return null;
        }
        return switch (type) {
            case QUEUE, "javax.jms.Queue", "Queue" -> QUEUE;
            case TOPIC, "javax.jms.Topic", "Topic" -> TOPIC;
            default -> type;
        };
    }

    private static String trimmed(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    // ---- validation --------------------------------------------------------------------------

    /**
     * Checks every property and their combinations.
     *
     * @throws InvalidPropertyException listing every problem found, each naming its property
     */
    @Override
    public void validate() throws InvalidPropertyException {
        final List<String> problems = new ArrayList<>();
        if (trimmed(destination) == null) {
            problems.add("destination must name the queue or topic to consume");
        } else {
            try {
                StrandDestination.validateName(destination.trim());
            } catch (InvalidDestinationException e) {
                problems.add(e.getMessage());
            }
        }
        final String type = normalizedDestinationType();
        if (!QUEUE.equals(type) && !TOPIC.equals(type)) {
            problems.add("destinationType must be jakarta.jms.Queue or jakarta.jms.Topic, not " + destinationType);
        }
        final String durability = trimmed(subscriptionDurability);
        if (durability != null && !DURABLE.equalsIgnoreCase(durability) && !NON_DURABLE.equalsIgnoreCase(durability)) {
            problems.add("subscriptionDurability must be Durable or NonDurable, not " + subscriptionDurability);
        }
        if (isDurable()) {
            if (QUEUE.equals(type)) {
                problems.add("subscriptionDurability=Durable applies to topics only; destination " + destination
                        + " is a queue");
            }
            if (trimmed(subscriptionName) == null) {
                problems.add("subscriptionDurability=Durable needs a subscriptionName");
            }
        }
        final String ack = trimmed(acknowledgeMode);
        if (ack != null && !AUTO_ACKNOWLEDGE.equalsIgnoreCase(ack) && !DUPS_OK_ACKNOWLEDGE.equalsIgnoreCase(ack)) {
            problems.add("acknowledgeMode must be Auto-acknowledge or Dups-ok-acknowledge, not " + acknowledgeMode);
        }
        if (maxSession == null || maxSession < 1) {
            problems.add("maxSession must be at least 1: maxSession=" + maxSession);
        }
        if (receiveTimeoutMs == null || receiveTimeoutMs < 1) {
            problems.add("receiveTimeoutMs must be at least 1: receiveTimeoutMs=" + receiveTimeoutMs);
        }
        if (trimmed(brokerUrl) != null) {
            try {
                PhysicalConnections.checkUrl(brokerUrl);
            } catch (IllegalArgumentException e) {
                problems.add("brokerUrl " + brokerUrl + ": " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidPropertyException("invalid activation of destination " + destination + ": "
                    + String.join("; ", problems));
        }
    }

    @Override
    public String toString() {
        return (isTopic() ? "topic " : "queue ") + destination
                + (isDurable() ? " durable subscription " + subscriptionName : "")
                + (messageSelector == null ? "" : " selector '" + messageSelector + "'");
    }
}
