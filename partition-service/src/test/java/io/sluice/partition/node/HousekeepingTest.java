package io.sluice.partition.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Housekeeping stops between rounds: never by interrupting a round, which would close a log's file mid-flush. */
class HousekeepingTest {

    @TempDir
    Path dir;

    @Test
    void aStopDuringAFlushWaitsForItAndLeavesTheFileOpenAndWhole() throws Exception {
        Path file = dir.resolve("00000000000000000000.log");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ)) {
            CountDownLatch inFlush = new CountDownLatch(1);
            CountDownLatch stopAsked = new CountDownLatch(1);
            Housekeeping housekeeping = new Housekeeping(() -> {
                try {
                    channel.write(ByteBuffer.wrap("batch".getBytes(StandardCharsets.UTF_8)));
                    inFlush.countDown();
                    // The stop comes while this round is inside its flush; waiting without taking an interrupt, so
                    // that a stop by interrupt would reach the force below as it would a real one.
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (stopAsked.getCount() > 0 && System.nanoTime() < deadline) {
                        Thread.onSpinWait();
                    }
                    channel.force(true);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, Duration.ofSeconds(60));
            housekeeping.start();
            assertThat(inFlush.await(10, TimeUnit.SECONDS)).isTrue();

            CompletableFuture<Boolean> stop = CompletableFuture.supplyAsync(() -> housekeeping.stop(
                    Duration.ofSeconds(10)));
            Thread.sleep(100);
            assertThat(stop).as("stop waits for the round under way").isNotDone();
            stopAsked.countDown();

            assertThat(stop.get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(channel.isOpen()).as("the log's file after a stop during its flush").isTrue();
            assertThat(Files.readString(file)).isEqualTo("batch");
        }
    }

    @Test
    void aStopEndsThePauseBetweenRoundsAtOnceAndNoRoundStartsAfterIt() {
        AtomicInteger rounds = new AtomicInteger();
        Housekeeping housekeeping = new Housekeeping(rounds::incrementAndGet, Duration.ofHours(1));
        housekeeping.start();
        while (rounds.get() == 0) {
            Thread.onSpinWait();
        }

        assertThat(housekeeping.stop(Duration.ofSeconds(10))).as("stopped within the timeout, not after the hour")
                .isTrue();
        assertThat(rounds.get()).isEqualTo(1);
    }

    @Test
    void aRoundThatThrowsIsFollowedByTheNext() throws InterruptedException {
        CountDownLatch twoRounds = new CountDownLatch(2);
        Housekeeping housekeeping = new Housekeeping(() -> {
            twoRounds.countDown();
            throw new IllegalStateException("a failed round");
        }, Duration.ofMillis(10));
        housekeeping.start();
        try {
            assertThat(twoRounds.await(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            housekeeping.stop(Duration.ofSeconds(10));
        }
    }
}
