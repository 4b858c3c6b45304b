package io.sluice.log;

import static io.sluice.log.TestRecords.batch;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.protocol.TopicPartition;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** One poll over many logs: woken by the first log whose end reaches its target, or by one failing or closing. */
class LogEndWatchTest {

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(1_000_000);

    @RegisterExtension
    final OpenLogs logs = new OpenLogs(clock);

    private final LogEndWatch watch = new LogEndWatch();

    /** A log that reports to this test's watch. */
    private PartitionLog watched(String name) throws IOException {
        PartitionLog log = logs.open(dir.resolve(name), LogConfig.defaults());
        log.reportLogEndTo(watch);
        return log;
    }

    private static Map<PartitionLog, Long> targets(PartitionLog a, long aTarget, PartitionLog b, long bTarget) {
        Map<PartitionLog, Long> targets = new IdentityHashMap<>();
        targets.put(a, aTarget);
        targets.put(b, bTarget);
        return targets;
    }

    @Test
    void wakesOnceAnyLogReachesItsTargetAndNotBefore() throws IOException {
        PartitionLog a = watched("a-0");
        PartitionLog b = watched("b-0");
        a.appendAsLeader(batch(1, "a0"), 0);

        CompletableFuture<Void> woken = watch.awaitAny(targets(a, 3, b, 1));
        a.appendAsLeader(batch(1, "a1"), 0); // a's end is 2, short of 3
        assertThat(woken).isNotDone();

        b.appendAsLeader(batch(1, "b0"), 0);
        assertThat(woken).isCompleted();
        assertThat(watch.waiting()).isZero();
    }

    @Test
    void aLogAlreadyPastItsTargetWakesThePollAtOnce() throws IOException {
        PartitionLog a = logs.open(dir.resolve("a-0"), LogConfig.defaults());
        PartitionLog b = logs.open(dir.resolve("b-0"), LogConfig.defaults());
        a.appendAsLeader(batch(1, "a0", "a1"), 0);

        // a's end (2) moved before the poll registered, and a reports to another watch: the poll still sees it.
        assertThat(watch.awaitAny(targets(a, 2, b, 1))).isCompleted();
        assertThat(watch.waiting()).isZero();
    }

    @Test
    void aPollStoppedByItsOwnerLeavesTheWatch() throws IOException {
        PartitionLog a = watched("a-0");
        PartitionLog b = watched("b-0");

        CompletableFuture<Void> woken = watch.awaitAny(targets(a, 1, b, 1));
        assertThat(watch.waiting()).isOne();
        woken.complete(null); // as a poll that timed out does
        assertThat(watch.waiting()).isZero();
        a.appendAsLeader(batch(1, "late"), 0);
        assertThat(watch.waiting()).isZero();
    }

    @Test
    void aLogThatClosesOrGoesOfflineWakesThePoll() throws IOException {
        PartitionLog a = watched("a-0");
        PartitionLog b = watched("b-0");

        CompletableFuture<Void> closed = watch.awaitAny(targets(a, 1, b, 1));
        logs.close(a);
        assertThat(closed).isCompleted();
        assertThat(a.isUsable()).isFalse();
        // A poll over a log that is closed already wakes at once: the read after it reports why.
        assertThat(watch.awaitAny(targets(a, 1, b, 1))).isCompleted();

        AtomicLong budget = new AtomicLong(Long.MAX_VALUE);
        PartitionLog failing = PartitionLog.open(dir.resolve("c-0"), LogConfig.defaults(), clock,
                FailingChannel.factory(budget));
        failing.reportLogEndTo(watch);
        CompletableFuture<Void> offline = watch.awaitAny(targets(failing, 5, b, 1));
        budget.set(0);
        try {
            failing.appendAsLeader(batch(1, "lost"), 0);
        } catch (RuntimeException expected) {
            // STORAGE_ERROR: StorageFailureTest covers what it means for the log
        }
        assertThat(offline).isCompleted();
        failing.close();
    }

    @Test
    void noWakeUpIsLostWhilePollsRegisterAsTheLogsGrow() throws Exception {
        PartitionLog a = watched("a-0");
        PartitionLog b = watched("b-0");
        int rounds = 2_000;
        Thread appender = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < rounds; i++) {
                a.appendAsLeader(batch(1, "a"), 0);
                b.appendAsLeader(batch(1, "b"), 0);
            }
        });
        List<CompletableFuture<Void>> polls = new ArrayList<>();
        while (appender.isAlive()) {
            // Just past where the logs are: each registration races the append that satisfies it.
            long target = Math.min(a.logEndOffset(), b.logEndOffset()) + 1;
            if (target > rounds) {
                break;
            }
            polls.add(watch.awaitAny(targets(a, target, b, target)));
        }
        appender.join();
        assertThat(polls).isNotEmpty();

        CompletableFuture.allOf(polls.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        assertThat(watch.waiting()).isZero();
    }

    @Test
    void theLogsOfOneManagerShareOneWatch() throws IOException {
        Executor direct = Runnable::run;
        Path dataDir = dir.resolve("data");
        PartitionLog created;
        try (LogManager manager = LogManager.open(dataDir, tp -> LogConfig.defaults(), clock, direct)) {
            created = manager.getOrCreateLog(new TopicPartition("t", 0), LogConfig.defaults());
            PartitionLog other = manager.getOrCreateLog(new TopicPartition("t", 1), LogConfig.defaults());
            assertThat(created.logEndWatch()).isSameAs(other.logEndWatch());

            CompletableFuture<Void> woken = created.logEndWatch().awaitAny(targets(created, 1, other, 1));
            other.appendAsLeader(batch(1, "x"), 0);
            assertThat(woken).isCompleted();
        }
        try (LogManager reopened = LogManager.open(dataDir, tp -> LogConfig.defaults(), clock, direct)) {
            PartitionLog first = reopened.log(new TopicPartition("t", 0)).orElseThrow();
            PartitionLog second = reopened.log(new TopicPartition("t", 1)).orElseThrow();
            assertThat(first.logEndWatch()).isSameAs(second.logEndWatch()).isNotSameAs(created.logEndWatch());
        }
    }
}
