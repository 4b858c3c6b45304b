package io.sluice.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OffsetIndexTest {

    private static final long BASE = 1000;

    @TempDir
    Path dir;

    private OffsetIndex index(int maxBytes) throws IOException {
        return new OffsetIndex(dir.resolve("00000000000000001000.index"), BASE, maxBytes, true);
    }

    @Test
    void lookupReturnsLargestEntryAtOrBelowTarget() throws IOException {
        OffsetIndex index = index(1024);
        index.append(1005, 100);
        index.append(1010, 200);
        index.append(1020, 300);

        assertThat(index.lookup(1004)).isEqualTo(new OffsetPosition(BASE, 0));
        assertThat(index.lookup(1005)).isEqualTo(new OffsetPosition(1005, 100));
        assertThat(index.lookup(1015)).isEqualTo(new OffsetPosition(1010, 200));
        assertThat(index.lookup(5000)).isEqualTo(new OffsetPosition(1020, 300));
    }

    @Test
    void lookupByPositionFindsLastBoundaryWithinLimit() throws IOException {
        OffsetIndex index = index(1024);
        index.append(1005, 100);
        index.append(1010, 200);

        assertThat(index.lookupByPosition(99)).isNull();
        assertThat(index.lookupByPosition(150)).isEqualTo(new OffsetPosition(1005, 100));
        assertThat(index.lookupByPosition(200)).isEqualTo(new OffsetPosition(1010, 200));
    }

    @Test
    void appendRefusesOffsetsThatDoNotIncrease() throws IOException {
        OffsetIndex index = index(1024);
        index.append(1005, 100);

        assertThatThrownBy(() -> index.append(1005, 200)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> index.append(1000 + Integer.MAX_VALUE + 1L, 200))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void indexIsFullAtItsPreallocatedSize() throws IOException {
        OffsetIndex index = index(3 * OffsetIndex.ENTRY_SIZE + 5);
        for (int i = 1; i <= 3; i++) {
            assertThat(index.isFull()).isFalse();
            index.append(BASE + i, i * 10);
        }
        assertThat(index.isFull()).isTrue();
        assertThatThrownBy(() -> index.append(BASE + 4, 40)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void fileStartsSmallAndDoublesAsEntriesNeedRoomUpToTheLimit() throws IOException {
        int limit = 10 * 1024 * 1024;
        OffsetIndex index = index(limit);
        assertThat(Files.size(index.file())).isEqualTo(MappedIndex.INITIAL_BYTES);
        assertThat(index.maxEntries()).isEqualTo(limit / OffsetIndex.ENTRY_SIZE);

        int entries = 5_000; // 40,000 bytes: four doublings
        for (int i = 1; i <= entries; i++) {
            index.append(BASE + 10L * i, 100 * i);
            long size = Files.size(index.file());
            assertThat(size).as("after %d entries", i)
                    .isGreaterThanOrEqualTo((long) i * OffsetIndex.ENTRY_SIZE)
                    .isLessThanOrEqualTo(Math.max(MappedIndex.INITIAL_BYTES, 2L * i * OffsetIndex.ENTRY_SIZE));
        }
        assertThat(index.isFull()).isFalse();
        for (int i = 1; i <= entries; i++) {
            assertThat(index.lookup(BASE + 10L * i + 5)).isEqualTo(new OffsetPosition(BASE + 10L * i, 100 * i));
        }
    }

    @Test
    void growthStopsAtTheLimitAndTheIndexIsThenFull() throws IOException {
        int limit = 1000 * OffsetIndex.ENTRY_SIZE; // not a power of two times the initial size
        OffsetIndex index = index(limit);
        for (int i = 1; i <= 1000; i++) {
            index.append(BASE + i, i);
        }

        assertThat(Files.size(index.file())).isEqualTo(limit);
        assertThat(index.isFull()).isTrue();
        assertThatThrownBy(() -> index.append(BASE + 1001, 1001)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aReaderHoldingTheMappingFromBeforeAGrowthReadsOnlyWhatItHolds() throws IOException {
        OffsetIndex index = index(1024 * 1024);
        int first = MappedIndex.INITIAL_BYTES / OffsetIndex.ENTRY_SIZE;
        for (int i = 1; i <= first; i++) {
            index.append(BASE + i, i);
        }
        var before = index.mmap();

        index.append(BASE + first + 1, first + 1); // grows the file: a new mapping

        assertThat(index.mmap()).isNotSameAs(before);
        assertThat(index.entries()).isEqualTo(first + 1);
        assertThat(index.entriesIn(before)).isEqualTo(first);
        assertThat(index.entriesIn(index.mmap())).isEqualTo(first + 1);
        assertThat(index.lookup(BASE + first + 1)).isEqualTo(new OffsetPosition(BASE + first + 1, first + 1));
    }

    @Test
    void truncateToForgetsEntriesAtAndAfterOffset() throws IOException {
        OffsetIndex index = index(1024);
        index.append(1005, 100);
        index.append(1010, 200);
        index.append(1020, 300);

        index.truncateTo(1010);

        assertThat(index.entries()).isEqualTo(1);
        assertThat(index.lastEntry()).isEqualTo(new OffsetPosition(1005, 100));
        index.append(1007, 150);
        assertThat(index.lookup(1100)).isEqualTo(new OffsetPosition(1007, 150));
    }

    @Test
    void trimmedIndexReopensWithItsEntries() throws IOException {
        OffsetIndex index = index(1024);
        index.append(1005, 100);
        index.append(1010, 200);
        index.trimToValidSize();
        assertThat(Files.size(index.file())).isEqualTo(2L * OffsetIndex.ENTRY_SIZE);

        OffsetIndex reopened = new OffsetIndex(index.file(), BASE, 1024, false);

        assertThat(reopened.entries()).isEqualTo(2);
        assertThat(reopened.lookup(1012)).isEqualTo(new OffsetPosition(1010, 200));
        reopened.sanityCheck(1000);
    }

    @Test
    void untrimmedIndexFailsSanityCheck() throws IOException {
        OffsetIndex index = index(1024);
        index.append(1005, 100);
        index.flush();

        OffsetIndex reopened = new OffsetIndex(index.file(), BASE, 1024, false);

        assertThat(reopened.entries()).isEqualTo(1024 / OffsetIndex.ENTRY_SIZE);
        assertThatThrownBy(() -> reopened.sanityCheck(1000)).isInstanceOf(CorruptIndexException.class);
    }

    @Test
    void indexPointingPastTheLogFailsSanityCheck() throws IOException {
        OffsetIndex index = index(1024);
        index.append(1005, 100);
        index.trimToValidSize();

        assertThatThrownBy(() -> index.sanityCheck(100)).isInstanceOf(CorruptIndexException.class);
    }

    @Test
    void fileOfPartialEntryIsCorrupt() throws IOException {
        Path file = dir.resolve("00000000000000001000.index");
        Files.write(file, new byte[13]);

        assertThatThrownBy(() -> new OffsetIndex(file, BASE, 1024, false)).isInstanceOf(CorruptIndexException.class);
    }
}
