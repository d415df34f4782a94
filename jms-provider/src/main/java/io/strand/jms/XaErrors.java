package io.strand.jms;

import io.strand.jms.client.BrokerException;
import io.strand.jms.client.ConnectionLostException;
import io.strand.protocol.ErrorCode;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import javax.transaction.xa.XAException;

/** Builds the {@link XAException}s the X/Open XA specification names, with a message and a cause. Stateless. */
final class XaErrors {
    private XaErrors() {
    }

    /** @return an exception with the XA error code {@code code} and a message saying what happened */
    static XAException of(int code, String message) {
        final XAException e = new XAException(message + " (" + name(code) + ")");
        e.errorCode = code;
        return e;
    }

    static XAException of(int code, String message, Throwable cause) {
        final XAException e = of(code, message);
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    /**
     * The XA error of a broker's answer to a request on a prepared branch (commit, rollback, forget), or of the
     * failure to get one.
     *
     * @param failure what the request's future failed with
     * @param what    the request, for the message
     */
    static XAException forFailure(Throwable failure, String what, boolean commit) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof BrokerException refused) {
            return of(codeFor(refused.error(), commit), what + ": " + refused.status().describe(), refused);
        }
        if (cause instanceof ConnectionLostException) {
            return of(XAException.XAER_RMFAIL, what + ": the connection to the broker is lost", cause);
        }
        if (cause instanceof TimeoutException) {
            return of(XAException.XAER_RMFAIL, what + ": the broker did not answer in time", cause);
        }
        return of(XAException.XAER_RMERR, what + ": " + cause, cause);
    }

    /** The XA error code for a broker's error on a commit or rollback by Xid. */
    static int codeFor(ErrorCode error, boolean commit) {
        return switch (error) {
            case UNKNOWN_XID -> XAException.XAER_NOTA;
            case INVALID_XA_STATE -> XAException.XAER_PROTO;
            case TRANSACTION_ROLLED_BACK -> XAException.XA_RBROLLBACK;
            case HEURISTIC_COMMIT -> XAException.XA_HEURCOM;
            case HEURISTIC_ROLLBACK -> XAException.XA_HEURRB;
            // A commit may be tried again later (XA_RETRY); a rollback has no such answer, the resource is not ready.
            case TRANSACTION_BUSY -> commit ? XAException.XA_RETRY : XAException.XAER_RMFAIL;
            case STORAGE_ERROR -> XAException.XAER_RMFAIL;
            case MALFORMED_REQUEST -> XAException.XAER_INVAL;
            default -> XAException.XAER_RMERR;
        };
    }

    /** The name of an XA error code, for messages. */
    static String name(int code) {
        return switch (code) {
            case XAException.XA_RBROLLBACK -> "XA_RBROLLBACK";
            case XAException.XA_RBCOMMFAIL -> "XA_RBCOMMFAIL";
            case XAException.XA_RBDEADLOCK -> "XA_RBDEADLOCK";
            case XAException.XA_RBINTEGRITY -> "XA_RBINTEGRITY";
            case XAException.XA_RBOTHER -> "XA_RBOTHER";
            case XAException.XA_RBPROTO -> "XA_RBPROTO";
            case XAException.XA_RBTIMEOUT -> "XA_RBTIMEOUT";
            case XAException.XA_RBTRANSIENT -> "XA_RBTRANSIENT";
            case XAException.XA_NOMIGRATE -> "XA_NOMIGRATE";
            case XAException.XA_HEURHAZ -> "XA_HEURHAZ";
            case XAException.XA_HEURCOM -> "XA_HEURCOM";
            case XAException.XA_HEURRB -> "XA_HEURRB";
            case XAException.XA_HEURMIX -> "XA_HEURMIX";
            case XAException.XA_RETRY -> "XA_RETRY";
            case XAException.XA_RDONLY -> "XA_RDONLY";
            case XAException.XAER_ASYNC -> "XAER_ASYNC";
            case XAException.XAER_RMERR -> "XAER_RMERR";
            case XAException.XAER_NOTA -> "XAER_NOTA";
            case XAException.XAER_INVAL -> "XAER_INVAL";
            case XAException.XAER_PROTO -> "XAER_PROTO";
            case XAException.XAER_RMFAIL -> "XAER_RMFAIL";
            case XAException.XAER_DUPID -> "XAER_DUPID";
            case XAException.XAER_OUTSIDE -> "XAER_OUTSIDE";
            default -> "XA error " + code;
        };
    }
}
