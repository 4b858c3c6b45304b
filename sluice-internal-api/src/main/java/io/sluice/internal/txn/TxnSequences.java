package io.sluice.internal.txn;

import java.util.List;

/** The first sequence of each partition of a {@link TxnWriteRequest}: its batches carry these. */
public record TxnSequences(List<FirstSequence> partitions) {

    /** A partition's first sequence. */
    public record FirstSequence(String topic, int partition, int baseSequence) {
    }

    public TxnSequences {
        partitions = partitions == null ? List.of() : List.copyOf(partitions);
    }
}
