package io.strand.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The public surface: what a parsed selector keeps, reports and asks of its values. */
class MessageSelectorTest {

    @Test
    void keepsTheExpressionAsGiven() throws Exception {
        String expression = "  JMSType = 'car' AND color = 'blue' AND weight > 2500  ";
        MessageSelector selector = MessageSelector.parse(expression);
        assertThat(selector.expression()).isSameAs(expression);
        assertThat(selector.toString()).contains(expression);
        assertThat(selector.identifiers()).containsExactly("JMSType", "color", "weight");
    }

    @Test
    void theSpecificationsExampleSelector() throws Exception {
        MessageSelector selector = MessageSelector.parse("JMSType = 'car' AND color = 'blue' AND weight > 2500");
        Map<String, Object> car = new HashMap<>(Map.of("JMSType", "car", "color", "blue", "weight", 2600));
        assertThat(selector.matches(car::get)).isTrue();
        car.put("weight", 2500L);
        assertThat(selector.matches(car::get)).isFalse();
        car.put("weight", 2500.5f);
        assertThat(selector.matches(car::get)).isTrue();
        car.remove("color");
        assertThat(selector.matches(car::get)).isFalse();
    }

    @Test
    void asksOnlyForTheIdentifiersItReads() throws Exception {
        MessageSelector selector = MessageSelector.parse("a = 1 OR b = 2");
        List<String> asked = new ArrayList<>();
        selector.matches(name -> {
            asked.add(name);
            return 2;
        });
        assertThat(asked).containsExactly("a", "b");
    }

    @Test
    void aConstantSelectorNeedsNoValues() throws Exception {
        assertThat(MessageSelector.parse("1 = 1").matches(name -> {
            throw new AssertionError("asked for " + name);
        })).isTrue();
    }

    @Test
    void valuesAreRequired() throws Exception {
        MessageSelector selector = MessageSelector.parse("TRUE");
        assertThatThrownBy(() -> selector.matches(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void oneSelectorServesManyThreads() throws Exception {
        MessageSelector selector = MessageSelector.parse("n BETWEEN 0 AND 499 AND s LIKE 'even%'");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> counts = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                counts.add(pool.submit(() -> {
                    AtomicInteger matched = new AtomicInteger();
                    for (int n = 0; n < 10_000; n++) {
                        int value = n;
                        String label = n % 2 == 0 ? "even" : "odd";
                        if (selector.matches(name -> name.equals("n") ? value : label)) {
                            matched.incrementAndGet();
                        }
                    }
                    return matched.get();
                }));
            }
            for (Future<Integer> count : counts) {
                assertThat(count.get()).isEqualTo(250);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
