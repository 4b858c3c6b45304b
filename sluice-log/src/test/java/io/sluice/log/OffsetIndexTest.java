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
