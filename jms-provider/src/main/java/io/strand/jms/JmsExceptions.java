package io.strand.jms;

import io.strand.jms.client.BrokerException;
import io.strand.jms.client.ConnectionLostException;
import io.strand.jms.client.JmsErrors;
import io.strand.protocol.ErrorCode;
import io.strand.protocol.ResponseStatus;
import io.strand.record.CorruptRecordException;
import jakarta.jms.IllegalStateException;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.InvalidClientIDException;
import jakarta.jms.InvalidClientIDRuntimeException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.InvalidDestinationRuntimeException;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.InvalidSelectorRuntimeException;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.JMSSecurityRuntimeException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageFormatRuntimeException;
import jakarta.jms.MessageNotWriteableException;
import jakarta.jms.MessageNotWriteableRuntimeException;
import jakarta.jms.ResourceAllocationException;
import jakarta.jms.ResourceAllocationRuntimeException;
import jakarta.jms.TransactionInProgressException;
import jakarta.jms.TransactionInProgressRuntimeException;
import jakarta.jms.TransactionRolledBackException;
import jakarta.jms.TransactionRolledBackRuntimeException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one place where failures become the JMS exceptions the specification names: broker error codes,
 * a lost connection, corrupt records, and the checked-to-unchecked mapping of the simplified API.
 * The JMS error code of each exception is the wire {@link ErrorCode}'s name. Stateless.
 */
public final class JmsExceptions {
    private JmsExceptions() {
    }

    /**
     * @param status an error status from the broker
     * @param what   what the client was doing, such as {@code "sending to topic://orders"}
     * @return the exception the specification names for that error, with the broker's message
     */
    public static JMSException fromStatus(ResponseStatus status, String what) {
        final String message = what + ": " + status.describe();
        final String code = status.error().name();
        return switch (status.error()) {
            case INVALID_DESTINATION, UNKNOWN_DESTINATION, UNKNOWN_SUBSCRIPTION -> new InvalidDestinationException(message, code);
            case INVALID_CLIENT_ID -> new InvalidClientIDException(message, code);
            case INVALID_SELECTOR -> new InvalidSelectorException(message, code);
            case AUTHENTICATION_FAILED -> new JMSSecurityException(message, code);
            case MESSAGE_TOO_LARGE, CORRUPT_RECORDS -> new MessageFormatException(message, code);
            default -> new JMSException(message, code);
        };
    }

    /**
     * @param failure what a future failed with or a call threw
     * @param what    what the client was doing
     * @return the JMS exception for it; a {@link JMSException} is returned as it is
     */
    public static JMSException from(Throwable failure, String what) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof JMSException jms) {
            return jms;
        }
        if (cause instanceof BrokerException broker) {
            return JmsErrors.withCause(fromStatus(broker.status(), what), broker);
        }
        if (cause instanceof ConnectionLostException lost) {
            return JmsErrors.withCause(new JMSException(what + ": " + lost.getMessage(), "CONNECTION_LOST"), lost);
        }
        if (cause instanceof CorruptRecordException corrupt) {
            return JmsErrors.withCause(new MessageFormatException(what + ": " + corrupt.getMessage(),
                    ErrorCode.CORRUPT_RECORDS.name()), corrupt);
        }
        return JmsErrors.withCause(new JMSException(what + ": " + cause), cause);
    }

    /**
     * Waits for a broker answer.
     *
     * @throws JMSException mapped by {@link #from}, or saying that the broker did not answer in time
     */
    public static <T> T await(CompletableFuture<T> future, long timeoutMs, String what) throws JMSException {
        try {
            return future.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw from(e.getCause(), what);
        } catch (TimeoutException e) {
            throw new JMSException(what + ": the broker did not answer within " + timeoutMs + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JMSException(what + ": interrupted while waiting for the broker");
        }
    }

    /** The unchecked twin of a checked JMS exception, for the simplified API (JMS 3.1 §7.5). */
    public static JMSRuntimeException toRuntime(JMSException e) {
        final String m = e.getMessage();
        final String c = e.getErrorCode();
        final JMSRuntimeException r;
        if (e instanceof IllegalStateException) {
            r = new IllegalStateRuntimeException(m, c, e);
        } else if (e instanceof InvalidClientIDException) {
            r = new InvalidClientIDRuntimeException(m, c, e);
        } else if (e instanceof InvalidDestinationException) {
            r = new InvalidDestinationRuntimeException(m, c, e);
        } else if (e instanceof InvalidSelectorException) {
            r = new InvalidSelectorRuntimeException(m, c, e);
        } else if (e instanceof JMSSecurityException) {
            r = new JMSSecurityRuntimeException(m, c, e);
        } else if (e instanceof MessageFormatException) {
            r = new MessageFormatRuntimeException(m, c, e);
        } else if (e instanceof MessageNotWriteableException) {
            r = new MessageNotWriteableRuntimeException(m, c, e);
        } else if (e instanceof ResourceAllocationException) {
            r = new ResourceAllocationRuntimeException(m, c, e);
        } else if (e instanceof TransactionInProgressException) {
            r = new TransactionInProgressRuntimeException(m, c, e);
        } else if (e instanceof TransactionRolledBackException) {
            r = new TransactionRolledBackRuntimeException(m, c, e);
        } else {
            r = new JMSRuntimeException(m, c, e);
        }
        return r;
    }

    /** A JMSException saying a feature comes in a later version. */
    static JMSException notYetSupported(String what) {
        return new JMSException(what + " is not supported by this version of Strand yet", "NOT_SUPPORTED");
    }
}
