package io.strand.jms.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.strand.jms.message.StrandTextMessage;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PrefetchBufferTest {
    private final AtomicInteger wakeups = new AtomicInteger();
    private final PrefetchBuffer buffer = new PrefetchBuffer(wakeups::incrementAndGet, false);

    private static Delivery d(long offset) {
        return new Delivery(new StrandTextMessage("m" + offset), 1, 0, offset, AckStyle.CUMULATIVE, null);
    }

    @Test
    void shouldHoldMessagesWhileStopped() throws Exception {
        buffer.addLast(List.of(d(0)));
        assertThat(buffer.take(-1)).isNull();
        assertThat(buffer.take(20)).isNull();
        assertThat(buffer.isTakeable()).isFalse();
        buffer.setStarted(true);
        assertThat(buffer.take(-1).offset()).isZero();
        assertThat(wakeups.get()).isEqualTo(2); // on arrival and on start
    }

    @Test
    void shouldPutRecoveredMessagesBackInFrontInOrder() throws Exception {
        buffer.setStarted(true);
        buffer.addLast(List.of(d(2), d(3)));
        buffer.addFirst(List.of(d(0), d(1)));
        assertThat(List.of(buffer.take(-1).offset(), buffer.take(-1).offset(), buffer.take(-1).offset(),
                buffer.take(-1).offset())).containsExactly(0L, 1L, 2L, 3L);
    }

    @Test
    void shouldHandOutHigherPrioritiesFirstInAQueueReceiversBuffer() throws Exception {
        PrefetchBuffer queueBuffer = new PrefetchBuffer(() -> { }, true);
        queueBuffer.setStarted(true);
        queueBuffer.addLast(List.of(prioritised(0, 4), prioritised(1, 9), prioritised(2, 0), prioritised(3, 9)));
        assertThat(List.of(queueBuffer.take(-1).offset(), queueBuffer.take(-1).offset(), queueBuffer.take(-1).offset(),
                queueBuffer.take(-1).offset())).containsExactly(1L, 3L, 0L, 2L);
        assertThat(queueBuffer.size()).isZero();
    }

    @Test
    void shouldIgnorePriorityInATopicSubscribersBuffer() throws Exception {
        buffer.setStarted(true);
        buffer.addLast(List.of(prioritised(0, 0), prioritised(1, 9)));
        assertThat(List.of(buffer.take(-1).offset(), buffer.take(-1).offset())).containsExactly(0L, 1L);
    }

    private static Delivery prioritised(long offset, int priority) throws Exception {
        StrandTextMessage message = new StrandTextMessage("m" + offset);
        message.setJMSPriority(priority);
        return new Delivery(message, 1, 0, offset, AckStyle.PER_RECORD, null);
    }

    @Test
    void shouldWakeBlockedTakerOnArrivalAndOnClose() throws Exception {
        buffer.setStarted(true);
        final CompletableFuture<Delivery> taken = CompletableFuture.supplyAsync(() -> {
            try {
                return buffer.take(0);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(20);
        buffer.addLast(List.of(d(7)));
        assertThat(taken.get(5, TimeUnit.SECONDS).offset()).isEqualTo(7);

        final CompletableFuture<Delivery> blocked = CompletableFuture.supplyAsync(() -> {
            try {
                return buffer.take(0);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(20);
        buffer.addLast(List.of());
        assertThat(blocked).isNotDone();
        buffer.addLast(List.of(d(8)));
        assertThat(blocked.get(5, TimeUnit.SECONDS).offset()).isEqualTo(8);
        buffer.addLast(List.of(d(9)));
        assertThat(buffer.close()).extracting(Delivery::offset).containsExactly(9L);
        assertThat(buffer.take(0)).isNull();
    }
}
