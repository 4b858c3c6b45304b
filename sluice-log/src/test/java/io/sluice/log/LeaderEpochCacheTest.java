package io.sluice.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeaderEpochCacheTest {

    @TempDir
    Path dir;
    Path file;
    LeaderEpochCache cache;

    @BeforeEach
    void open() throws IOException {
        file = dir.resolve(LeaderEpochCache.FILE_NAME);
        cache = LeaderEpochCache.open(file);
    }

    @Test
    void newCacheIsEmptyAndAnswersUndefined() {
        assertThat(cache.latestEpoch()).isEmpty();
        assertThat(cache.endOffsetFor(0, 10)).isEqualTo(EpochEndOffset.UNDEFINED);
    }

    @Test
    void assigningTheLatestEpochAgainChangesNothing() throws IOException {
        cache.assign(1, 5);
        cache.assign(1, 9);
        assertThat(cache.entries()).containsExactly(new EpochEntry(1, 5));
    }

    @Test
    void aNewEpochDropsEntriesItContradicts() throws IOException {
        cache.assign(1, 0);
        cache.assign(2, 10);
        cache.assign(3, 20);
        // Epoch 4 starting at 15 means epochs that started at or after 15 never really reached this log.
        cache.assign(4, 15);
        assertThat(cache.entries()).containsExactly(new EpochEntry(1, 0), new EpochEntry(2, 10), new EpochEntry(4, 15));
    }

    @Test
    void endOffsetOfTheLatestEpochIsTheLogEnd() throws IOException {
        cache.assign(2, 0);
        cache.assign(5, 100);
        assertThat(cache.endOffsetFor(5, 130)).isEqualTo(new EpochEndOffset(5, 130));
    }

    @Test
    void endOffsetOfAnOlderEpochIsTheStartOfTheNextOne() throws IOException {
        cache.assign(2, 0);
        cache.assign(5, 100);
        assertThat(cache.endOffsetFor(2, 130)).isEqualTo(new EpochEndOffset(2, 100));
        // Epoch 3 never wrote here: the answer names the largest epoch below it, ending where 5 began.
        assertThat(cache.endOffsetFor(3, 130)).isEqualTo(new EpochEndOffset(2, 100));
    }

    @Test
    void endOffsetOfAnEpochBeforeEveryEntryIsTheFirstStart() throws IOException {
        cache.assign(4, 40);
        assertThat(cache.endOffsetFor(1, 90)).isEqualTo(new EpochEndOffset(1, 40));
    }

    @Test
    void endOffsetOfAnEpochNewerThanAnyIsUndefined() throws IOException {
        cache.assign(4, 40);
        assertThat(cache.endOffsetFor(7, 90)).isEqualTo(EpochEndOffset.UNDEFINED);
        assertThat(cache.endOffsetFor(EpochEndOffset.UNDEFINED_EPOCH, 90)).isEqualTo(EpochEndOffset.UNDEFINED);
    }

    @Test
    void truncateFromEndForgetsEpochsStartingAtOrAfterTheNewEnd() throws IOException {
        cache.assign(1, 0);
        cache.assign(2, 10);
        cache.assign(3, 20);
        cache.truncateFromEnd(20);
        assertThat(cache.entries()).containsExactly(new EpochEntry(1, 0), new EpochEntry(2, 10));
        assertThat(cache.latestEpoch()).hasValue(2);
    }

    @Test
    void truncateFromStartKeepsTheEpochInForceAtTheNewStart() throws IOException {
        cache.assign(1, 0);
        cache.assign(2, 10);
        cache.assign(3, 20);
        cache.truncateFromStart(15);
        assertThat(cache.entries()).containsExactly(new EpochEntry(2, 15), new EpochEntry(3, 20));
        cache.truncateFromStart(5);
        assertThat(cache.entries()).containsExactly(new EpochEntry(2, 15), new EpochEntry(3, 20));
    }

    @Test
    void everyChangeSurvivesReopening() throws IOException {
        cache.assign(1, 0);
        cache.assign(3, 42);
        assertThat(LeaderEpochCache.open(file).entries()).containsExactly(new EpochEntry(1, 0), new EpochEntry(3, 42));
        cache.truncateFromEnd(42);
        assertThat(LeaderEpochCache.open(file).entries()).containsExactly(new EpochEntry(1, 0));
        cache.clear();
        assertThat(LeaderEpochCache.open(file).entries()).isEmpty();
    }

    @Test
    void anEpochAssignedUnflushedReachesTheFileWithTheNextFlushOrDurableChange() throws IOException {
        cache.assign(1, 0);
        cache.assignUnflushed(3, 42);
        assertThat(cache.entries()).containsExactly(new EpochEntry(1, 0), new EpochEntry(3, 42));
        assertThat(LeaderEpochCache.open(file).entries()).as("not written yet").containsExactly(new EpochEntry(1, 0));
        cache.flush();
        assertThat(LeaderEpochCache.open(file).entries()).containsExactly(new EpochEntry(1, 0), new EpochEntry(3, 42));

        cache.assignUnflushed(4, 50);
        cache.assignUnflushed(5, 60);
        cache.truncateFromEnd(60);
        assertThat(LeaderEpochCache.open(file).entries()).as("the cut writes what was unflushed with it")
                .containsExactly(new EpochEntry(1, 0), new EpochEntry(3, 42), new EpochEntry(4, 50));

        cache.assignUnflushed(5, 70);
        cache.truncateFromEnd(100);
        assertThat(LeaderEpochCache.open(file).entries()).as("a change that changes nothing still writes the rest")
                .containsExactly(new EpochEntry(1, 0), new EpochEntry(3, 42), new EpochEntry(4, 50),
                        new EpochEntry(5, 70));
    }

    @Test
    void flushingWithNothingUnflushedWritesNothing() throws IOException {
        cache.flush();
        assertThat(file).doesNotExist();
        cache.assign(1, 0);
        Files.delete(file);
        cache.flush();
        assertThat(file).as("the file already held every change").doesNotExist();
    }

    @Test
    void aCheckpointFileInKafkasLayoutLoads() throws IOException {
        Files.writeString(file, "0\n2\n0 0\n4 17\n");
        assertThat(LeaderEpochCache.open(file).entries()).containsExactly(new EpochEntry(0, 0), new EpochEntry(4, 17));
    }

    @Test
    void aMangledCheckpointIsReportedWithItsFileName() throws IOException {
        for (String content : new String[] {"", "1\n0\n", "0\n2\n0 0\n", "0\n1\nzero 0\n", "0\n2\n3 10\n2 20\n"}) {
            Files.writeString(file, content);
            assertThatThrownBy(() -> LeaderEpochCache.open(file))
                    .isInstanceOf(CorruptCheckpointException.class)
                    .hasMessageContaining(file.toString());
        }
    }
}
