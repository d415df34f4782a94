package io.strand.ra;

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

/** The simplified API's unchecked twin of each checked JMS exception (JMS 3.1 §8.2.6). */
final class RuntimeExceptions {
    private RuntimeExceptions() {
    }

    static JMSRuntimeException of(JMSException e) {
        final String message = e.getMessage();
        final String code = e.getErrorCode();
        final JMSRuntimeException twin;
        if (e instanceof IllegalStateException) {
            twin = new IllegalStateRuntimeException(message, code, e);
        } else if (e instanceof InvalidDestinationException) {
            twin = new InvalidDestinationRuntimeException(message, code, e);
        } else if (e instanceof InvalidSelectorException) {
            twin = new InvalidSelectorRuntimeException(message, code, e);
        } else if (e instanceof InvalidClientIDException) {
            twin = new InvalidClientIDRuntimeException(message, code, e);
        } else if (e instanceof JMSSecurityException) {
            twin = new JMSSecurityRuntimeException(message, code, e);
        } else if (e instanceof MessageFormatException) {
            twin = new MessageFormatRuntimeException(message, code, e);
        } else if (e instanceof MessageNotWriteableException) {
            twin = new MessageNotWriteableRuntimeException(message, code, e);
        } else if (e instanceof ResourceAllocationException) {
            twin = new ResourceAllocationRuntimeException(message, code, e);
        } else if (e instanceof TransactionInProgressException) {
            twin = new TransactionInProgressRuntimeException(message, code, e);
        } else if (e instanceof TransactionRolledBackException) {
            twin = new TransactionRolledBackRuntimeException(message, code, e);
        } else {
            twin = new JMSRuntimeException(message, code, e);
        }
        return twin;
    }

    /** A JMS call of the classic API. */
    @FunctionalInterface
    interface Call<T> {
        T call() throws JMSException;
    }

    /** A JMS call of the classic API that returns nothing. */
    @FunctionalInterface
    interface Action {
        void run() throws JMSException;
    }

    /** Runs a classic call for the simplified API: a checked exception comes out as its unchecked twin. */
    static <T> T unchecked(Call<T> call) {
        try {
            return call.call();
        } catch (JMSException e) {
            throw of(e);
        }
    }

    static void uncheckedRun(Action action) {
        try {
            action.run();
        } catch (JMSException e) {
            throw of(e);
        }
    }
}
