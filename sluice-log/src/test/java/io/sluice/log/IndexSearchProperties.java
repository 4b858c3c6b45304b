package io.sluice.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/** Index lookups agree with a linear search over the same entries, for any entries and target. */
class IndexSearchProperties {

    private Path dir;

    @BeforeProperty
    void createDir() throws IOException {
        dir = Files.createTempDirectory("index-search");
    }

    @AfterProperty
    void deleteDir() throws IOException {
        LogManager.deleteRecursively(dir);
    }

    @Property(tries = 200)
    void offsetLookupFindsLargestEntryAtOrBelowTarget(
            @ForAll @Size(max = 60) List<@IntRange(min = 1, max = 5000) Integer> offsets,
            @ForAll @IntRange(min = -10, max = 5100) int target) throws IOException {
        long base = 100;
        List<Integer> sorted = List.copyOf(new TreeSet<>(offsets));
        OffsetIndex index = new OffsetIndex(Files.createTempFile(dir, "o", ".index"), base, 4096, true);
        for (int relative : sorted) {
            index.append(base + relative, relative * 3);
        }

        OffsetPosition expected = new OffsetPosition(base, 0);
        for (int relative : sorted) {
            if (base + relative <= base + target) {
                expected = new OffsetPosition(base + relative, relative * 3);
            }
        }
        assertThat(index.lookup(base + target)).isEqualTo(expected);
    }

    @Property(tries = 200)
    void timeLookupFindsLargestTimestampAtOrBelowTarget(
            @ForAll @Size(max = 60) List<@IntRange(min = 0, max = 100_000) Integer> timestamps,
            @ForAll @IntRange(min = -5, max = 100_005) int target) throws IOException {
        long base = 7;
        List<Integer> sorted = List.copyOf(new TreeSet<>(timestamps));
        TimeIndex index = new TimeIndex(Files.createTempFile(dir, "t", ".timeindex"), base, 4096, true);
        for (int i = 0; i < sorted.size(); i++) {
            index.maybeAppend(sorted.get(i), base + i, false);
        }

        TimestampOffset expected = new TimestampOffset(-1, base);
        for (int i = 0; i < sorted.size(); i++) {
            if (sorted.get(i) <= target) {
                expected = new TimestampOffset(sorted.get(i), base + i);
            }
        }
        assertThat(index.lookup(target)).isEqualTo(expected);
    }
}
