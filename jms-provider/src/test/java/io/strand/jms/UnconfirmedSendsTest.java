package io.strand.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strand.jms.client.ConnectionLostException;
import jakarta.jms.JMSException;
import jakarta.jms.ResourceAllocationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class UnconfirmedSendsTest {
    private final UnconfirmedSends sends = new UnconfirmedSends(1000, "the connection to strand://b1:61617");

    /** Reserves on another thread; completes with null once counted, or with what it threw. */
    private CompletableFuture<Exception> reserveAsync(int size, long timeoutMs) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                sends.reserve(size, true, timeoutMs, "sending to queue://orders");
                return null;
            } catch (JMSException e) {
                return e;
            }
        });
    }

    @Test
    void shouldCountSendsUpToTheLimitWithoutWaiting() throws Exception {
        sends.reserve(600, true, 0, "sending");
        sends.reserve(400, true, 0, "sending");
        assertThat(sends.bytes()).isEqualTo(1000);
        sends.release(600);
        assertThat(sends.bytes()).isEqualTo(400);
    }

    @Test
    void shouldMakeASendPastTheLimitWaitUntilAConfirmationFreesRoom() throws Exception {
        sends.reserve(800, true, 0, "sending");
        final CompletableFuture<Exception> waiting = reserveAsync(300, 30_000);
        Thread.sleep(100);
        assertThat(waiting).as("800 + 300 bytes would exceed 1000").isNotDone();
        assertThat(sends.bytes()).isEqualTo(800);

        sends.release(800);
        assertThat(waiting.get(5, TimeUnit.SECONDS)).isNull();
        assertThat(sends.bytes()).isEqualTo(300);
    }

    @Test
    void shouldFailASendThatFindsNoRoomInTimeNamingTheLimitAndTheOption() throws Exception {
        sends.reserve(900, true, 0, "sending");
        final long startNs = System.nanoTime();
        assertThatThrownBy(() -> sends.reserve(200, true, 200, "sending to queue://orders"))
                .isInstanceOf(ResourceAllocationException.class)
                .hasMessageContaining("sending to queue://orders")
                .hasMessageContaining("maxUnconfirmedSendBytes=1000")
                .hasMessageContaining("900 bytes").hasMessageContaining("200 ms");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs)).isGreaterThanOrEqualTo(200);
        assertThat(sends.bytes()).as("the failed send is not counted").isEqualTo(900);
    }

    @Test
    void shouldWakeAWaitingSendWithTheFailureWhenTheConnectionEnds() throws Exception {
        sends.reserve(1000, true, 0, "sending");
        final CompletableFuture<Exception> waiting = reserveAsync(10, 60_000);
        Thread.sleep(100);
        assertThat(waiting).isNotDone();

        sends.end(new ConnectionLostException("no broker of strand://b1:61617 accepted a connection within 500 ms", null));
        final Exception failed = waiting.get(5, TimeUnit.SECONDS);
        assertThat(failed).isInstanceOf(JMSException.class).isNotInstanceOf(ResourceAllocationException.class)
                .hasMessageContaining("sending to queue://orders").hasMessageContaining("within 500 ms");
        assertThat(((JMSException) failed).getErrorCode()).isEqualTo("CONNECTION_LOST");
        assertThatThrownBy(() -> sends.reserve(1, true, 0, "sending")).as("and later sends at once")
                .isInstanceOf(JMSException.class).hasMessageContaining("within 500 ms");
    }

    @Test
    void shouldLetASendLargerThanTheLimitGoAlone() throws Exception {
        sends.reserve(5000, true, 0, "sending");
        assertThat(sends.bytes()).isEqualTo(5000);
        assertThat(reserveAsync(1, 100).get(5, TimeUnit.SECONDS)).isInstanceOf(ResourceAllocationException.class);
        sends.release(5000);
        sends.reserve(1, true, 0, "sending");
    }

    @Test
    void shouldNotMakeTheThreadThatFreesRoomWait() throws Exception {
        sends.reserve(1000, true, 0, "sending");
        sends.reserve(500, false, 0, "sending from a CompletionListener");
        assertThat(sends.bytes()).isEqualTo(1500);
    }
}
