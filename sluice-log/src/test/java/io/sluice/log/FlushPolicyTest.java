package io.sluice.log;

import static io.sluice.log.TestRecords.batch;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** flush.messages, flush.ms and explicit flushes move the recovery point; off by default. */
class FlushPolicyTest {

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(1_000_000);

    @Test
    void defaultConfigNeverFlushesOnAppend() throws IOException {
        PartitionLog log = PartitionLog.open(dir.resolve("f-0"), LogConfig.defaults(), clock);
        for (int i = 0; i < 10; i++) {
            log.appendAsLeader(batch(1, "v" + i), 0);
        }
        clock.advance(1_000_000_000L);

        assertThat(log.maybeFlush()).isFalse();
        assertThat(log.recoveryPoint()).isZero();
        log.flush();
        assertThat(log.recoveryPoint()).isEqualTo(10);
        log.close();
    }

    @Test
    void flushMessagesFlushesOnceEnoughRecordsAreUnflushed() throws IOException {
        PartitionLog log = PartitionLog.open(dir.resolve("f-1"), LogConfig.defaults().withFlushMessages(3), clock);

        log.appendAsLeader(batch(1, "a", "b"), 0);
        assertThat(log.recoveryPoint()).isZero();
        log.appendAsLeader(batch(1, "c"), 0);
        assertThat(log.recoveryPoint()).isEqualTo(3);
        log.close();
    }

    @Test
    void flushMsFlushesWhenOwnerCallsMaybeFlushLateEnough() throws IOException {
        PartitionLog log = PartitionLog.open(dir.resolve("f-2"), LogConfig.defaults().withFlushMs(1000), clock);
        log.appendAsLeader(batch(1, "a"), 0);

        clock.advance(999);
        assertThat(log.maybeFlush()).isFalse();
        clock.advance(1);
        assertThat(log.maybeFlush()).isTrue();

        assertThat(log.recoveryPoint()).isEqualTo(1);
        log.close();
    }

    @Test
    void maybeFlushFlushesRolledSegments() throws IOException {
        int batchSize = batch(1, "v0").remaining();
        PartitionLog log = PartitionLog.open(dir.resolve("f-3"), LogConfig.defaults().withSegmentBytes(batchSize * 2),
                clock);
        for (int i = 0; i < 5; i++) {
            log.appendAsLeader(batch(1, "v" + i), 0);
        }

        assertThat(log.maybeFlush()).isTrue();

        assertThat(log.recoveryPoint()).isEqualTo(4);
        assertThat(log.maybeFlush()).isFalse();
        log.close();
    }
}
