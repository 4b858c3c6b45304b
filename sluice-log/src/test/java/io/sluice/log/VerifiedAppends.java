package io.sluice.log;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/**
 * Leader appends for tests whose transactions the transaction coordinator would have verified (KIP-890 part 1): every
 * {@link TxnStart} of the entries is taken as verified, as if each producer had added the partition to its open
 * transaction.
 */
public final class VerifiedAppends {

    private VerifiedAppends() {
    }

    /** Every transaction the entries would open, verified. */
    public static TxnVerifications allVerified(PartitionLog log, List<ByteBuffer> entries) {
        return TxnVerifications.of(log.transactionStarts(entries), Map.of());
    }

    /** {@link PartitionLog#appendAsLeader(ByteBuffer, int)}, its transactions verified. */
    public static AppendResult appendAsLeader(PartitionLog log, ByteBuffer records, int leaderEpoch) {
        List<ByteBuffer> entries = List.of(records);
        return log.appendAsLeader(entries, leaderEpoch, allVerified(log, entries)).getFirst().orThrow();
    }
}
