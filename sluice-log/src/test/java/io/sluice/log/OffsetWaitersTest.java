package io.sluice.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class OffsetWaitersTest {

    private final AtomicLong value = new AtomicLong();
    private final OffsetWaiters waiters = new OffsetWaiters(value::get);

    private void advanceTo(long newValue) {
        value.set(newValue);
        waiters.wake();
    }

    @Test
    void waiterCompletesWhenValueReachesTarget() {
        CompletableFuture<Long> five = waiters.await(5);
        CompletableFuture<Long> eight = waiters.await(8);

        advanceTo(4);
        assertThat(five).isNotDone();
        advanceTo(6);

        assertThat(five).isCompletedWithValue(6L);
        assertThat(eight).isNotDone();
        assertThat(waiters.size()).isEqualTo(1);
    }

    @Test
    void targetAlreadyReachedCompletesAtOnce() {
        advanceTo(10);

        assertThat(waiters.await(10)).isCompletedWithValue(10L);
        assertThat(waiters.size()).isZero();
    }

    @Test
    void cancelledAndTimedOutWaitersAreForgotten() throws Exception {
        CompletableFuture<Long> cancelled = waiters.await(100);
        CompletableFuture<Long> timedOut = waiters.await(100).orTimeout(10, TimeUnit.MILLISECONDS);
        assertThat(waiters.size()).isEqualTo(2);

        cancelled.cancel(false);
        assertThatThrownBy(timedOut::join).hasCauseInstanceOf(TimeoutException.class);

        // join() may return before the timeout thread has run the future's other callbacks, our removal among them.
        for (int i = 0; i < 500 && waiters.size() > 0; i++) {
            Thread.sleep(2);
        }
        assertThat(waiters.size()).isZero();
    }

    @Test
    void failAllFailsPresentAndFutureWaiters() {
        CompletableFuture<Long> waiting = waiters.await(5);

        waiters.failAll(() -> new IllegalStateException("closed"));

        assertThatThrownBy(waiting::join).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> waiters.await(1).join()).hasCauseInstanceOf(IllegalStateException.class);
        assertThat(waiters.size()).isZero();
    }

    @Test
    void noWakeUpIsLostUnderConcurrentRegistration() throws Exception {
        int targets = 20_000;
        Thread updater = Thread.ofPlatform().start(() -> {
            for (long v = 1; v <= targets; v++) {
                advanceTo(v);
            }
        });
        List<CompletableFuture<Long>> futures = new ArrayList<>();
        for (long target = 1; target <= targets; target++) {
            futures.add(waiters.await(target));
        }
        updater.join();

        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        assertThat(waiters.size()).isZero();
    }
}
