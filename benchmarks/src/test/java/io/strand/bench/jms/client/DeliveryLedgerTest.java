package io.strand.bench.jms.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DeliveryLedgerTest {

    @Test
    void everyExpectedMessageOnceCompletesTheDrain() {
        DeliveryLedger ledger = DeliveryLedger.all(130);
        for (int seq = 129; seq >= 0; seq--) {
            assertThat(ledger.accept(seq)).isTrue();
        }
        assertThat(ledger.complete()).isTrue();
        assertThat(ledger.problem()).isNull();
        assertThat(ledger.firstMissing()).isEqualTo(-1);
    }

    @Test
    void aMessageDeliveredTwiceFailsTheDrain() {
        DeliveryLedger ledger = DeliveryLedger.all(10);
        ledger.accept(3);
        assertThat(ledger.accept(3)).isFalse();
        assertThat(ledger.problem()).isEqualTo("message seq=3 was delivered twice");
        assertThat(ledger.accepted()).isEqualTo(1);
    }

    @Test
    void aMessageTheSelectorDoesNotMatchFailsTheDrain() {
        DeliveryLedger ledger = new DeliveryLedger(100, Backlog::matchesSelector, "every tenth");
        assertThat(ledger.expectedCount()).isEqualTo(10);
        assertThat(ledger.accept(0)).isTrue();
        assertThat(ledger.accept(1)).isFalse();
        assertThat(ledger.problem()).contains("seq=1").contains("not expected (every tenth)");
        assertThat(ledger.complete()).isFalse();
        assertThat(ledger.firstMissing()).isEqualTo(10);
    }

    @Test
    void aMessageWithoutItsNumberOrFromAnotherRunFailsTheDrain() {
        assertThat(DeliveryLedger.all(5).accept(null)).isFalse();
        DeliveryLedger ledger = DeliveryLedger.all(5);
        assertThat(ledger.accept(5)).isFalse();
        assertThat(ledger.problem()).contains("seq property is 5");
    }

    @Test
    void theFirstProblemIsTheOneReported() {
        DeliveryLedger ledger = DeliveryLedger.all(5);
        ledger.fail("first");
        ledger.fail("second");
        assertThat(ledger.problem()).isEqualTo("first");
    }

    @Test
    void competingConsumersSharingTheLedgerFindADuplicateAcrossThem() throws InterruptedException {
        int sent = 20_000;
        DeliveryLedger ledger = DeliveryLedger.all(sent);
        AtomicInteger next = new AtomicInteger();
        List<Thread> consumers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Thread consumer = new Thread(() -> {
                int seq;
                while ((seq = next.getAndIncrement()) < sent) {
                    ledger.accept(seq);
                }
            });
            consumers.add(consumer);
            consumer.start();
        }
        for (Thread consumer : consumers) {
            consumer.join();
        }
        assertThat(ledger.complete()).isTrue();
        assertThat(ledger.accept(12_345)).isFalse();
        assertThat(ledger.problem()).isEqualTo("message seq=12345 was delivered twice");
    }
}
