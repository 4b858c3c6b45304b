package io.sluice.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
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
