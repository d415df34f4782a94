package io.strand.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class OffsetRangesPropertyTest {
    @Property(tries = 300)
    void behavesLikeASetOfOffsetsWithMergedRanges(@ForAll @Size(max = 60) List<@IntRange(max = 200) Integer> firsts,
                                                  @ForAll @Size(max = 60) List<@IntRange(max = 20) Integer> lengths,
                                                  @ForAll @IntRange(max = 220) int trimBelow) {
        OffsetRanges ranges = new OffsetRanges();
        TreeSet<Long> reference = new TreeSet<>();
        for (int i = 0; i < Math.min(firsts.size(), lengths.size()); i++) {
            long first = firsts.get(i);
            long last = first + lengths.get(i);
            ranges.add(first, last);
            for (long o = first; o <= last; o++) {
                reference.add(o);
            }
        }
        ranges.removeBelow(trimBelow);
        reference.headSet((long) trimBelow).clear();

        for (long o = 0; o <= 230; o++) {
            assertThat(ranges.contains(o)).as("offset %d", o).isEqualTo(reference.contains(o));
            long absent = o;
            while (reference.contains(absent)) {
                absent++;
            }
            assertThat(ranges.firstAbsentFrom(o)).isEqualTo(absent);
        }
        long[] previousLast = {Long.MIN_VALUE};
        ranges.forEach((first, last) -> {
            assertThat(first).as("ranges are disjoint and never touch").isGreaterThan(previousLast[0] + 1);
            assertThat(last).isGreaterThanOrEqualTo(first);
            previousLast[0] = last;
        });
    }

    /**
     * Lookups between changes answer for the set as it is now: the stretch a lookup remembers never outlives
     * an add, a trim or a clear. Operations: 0-5 add, 6 trim, 7 clear, 8-9 a rising run of lookups.
     */
    @Property(tries = 300)
    void lookupsBetweenChangesSeeEveryChange(@ForAll @Size(max = 80) List<@IntRange(max = 9) Integer> operations,
                                             @ForAll @Size(min = 80, max = 80) List<@IntRange(max = 120) Integer> points) {
        OffsetRanges ranges = new OffsetRanges();
        TreeSet<Long> reference = new TreeSet<>();
        for (int i = 0; i < operations.size(); i++) {
            int operation = operations.get(i);
            long point = points.get(i);
            if (operation <= 5) {
                long last = point + operation;
                ranges.add(point, last);
                for (long o = point; o <= last; o++) {
                    reference.add(o);
                }
            } else if (operation == 6) {
                ranges.removeBelow(point);
                reference.headSet(point).clear();
            } else if (operation == 7) {
                ranges.clear();
                reference.clear();
            } else {
                for (long o = point; o <= point + 15; o++) {
                    assertThat(ranges.contains(o)).as("offset %d after %d operations", o, i)
                            .isEqualTo(reference.contains(o));
                    long absent = o;
                    while (reference.contains(absent)) {
                        absent++;
                    }
                    assertThat(ranges.firstAbsentFrom(o)).isEqualTo(absent);
                }
            }
        }
        assertThat(ranges.rangeCount()).isLessThanOrEqualTo(reference.size());
    }
}
