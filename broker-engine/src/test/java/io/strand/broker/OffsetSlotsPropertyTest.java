package io.strand.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class OffsetSlotsPropertyTest {

    /**
     * Every operation, in any order, leaves the same entries in the same order as a sorted map would; walking a range
     * by position while removing some entries removes exactly those.
     */
    @Property(tries = 500)
    void behavesLikeASortedMapOfOffsets(@ForAll @Size(max = 300) List<@IntRange(max = 9) Integer> operations,
                                        @ForAll @Size(max = 120) List<@IntRange(max = 80) Integer> arguments) {
        OffsetSlots<String> slots = new OffsetSlots<>();
        TreeMap<Long, String> reference = new TreeMap<>();
        for (int i = 0; i < operations.size(); i++) {
            long offset = arguments.isEmpty() ? i : arguments.get(i % arguments.size());
            long rising = reference.isEmpty() ? offset : reference.lastKey() + 1 + offset % 3;
            switch (operations.get(i)) {
                case 0, 1 -> { // most additions come after the last
                    slots.put(rising, "v" + rising);
                    reference.put(rising, "v" + rising);
                }
                case 2 -> {
                    assertThat(slots.computeIfAbsent(offset, o -> "c" + o))
                            .isEqualTo(reference.computeIfAbsent(offset, o -> "c" + o));
                }
                case 3 -> assertThat(slots.remove(offset)).isEqualTo(reference.remove(offset));
                case 4 -> { // most removals take the first
                    if (!reference.isEmpty()) {
                        long first = reference.firstKey();
                        assertThat(slots.remove(first)).isEqualTo(reference.remove(first));
                    }
                }
                case 5 -> {
                    slots.removeBelow(offset);
                    reference.headMap(offset).clear();
                }
                case 6 -> {
                    long last = offset + offset % 7;
                    slots.removeRange(offset, last);
                    reference.subMap(offset, true, last, true).clear();
                }
                case 7 -> { // walk a range, removing the entries with an even offset
                    long last = offset + 20;
                    for (int p = slots.ceilingPosition(offset); p < slots.end() && slots.offsetAt(p) <= last; ) {
                        p = slots.offsetAt(p) % 2 == 0 ? slots.removeAt(p) : p + 1;
                    }
                    reference.subMap(offset, true, last, true).keySet().removeIf(o -> o % 2 == 0);
                }
                case 8 -> {
                    slots.put(offset, "p" + offset);
                    reference.put(offset, "p" + offset);
                }
                default -> {
                    if (offset % 10 == 0) {
                        slots.clear();
                        reference.clear();
                    }
                }
            }
            assertThat(entries(slots)).isEqualTo(new ArrayList<>(reference.entrySet()));
            assertThat(slots.size()).isEqualTo(reference.size());
            assertThat(slots.get(offset)).isEqualTo(reference.get(offset));
        }
    }

    private static List<Map.Entry<Long, String>> entries(OffsetSlots<String> slots) {
        List<Map.Entry<Long, String>> entries = new ArrayList<>();
        slots.forEach((offset, value) -> entries.add(Map.entry(offset, value)));
        return entries;
    }
}
