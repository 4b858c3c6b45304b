package io.sluice.internal.remote;

/**
 * One segment of a partition's log copied, or being copied, to object storage (tiered storage, KIP-405), as the
 * coordinator records it. A segment is served to readers only once {@link State#COPY_FINISHED}: a copy that started
 * and never finished (its leader died mid-copy) is never read, and the next leader deletes its objects.
 *
 * <p>Segments of one partition may overlap: each leader copies its own segments, whose boundaries need not be those
 * of another replica's, from the first offset not yet copied. Below the high watermark every replica holds the same
 * records, so two finished segments holding an offset hold the same batch there.
 *
 * @param id           unique per copy (a UUID the copier chose): names the segment's objects
 * @param baseOffset   the first offset of the segment
 * @param endOffset    the last offset of the segment (inclusive)
 * @param maxTimestamp the largest record timestamp in it (-1: none), for time-based retention and lookups
 * @param sizeBytes    the size of its log file
 * @param leaderEpoch  the leader epoch of the leader that wrote this state; in an update, the writer's epoch, which
 *                     must not be older than the newest epoch that updated the partition
 * @param state        where the copy or deletion stands; in an update, the state to move to
 */
public record RemoteSegment(String id, long baseOffset, long endOffset, long maxTimestamp, long sizeBytes,
                            int leaderEpoch, State state) {

    /** The longest segment id: a UUID is 36 characters. */
    public static final int MAX_ID_LENGTH = 64;

    /**
     * COPY_STARTED → COPY_FINISHED → DELETE_STARTED → DELETED; any recorded state → DELETE_STARTED (an incomplete
     * copy is deleted too). DELETED is never stored: the update that asks for it removes the record.
     */
    public enum State {
        COPY_STARTED, COPY_FINISHED, DELETE_STARTED, DELETED
    }

    /** A copy of this segment in {@code next}, written by the leader of {@code epoch}. */
    public RemoteSegment moveTo(State next, int epoch) {
        return new RemoteSegment(id, baseOffset, endOffset, maxTimestamp, sizeBytes, epoch, next);
    }

    /** Whether readers may be served from it. */
    public boolean readable() {
        return state == State.COPY_FINISHED;
    }

    /** Whether {@code offset} is within it. */
    public boolean holds(long offset) {
        return offset >= baseOffset && offset <= endOffset;
    }
}
