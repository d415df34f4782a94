package io.strand.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strand.protocol.ErrorCode;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** The writes of a led partition wait for its high watermark, and none waits on after the broker stopped leading. */
class CommitWaitersTest {
    @Test
    void aWriteCompletesOnceTheHighWatermarkPassesItsEnd() {
        CommitWaiters waiters = new CommitWaiters();
        CompletableFuture<Void> write = waiters.add(10, 5);
        waiters.advanced(9, 2, 2, "q$a-0");
        assertThat(write).isNotDone();
        waiters.advanced(10, 2, 2, "q$a-0");
        assertThat(write).isCompleted();
        assertThat(waiters.add(7, 10)).as("passed already").isCompleted();
    }

    @Test
    void aWriteAddedAfterTheBrokerStoppedLeadingFailsAtOnce() {
        CommitWaiters waiters = new CommitWaiters();
        CompletableFuture<Void> waiting = waiters.add(10, 5);
        waiters.failAll(new BrokerException(ErrorCode.NOT_LEADER, "broker 1 no longer leads q$a-0"));
        assertThat(waiting).isCompletedExceptionally();

        // A produce that looked the partition up just before the broker stopped leading it adds its write now.
        CompletableFuture<Void> late = waiters.add(12, 5);
        assertThatThrownBy(late::get).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(BrokerException.class).hasMessageContaining("no longer leads q$a-0");
    }
}
