package io.sluice.it;

import io.sluice.protocol.record.FileBatch;
import io.sluice.protocol.record.FileBatchIterator;
import io.sluice.protocol.record.Record;
import io.sluice.protocol.record.RecordBatch;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
 * torn tail, and a file truncated while it is read ends the reading where it was cut.
 */
public final class ReplicaFiles {

    private ReplicaFiles() {
    }

    /**
     * One batch as stored: its offsets, leader epoch, size and a digest of all its bytes, so that two replicas hold
     * the same batch exactly when their {@code StoredBatch}es are equal.
     */
    public record StoredBatch(long baseOffset, long lastOffset, int leaderEpoch, int sizeInBytes, String sha256) {
    }

    /** One record as stored: its offset, its value as UTF-8 text and the leader epoch of the batch carrying it. */
    public record StoredRecord(long offset, String value, int leaderEpoch) {
    }

    /** A replica's batches and their records, read up to its first invalid batch. */
    public record Contents(List<StoredBatch> batches, List<StoredRecord> records) {
    }

    /** A replica's batches in log order, or an empty list when the directory does not exist. */
    public static List<StoredBatch> batches(Path replicaDir) {
        List<StoredBatch> batches = new ArrayList<>();
        for (Path segment : segmentFiles(replicaDir)) {
            try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ)) {
                FileBatchIterator iterator = new FileBatchIterator(channel, 0, channel.size(), Integer.MAX_VALUE);
                for (FileBatch batch = iterator.nextBatch(); batch != null; batch = iterator.nextBatch()) {
                    RecordBatch loaded = batch.load();
                    batches.add(new StoredBatch(batch.baseOffset(), batch.lastOffset(), batch.partitionLeaderEpoch(),
                            batch.sizeInBytes(), sha256(loaded.buffer())));
                }
            } catch (EOFException e) {
                return batches; // cut under the reader: see read
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return batches;
    }

    /**
     * A replica's valid batches and, if asked, their records, in log order: reading stops at the first batch whose CRC
     * does not match, as recovery would cut there. On a live replica that is also where a follower is truncating and
     * rewriting as it is read, so no half-old, half-new batch is ever returned.
     */
    public static Contents read(Path replicaDir, boolean withRecords) {
        List<StoredBatch> batches = new ArrayList<>();
        List<StoredRecord> records = new ArrayList<>();
        for (Path segment : segmentFiles(replicaDir)) {
            try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ)) {
                FileBatchIterator iterator = new FileBatchIterator(channel, 0, channel.size(), Integer.MAX_VALUE);
                for (FileBatch batch = iterator.nextBatch(); batch != null; batch = iterator.nextBatch()) {
                    RecordBatch loaded = batch.load();
                    if (!loaded.isValid()) {
                        return new Contents(batches, records);
                    }
                    batches.add(new StoredBatch(batch.baseOffset(), batch.lastOffset(), batch.partitionLeaderEpoch(),
                            batch.sizeInBytes(), sha256(loaded.buffer())));
                    if (withRecords) {
                        for (Record record : loaded.records()) {
                            records.add(new StoredRecord(record.offset(),
                                    new String(record.value(), StandardCharsets.UTF_8), loaded.partitionLeaderEpoch()));
                        }
                    }
                }
            } catch (NoSuchFileException e) {
                // A segment deleted (retention, truncation) between listing and reading: what is left is read.
            } catch (EOFException e) {
                // The file was cut shorter after its size was taken (a follower truncating to its new leader's
                // log): the rest is being rewritten, so reading stops here as it does at a batch being rewritten.
                return new Contents(batches, records);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new Contents(batches, records);
    }

    /** The segment files of a replica in base offset order (their names are 20-digit base offsets). */
    public static List<Path> segmentFiles(Path replicaDir) {
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
    public static long logEndOffset(List<StoredBatch> batches) {
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
