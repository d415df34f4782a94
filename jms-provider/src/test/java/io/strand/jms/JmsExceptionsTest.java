package io.strand.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strand.jms.client.BrokerException;
import io.strand.jms.client.ConnectionLostException;
import io.strand.protocol.ErrorCode;
import io.strand.protocol.ResponseStatus;
import io.strand.record.CorruptRecordException;
import jakarta.jms.IllegalStateException;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.InvalidClientIDException;
import jakarta.jms.InvalidClientIDRuntimeException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.JMSSecurityRuntimeException;
import jakarta.jms.MessageFormatException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class JmsExceptionsTest {
    private static Class<? extends JMSException> expectedFor(ErrorCode code) {
        return switch (code) {
            case INVALID_DESTINATION, UNKNOWN_DESTINATION, UNKNOWN_SUBSCRIPTION -> InvalidDestinationException.class;
            case INVALID_CLIENT_ID -> InvalidClientIDException.class;
            case INVALID_SELECTOR -> InvalidSelectorException.class;
            case AUTHENTICATION_FAILED -> JMSSecurityException.class;
            case MESSAGE_TOO_LARGE, CORRUPT_RECORDS -> MessageFormatException.class;
            default -> JMSException.class;
        };
    }

    @ParameterizedTest
    @EnumSource(value = ErrorCode.class, mode = EnumSource.Mode.EXCLUDE, names = "NONE")
    void shouldMapEveryErrorCodeToTheSpecifiedException(ErrorCode code) {
        final JMSException e = JmsExceptions.fromStatus(ResponseStatus.of(code, "broker says why"), "doing it");
        assertThat(e).isExactlyInstanceOf(expectedFor(code));
        assertThat(e.getMessage()).isEqualTo("doing it: broker says why");
        assertThat(e.getErrorCode()).isEqualTo(code.name());
    }

    @Test
    void shouldUseTheDefaultMessageWhenTheBrokerGivesNone() {
        assertThat(JmsExceptions.fromStatus(ResponseStatus.of(ErrorCode.NOT_LEADER, null), "x").getMessage())
                .isEqualTo("x: " + ErrorCode.NOT_LEADER.defaultMessage);
    }

    @Test
    void shouldUnwrapFutureFailures() {
        final Throwable wrapped = new CompletionException(new BrokerException(
                ResponseStatus.of(ErrorCode.INVALID_CLIENT_ID, "in use")));
        assertThat(JmsExceptions.from(wrapped, "set id")).isInstanceOf(InvalidClientIDException.class)
                .hasMessage("set id: in use");
        assertThat(JmsExceptions.from(new ConnectionLostException("gone", null), "send").getMessage())
                .isEqualTo("send: gone");
        assertThat(JmsExceptions.from(new CorruptRecordException("bad crc"), "receive"))
                .isInstanceOf(MessageFormatException.class);
        final JMSException original = new JMSException("as is");
        assertThat(JmsExceptions.from(original, "x")).isSameAs(original);
    }

    @Test
    void shouldTimeOutWithAClearMessage() {
        assertThatThrownBy(() -> JmsExceptions.await(new CompletableFuture<>(), 10, "sending"))
                .isInstanceOf(JMSException.class).hasMessage("sending: the broker did not answer within 10 ms");
    }

    @Test
    void shouldMapCheckedToUncheckedTwins() {
        assertThat(JmsExceptions.toRuntime(new IllegalStateException("s"))).isInstanceOf(IllegalStateRuntimeException.class);
        assertThat(JmsExceptions.toRuntime(new InvalidClientIDException("c")))
                .isInstanceOf(InvalidClientIDRuntimeException.class);
        assertThat(JmsExceptions.toRuntime(new JMSSecurityException("refused")))
                .isInstanceOf(JMSSecurityRuntimeException.class);
        final JMSRuntimeException r = JmsExceptions.toRuntime(new JMSException("m", "CODE"));
        assertThat(r).isExactlyInstanceOf(JMSRuntimeException.class).hasMessage("m");
        assertThat(r.getErrorCode()).isEqualTo("CODE");
    }
}
