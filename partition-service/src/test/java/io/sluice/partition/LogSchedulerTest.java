package io.sluice.partition;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Cancelling log work must not interrupt it: an interrupt during FileChannel I/O closes the channel, and the log goes
 * offline (a chaos run found produce requests whose callers timed out taking their partition's log offline).
 */
class LogSchedulerTest {

    @Test
    void aCancelledTaskRunsToItsEndWithoutAnInterrupt() throws InterruptedException {
        Scheduler scheduler = LogScheduler.create(2);
        try {
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch finished = new CountDownLatch(1);
            AtomicBoolean interrupted = new AtomicBoolean();
            Disposable task = Mono.fromRunnable(() -> {
                started.countDown();
                try {
                    Thread.sleep(Duration.ofMillis(300));
                } catch (InterruptedException e) {
                    interrupted.set(true);
                }
                finished.countDown();
            }).subscribeOn(scheduler).subscribe();
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

            task.dispose();

            assertThat(finished.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(interrupted).as("the task's thread was interrupted").isFalse();
        } finally {
            scheduler.dispose();
        }
    }
}
