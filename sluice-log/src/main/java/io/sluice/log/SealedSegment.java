package io.sluice.log;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A sealed segment of a log as a tiered log's leader copies it to remote storage: its offsets, its files, and the
 * parts of the log's state that concern its offsets (what a reader of the copy needs without the local log).
 *
 * @param baseOffset       its first offset
 * @param endOffset        its last offset (the next segment's base, less one)
 * @param sizeBytes        the size of its log file
 * @param maxTimestamp     the largest record timestamp in it (-1: none)
 * @param logFile          the batches
 * @param offsetIndex      the offset index (trimmed to its entries: the segment is sealed)
 * @param timeIndex        the time index
 * @param producerSnapshot the producer state as of its end, when the log has that snapshot; else null
 * @param abortedTxns      the aborted transactions with records in it, for read_committed readers of the copy
 * @param leaderEpochs     the leader epochs of its offsets: the one in effect at its base (from its base), then those
 *                         that start within it
 */
public record SealedSegment(long baseOffset, long endOffset, long sizeBytes, long maxTimestamp, Path logFile,
                            Path offsetIndex, Path timeIndex, Path producerSnapshot, List<AbortedTxn> abortedTxns,
                            List<EpochEntry> leaderEpochs) {

    public SealedSegment {
        abortedTxns = List.copyOf(abortedTxns);
        leaderEpochs = List.copyOf(leaderEpochs);
    }

    /** The entries of {@code epochs} (ascending) that cover [{@code base}, {@code next}), the first moved to base. */
    static List<EpochEntry> epochsWithin(List<EpochEntry> epochs, long base, long next) {
        List<EpochEntry> within = new ArrayList<>();
        EpochEntry inEffect = null;
        for (EpochEntry entry : epochs) {
            if (entry.startOffset() <= base) {
                inEffect = entry;
            } else if (entry.startOffset() < next) {
                within.add(entry);
            }
        }
        if (inEffect != null) {
            within.addFirst(new EpochEntry(inEffect.epoch(), base));
        }
        return within;
    }
}
