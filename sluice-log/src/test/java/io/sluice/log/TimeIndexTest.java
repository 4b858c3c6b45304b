package io.sluice.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimeIndexTest {

    private static final long BASE = 500;

    @TempDir
    Path dir;

    private TimeIndex index(int maxBytes) throws IOException {
        return new TimeIndex(dir.resolve("00000000000000000500.timeindex"), BASE, maxBytes, true);
    }

    @Test
    void lookupReturnsLargestTimestampAtOrBelowTarget() throws IOException {
        TimeIndex index = index(1200);
        index.maybeAppend(100, 510, false);
        index.maybeAppend(200, 520, false);
        index.maybeAppend(300, 530, false);

        assertThat(index.lookup(99)).isEqualTo(new TimestampOffset(-1, BASE));
        assertThat(index.lookup(100)).isEqualTo(new TimestampOffset(100, 510));
        assertThat(index.lookup(250)).isEqualTo(new TimestampOffset(200, 520));
        assertThat(index.lookup(Long.MAX_VALUE)).isEqualTo(new TimestampOffset(300, 530));
    }

    @Test
    void appendSkipsTimestampsThatDoNotIncrease() throws IOException {
        TimeIndex index = index(1200);
        index.maybeAppend(200, 510, false);
        index.maybeAppend(200, 520, false);
        index.maybeAppend(150, 530, false);

        assertThat(index.entries()).isEqualTo(1);
        assertThatThrownBy(() -> index.maybeAppend(300, 505, false)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void lastSlotIsReservedForTheFinalEntry() throws IOException {
        TimeIndex index = index(3 * TimeIndex.ENTRY_SIZE);
        index.maybeAppend(100, 510, false);
        index.maybeAppend(200, 520, false);
        assertThat(index.isFull()).isTrue();

        index.maybeAppend(300, 530, false);
        assertThat(index.entries()).isEqualTo(2);

        index.maybeAppend(300, 530, true);
        assertThat(index.entries()).isEqualTo(3);
        assertThat(index.lastEntry()).isEqualTo(new TimestampOffset(300, 530));
    }

    @Test
    void fileGrowsAsEntriesNeedRoomAndKeepsTheReservedSlotAtTheLimit() throws IOException {
        int slots = 1000; // 12,000 bytes: the file starts at 4,092 and grows twice
        TimeIndex index = index(slots * TimeIndex.ENTRY_SIZE);
        assertThat(Files.size(index.file())).isEqualTo(MappedIndex.INITIAL_BYTES / TimeIndex.ENTRY_SIZE
                * TimeIndex.ENTRY_SIZE);
        for (int i = 1; i < slots; i++) {
            index.maybeAppend(1000L * i, BASE + i, false);
        }
        assertThat(index.isFull()).isTrue();
        index.maybeAppend(1000L * slots, BASE + slots, false);
        assertThat(index.entries()).isEqualTo(slots - 1);

        index.maybeAppend(1000L * slots, BASE + slots, true);

        assertThat(index.entries()).isEqualTo(slots);
        assertThat(Files.size(index.file())).isEqualTo((long) slots * TimeIndex.ENTRY_SIZE);
        for (int i = 1; i <= slots; i++) {
            assertThat(index.lookup(1000L * i + 1)).isEqualTo(new TimestampOffset(1000L * i, BASE + i));
        }
    }

    @Test
    void truncateToForgetsEntriesAtAndAfterOffset() throws IOException {
        TimeIndex index = index(1200);
        index.maybeAppend(100, 510, false);
        index.maybeAppend(200, 520, false);
        index.maybeAppend(300, 530, false);

        index.truncateTo(520);

        assertThat(index.lastEntry()).isEqualTo(new TimestampOffset(100, 510));
    }

    @Test
    void untrimmedIndexFailsSanityCheck() throws IOException {
        TimeIndex index = index(1200);
        index.maybeAppend(100, 510, false);

        TimeIndex reopened = new TimeIndex(index.file(), BASE, 1200, false);

        assertThatThrownBy(reopened::sanityCheck).isInstanceOf(CorruptIndexException.class);
    }
}
