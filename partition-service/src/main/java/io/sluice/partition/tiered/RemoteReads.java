package io.sluice.partition.tiered;

import io.sluice.log.AbortedTxn;
import io.sluice.log.FileRegion;
import io.sluice.log.TimestampOffset;
import io.sluice.partition.replica.Partition;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import reactor.core.publisher.Mono;

/**
 * Reads below a replica's local log, served from tiered storage's remote segments, and DeleteRecords below it (what
 * {@link TieredStorage} implements; {@link #NONE} where remote storage is off).
 */
public interface RemoteReads {

    /** No remote storage: every partition's log is its local log. */
    RemoteReads NONE = new RemoteReads() {
        @Override
        public long logStartOffset(Partition partition) {
            return partition.log().logStartOffset();
        }

        @Override
        public Optional<RemoteRead> read(Partition partition, long offset, int maxBytes, boolean committed) {
            return Optional.empty();
        }

        @Override
        public long lastTieredOffset(Partition partition) {
            return -1;
        }

        @Override
        public Optional<TimestampOffset> offsetForTimestamp(Partition partition, long timestamp) {
            return Optional.empty();
        }

        @Override
        public Mono<Void> deleteRecordsBefore(Partition partition, long offset) {
            return Mono.empty();
        }
    };

    /** Where the partition's whole log starts: its first remote offset when that is below the local log's start. */
    long logStartOffset(Partition partition);

    /**
     * A read of whole batches from the one holding {@code offset}, below the local log start, from a remote segment
     * that holds it; empty when none does (the offset is below the whole log's start, or the partition is not tiered).
     * With {@code committed}, the read carries the aborted transactions among its records.
     */
    Optional<RemoteRead> read(Partition partition, long offset, int maxBytes, boolean committed);

    /** The last offset copied to remote storage (Kafka's ListOffsets latest tiered, KIP-1005), or -1 if none is. */
    long lastTieredOffset(Partition partition);

    /**
     * The earliest record below the local log whose timestamp is at least {@code timestamp}, from the remote segments
     * (fetching the one that holds it, and waiting for that); empty when no remote record below the local log is that
     * late (the local log is asked next).
     */
    Optional<TimestampOffset> offsetForTimestamp(Partition partition, long timestamp);

    /**
     * DeleteRecords at the leader of a tiered partition, before its local log moves: records the new log start offset
     * at the coordinator, so that no replica, this one or a later leader, serves remote records below it again, and the
     * leader's next round deletes the remote segments wholly below it. Completes empty at once for a partition that is
     * not tiered; fails as the coordinator's update does (FENCED_LEADER_EPOCH for a deposed leader).
     */
    Mono<Void> deleteRecordsBefore(Partition partition, long offset);

    /**
     * A remote read: the batches (a region of a cached copy of the segment) and the offset after them, or, when the
     * segment is not cached yet, a future that completes once it is (read again then).
     */
    record RemoteRead(FileRegion records, long nextOffset, List<AbortedTxn> abortedTxns,
                      CompletableFuture<?> pending) {

        public RemoteRead {
            abortedTxns = List.copyOf(abortedTxns);
        }

        static RemoteRead pending(CompletableFuture<?> download) {
            return new RemoteRead(FileRegion.empty(), -1, List.of(), download);
        }

        public boolean isPending() {
            return pending != null;
        }
    }
}
