package io.sluice.partition;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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

    /**
     * Work set off on a log thread runs on that thread once the task under way has ended (after everything the task
     * did, no lock of it held), in the order it was set off; set off elsewhere, it is handed to a log thread.
     */
    @Test
    void workSetOffOnALogThreadRunsThereOnceItsTaskEndsAndWorkFromElsewhereIsHandedToOne() throws Exception {
        Scheduler scheduler = LogScheduler.create(2);
        Scheduler afterTask = LogScheduler.afterTaskOn(scheduler);
        try {
            List<String> events = Collections.synchronizedList(new ArrayList<>());
            CompletableFuture<Thread> taskThread = new CompletableFuture<>();
            CompletableFuture<Thread> workThread = new CompletableFuture<>();
            scheduler.schedule(() -> {
                afterTask.schedule(() -> events.add("first work"));
                afterTask.schedule(() -> {
                    events.add("second work");
                    workThread.complete(Thread.currentThread());
                });
                events.add("task ends");
                taskThread.complete(Thread.currentThread());
            });

            assertThat(workThread.get(5, TimeUnit.SECONDS)).isSameAs(taskThread.get(5, TimeUnit.SECONDS));
            assertThat(events).containsExactly("task ends", "first work", "second work");

            CompletableFuture<Thread> handed = new CompletableFuture<>();
            afterTask.schedule(() -> handed.complete(Thread.currentThread()));
            assertThat(handed.get(5, TimeUnit.SECONDS).getName()).startsWith("log-io-");
        } finally {
            scheduler.dispose();
        }
    }
}
