package io.sluice.log;

/**
 * The answer to "where does epoch E end in your log?" (KIP-101/279): the largest epoch at or below the requested
 * one that this replica knows, and the offset where it ended (the start of the next epoch, or the log end for the
 * latest epoch). {@link #UNDEFINED} when the replica knows no such epoch.
 */
public record EpochEndOffset(int leaderEpoch, long endOffset) {

    public static final int UNDEFINED_EPOCH = -1;
    public static final long UNDEFINED_OFFSET = -1L;
    public static final EpochEndOffset UNDEFINED = new EpochEndOffset(UNDEFINED_EPOCH, UNDEFINED_OFFSET);

    public boolean isDefined() {
        return leaderEpoch != UNDEFINED_EPOCH;
    }
}
