package io.sluice.it;

import io.sluice.protocol.record.FileBatch;
import io.sluice.protocol.record.FileBatchIterator;
import io.sluice.protocol.record.RecordBatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The record batches a replica holds on disk, read straight from its segment files ({@code *.log}, in base offset
 * order) with {@link FileBatchIterator}, as a service would find them on restart. Reading a live replica's files is
 * safe (the tests only read) and sees what the service has written so far; a batch being written is left out as a
 * torn tail.
 */
final class ReplicaFiles {

    private ReplicaFiles() {
    }

    /**
     * One batch as stored: its offsets, leader epoch, size and a digest of all its bytes, so that two replicas hold
     * the same batch exactly when their {@code StoredBatch}es are equal.
     */
    record StoredBatch(long baseOffset, long lastOffset, int leaderEpoch, int sizeInBytes, String sha256) {
    }

    /** A replica's batches in log order, or an empty list when the directory does not exist. */
    static List<StoredBatch> batches(Path replicaDir) {
        List<StoredBatch> batches = new ArrayList<>();
        for (Path segment : segmentFiles(replicaDir)) {
            try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ)) {
                FileBatchIterator iterator = new FileBatchIterator(channel, 0, channel.size(), Integer.MAX_VALUE);
                for (FileBatch batch = iterator.nextBatch(); batch != null; batch = iterator.nextBatch()) {
                    RecordBatch loaded = batch.load();
                    batches.add(new StoredBatch(batch.baseOffset(), batch.lastOffset(), batch.partitionLeaderEpoch(),
                            batch.sizeInBytes(), sha256(loaded.buffer())));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return batches;
    }

    /** The segment files of a replica in base offset order (their names are 20-digit base offsets). */
    static List<Path> segmentFiles(Path replicaDir) {
        if (!Files.isDirectory(replicaDir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(replicaDir)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".log")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The replica's log end as its files show it: the offset after its last complete batch (0 when empty). */
    static long logEndOffset(List<StoredBatch> batches) {
        return batches.isEmpty() ? 0 : batches.getLast().lastOffset() + 1;
    }

    private static String sha256(ByteBuffer bytes) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(bytes.duplicate());
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
