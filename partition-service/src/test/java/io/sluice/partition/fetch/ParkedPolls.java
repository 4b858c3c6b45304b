package io.sluice.partition.fetch;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * Waits for the event that shows a long poll chose to wait: it is parked among a log's waiters. A poll that answers
 * instead fails at once, with its answer; one that neither parks nor answers fails after a minute (a hang guard, not
 * a measure of speed). So a test of "it waits" does not depend on how long a sleep was.
 */
final class ParkedPolls {

    private ParkedPolls() {
    }

    static void awaitParked(CompletableFuture<?> poll, IntSupplier waiting) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (waiting.getAsInt() == 0) {
            if (poll.isDone()) {
                throw new AssertionError("the poll answered instead of waiting: "
                        + poll.handle((answer, error) -> error != null ? error : answer).join());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the poll neither answered nor parked within a minute");
            }
            Thread.sleep(1);
        }
    }
}
