package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.sluice.protocol.record.BufferBatchIterator;
import io.sluice.protocol.record.RecordBatch;
import io.sluice.testing.PowerLoss;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A power loss cuts each replica of a dead node back to its checkpointed recovery point, and no further. */
class PowerLossTest {

    @TempDir
    Path dataDir;

    @Test
    void everythingFromTheRecoveryPointOnIsCutAndSegmentsBeyondItDisappear() throws IOException {
        Path replica = replica("t-0");
        segment(replica, 0, batch(0, "a", "b", "c"), batch(3, "d", "e", "f"));
        segment(replica, 6, batch(6, "g", "h", "i"));
        checkpoint(replica, 3, false);

        List<PowerLoss.Cut> cuts = PowerLoss.dropUnflushedTails(dataDir);

        assertThat(cuts).singleElement().satisfies(cut -> {
            assertThat(cut.logEndBefore()).isEqualTo(9);
            assertThat(cut.logEndAfter()).isEqualTo(3);
        });
        assertThat(ReplicaFiles.segmentFiles(replica)).hasSize(1);
        assertThat(ReplicaFiles.read(replica, true).records()).extracting(ReplicaFiles.StoredRecord::value)
                .containsExactly("a", "b", "c");
    }

    /**
     * The data directory's periodic checkpoint has a newer recovery point for a replica whose own file still carries
     * the line's stamp (the log recovers from there, so everything below it was fsynced), and an older line for one
     * whose own file was rewritten since (a cut, say), which counts for nothing.
     */
    @Test
    void theDirectoryCheckpointCountsWhileTheReplicasOwnFileCarriesItsStamp() throws IOException {
        Path current = replica("t-0");
        segment(current, 0, batch(0, "a", "b", "c"), batch(3, "d", "e", "f"), batch(6, "g"));
        checkpoint(current, 0, false, 42);
        Path rewritten = replica("t-1");
        segment(rewritten, 0, batch(0, "a", "b", "c"), batch(3, "d"));
        checkpoint(rewritten, 3, false, 7);
        Files.writeString(dataDir.resolve("log-state-checkpoint"), "0\n2\nt-0 42 6 6 0\nt-1 5 4 4 0\n");

        List<PowerLoss.Cut> cuts = PowerLoss.dropUnflushedTails(dataDir);

        assertThat(cuts).extracting(PowerLoss.Cut::replica, PowerLoss.Cut::logEndAfter)
                .containsExactlyInAnyOrder(tuple("t-0", 6L), tuple("t-1", 3L));
    }

    @Test
    void aReplicaShutDownCleanlyLosesNothing() throws IOException {
        Path replica = replica("t-1");
        segment(replica, 0, batch(0, "a"), batch(1, "b"));
        checkpoint(replica, 2, true);

        PowerLoss.dropUnflushedTails(dataDir);

        assertThat(ReplicaFiles.logEndOffset(ReplicaFiles.batches(replica))).isEqualTo(2);
    }

    @Test
    void aReplicaWithoutACheckpointLosesEverything() throws IOException {
        Path replica = replica("t-2");
        segment(replica, 0, batch(0, "a"), batch(1, "b"));

        PowerLoss.dropUnflushedTails(dataDir);

        assertThat(ReplicaFiles.batches(replica)).isEmpty();
    }

    @Test
    void aDirectoryLockedByALiveProcessIsRefused() throws IOException {
        segment(replica("t-0"), 0, batch(0, "a"));
        try (FileChannel lock = FileChannel.open(dataDir.resolve(".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock held = lock.lock()) {
            assertThatThrownBy(() -> PowerLoss.dropUnflushedTails(dataDir)).isInstanceOf(IllegalStateException.class);
        }
    }

    private Path replica(String name) throws IOException {
        return Files.createDirectories(dataDir.resolve(name));
    }

    private static ByteBuffer batch(long baseOffset, String... values) {
        ByteBuffer bytes = Batches.of(values);
        for (RecordBatch batch : BufferBatchIterator.batches(bytes.duplicate())) {
            batch.setBaseOffset(baseOffset);
        }
        return bytes;
    }

    private static void segment(Path replica, long baseOffset, ByteBuffer... batches) throws IOException {
        try (FileChannel channel = FileChannel.open(replica.resolve("%020d.log".formatted(baseOffset)),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            for (ByteBuffer batch : batches) {
                channel.write(batch.duplicate());
            }
        }
    }

    /** The state checkpoint in sluice-log's format (docs/storage.md). */
    private static void checkpoint(Path replica, long recoveryPoint, boolean clean) throws IOException {
        Files.writeString(replica.resolve("log-state-checkpoint"), "0\nrecovery-point " + recoveryPoint
                + "\nhigh-watermark " + recoveryPoint + "\nlog-start-offset 0\nclean-shutdown " + clean + "\n");
    }

    private static void checkpoint(Path replica, long recoveryPoint, boolean clean, long stamp) throws IOException {
        checkpoint(replica, recoveryPoint, clean);
        Files.writeString(replica.resolve("log-state-checkpoint"), "stamp " + stamp + "\n", StandardOpenOption.APPEND);
    }
}
