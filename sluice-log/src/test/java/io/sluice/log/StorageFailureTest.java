package io.sluice.log;

import static io.sluice.log.TestRecords.batch;
import static io.sluice.log.TestRecords.readAllValues;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A disk that fails mid-append: STORAGE_ERROR, an offline partition, nothing torn visible, recovery on reopen. */
class StorageFailureTest {

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(1_000_000);

    private static boolean isStorageError(Throwable e) {
        return e instanceof SluiceException s && s.errorCode() == ErrorCode.STORAGE_ERROR;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 30, 61})
    void failedAppendTakesLogOfflineAndReopenRecovers(int bytesThatFit) throws IOException {
        AtomicLong budget = new AtomicLong(Long.MAX_VALUE);
        Path logDir = dir.resolve("p-0");
        PartitionLog log = PartitionLog.open(logDir, LogConfig.defaults(), clock, FailingChannel.factory(budget));
        log.appendAsLeader(batch(1, "a"), 0);
        log.appendAsLeader(batch(1, "b"), 0);
        long sizeBefore = log.sizeInBytes();
        CompletableFuture<Long> waiter = log.awaitLogEndOffset(10);
        budget.set(bytesThatFit);

        assertThatThrownBy(() -> log.appendAsLeader(batch(1, "c", "d"), 0))
                .matches(StorageFailureTest::isStorageError);

        assertThat(log.isOffline()).isTrue();
        assertThat(log.logEndOffset()).isEqualTo(2);
        assertThat(log.sizeInBytes()).isEqualTo(sizeBefore);
        assertThat(Files.size(logDir.resolve("00000000000000000000.log"))).isEqualTo(sizeBefore + bytesThatFit);
        assertThatThrownBy(() -> log.readForFollower(0, 100)).matches(StorageFailureTest::isStorageError);
        assertThatThrownBy(() -> log.appendAsLeader(batch(1, "e"), 0)).matches(StorageFailureTest::isStorageError);
        assertThatThrownBy(log::flush).matches(StorageFailureTest::isStorageError);
        assertThatThrownBy(waiter::join).isInstanceOf(CompletionException.class)
                .cause().matches(StorageFailureTest::isStorageError);
        assertThatThrownBy(() -> log.awaitHighWatermark(1).join()).cause()
                .matches(StorageFailureTest::isStorageError);
        log.close();

        PartitionLog reopened = PartitionLog.open(logDir, LogConfig.defaults(), clock);
        assertThat(reopened.logEndOffset()).isEqualTo(2);
        assertThat(Files.size(logDir.resolve("00000000000000000000.log"))).isEqualTo(sizeBefore);
        reopened.appendAsLeader(batch(1, "c"), 0);
        assertThat(readAllValues(reopened)).containsExactly("a", "b", "c");
        reopened.close();
    }

    @Test
    void failureToCreateSegmentOnRollTakesLogOffline() throws IOException {
        int batchSize = batch(1, "a").remaining();
        AtomicLong opens = new AtomicLong();
        LogChannelFactory failsSecondOpen = file -> {
            if (opens.incrementAndGet() > 1) {
                throw new IOException("Read-only file system");
            }
            return LogChannelFactory.DEFAULT.open(file);
        };
        Path logDir = dir.resolve("p-1");
        PartitionLog log = PartitionLog.open(logDir, LogConfig.defaults().withSegmentBytes(batchSize), clock,
                failsSecondOpen);
        log.appendAsLeader(batch(1, "a"), 0);

        assertThatThrownBy(() -> log.appendAsLeader(batch(1, "b"), 0)).matches(StorageFailureTest::isStorageError);

        assertThat(log.isOffline()).isTrue();
        assertThat(log.logEndOffset()).isEqualTo(1);
        log.close();
        PartitionLog reopened = PartitionLog.open(logDir, LogConfig.defaults(), clock);
        assertThat(readAllValues(reopened)).containsExactly("a");
        reopened.close();
    }

    @Test
    void validationErrorsDoNotTakeLogOffline() throws IOException {
        PartitionLog log = PartitionLog.open(dir.resolve("p-2"), LogConfig.defaults().withMaxMessageBytes(10), clock);

        assertThatThrownBy(() -> log.appendAsLeader(batch(1, "too large"), 0)).isInstanceOf(SluiceException.class);
        assertThatThrownBy(() -> log.readForFollower(5, 10)).isInstanceOf(SluiceException.class);

        assertThat(log.isOffline()).isFalse();
        log.close();
    }
}
