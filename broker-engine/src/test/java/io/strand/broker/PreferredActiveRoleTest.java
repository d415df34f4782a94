package io.strand.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.strand.cluster.metadata.CreateTopic;
import io.strand.cluster.metadata.Endpoint;
import io.strand.cluster.metadata.MetadataImage;
import io.strand.cluster.metadata.MetadataRecord;
import io.strand.cluster.metadata.MetadataStateMachine;
import io.strand.cluster.metadata.PartitionChange;
import io.strand.cluster.metadata.RegisterBroker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The preferred broker asks for the active role back only when another broker has it and it has stayed in sync for
 * every partition it holds long enough; never while it lags on one, and once per wait.
 */
class PreferredActiveRoleTest {
    private static final int PREFERRED = 1;
    private static final int STAND_IN = 2;

    private final AtomicLong nowMs = new AtomicLong(1_000_000);
    private final List<Integer> asked = new ArrayList<>();
    private final PreferredActiveRole role = new PreferredActiveRole(PREFERRED, broker -> {
        asked.add(broker);
        return new CompletableFuture<>(); // the controller has not answered yet
    }, nowMs::get);

    /** Two brokers, two partitions led by {@code leader}; broker 1 in sync for them unless {@code lagging}. */
    private static MetadataImage image(int leader, boolean lagging) {
        List<MetadataRecord> records = new ArrayList<>();
        for (int broker : List.of(PREFERRED, STAND_IN)) {
            records.add(new RegisterBroker(broker, broker, List.of(new Endpoint("client", "127.0.0.1", broker)),
                    Optional.empty()));
        }
        records.add(new CreateTopic("orders", 2, 2, Map.of()));
        for (int p = 0; p < 2; p++) {
            List<Integer> isr = lagging && p == 1 ? List.of(leader) : List.of(PREFERRED, STAND_IN);
            records.add(new PartitionChange("orders", p, leader, 3, isr, List.of(PREFERRED, STAND_IN), 3, List.of()));
        }
        return MetadataStateMachine.applyTo(MetadataImage.EMPTY, records);
    }

    private void checkAfter(long ms, MetadataImage image) {
        nowMs.addAndGet(ms);
        role.check(image);
    }

    @Test
    void asksOnceItHasBeenInSyncForTheWholeWait() {
        checkAfter(0, image(STAND_IN, false));
        checkAfter(PreferredActiveRole.IN_SYNC_MS - 1, image(STAND_IN, false));
        assertThat(asked).isEmpty();

        checkAfter(1, image(STAND_IN, false));
        assertThat(asked).containsExactly(PREFERRED);
        checkAfter(PreferredActiveRole.IN_SYNC_MS * 3, image(STAND_IN, false));
        assertThat(asked).as("not again while the first request waits for the controller").hasSize(1);
    }

    @Test
    void aPartitionItLagsOnStartsTheWaitAgain() {
        checkAfter(0, image(STAND_IN, false));
        checkAfter(PreferredActiveRole.IN_SYNC_MS - 1, image(STAND_IN, true));
        checkAfter(1, image(STAND_IN, false));
        checkAfter(PreferredActiveRole.IN_SYNC_MS - 1, image(STAND_IN, false));
        assertThat(asked).isEmpty();
        checkAfter(1, image(STAND_IN, false));
        assertThat(asked).containsExactly(PREFERRED);
    }

    @Test
    void asksNothingWhileItHasTheRole() {
        checkAfter(0, image(PREFERRED, false));
        checkAfter(PreferredActiveRole.IN_SYNC_MS * 2, image(PREFERRED, false));
        assertThat(asked).isEmpty();
    }
}
