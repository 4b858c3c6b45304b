package io.sluice.log;

import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the transaction coordinator answered for the {@link TxnStart}s of a leader append: each start verified (its
 * guard kept) or refused with the coordinator's reason. A transactional batch that would open a transaction and has no
 * verified start for its producer and epoch is refused INVALID_TXN_STATE: a leader never opens a transaction the
 * coordinator does not know the partition is in (a hanging transaction, which would hold the last stable offset back
 * for good). Immutable.
 */
public final class TxnVerifications {

    /** Nothing verified: an append that would open a transaction is refused. */
    public static final TxnVerifications NONE = new TxnVerifications(Map.of());

    private final Map<Key, Object> outcomes;

    private TxnVerifications(Map<Key, Object> outcomes) {
        this.outcomes = outcomes;
    }

    /** {@code starts} verified, but those in {@code refused}, which carry the coordinator's reason. */
    public static TxnVerifications of(List<TxnStart> starts, Map<TxnStart, SluiceException> refused) {
        Map<Key, Object> outcomes = new HashMap<>();
        for (TxnStart start : starts) {
            SluiceException reason = refused.get(start);
            outcomes.put(new Key(start.producerId(), start.producerEpoch()),
                    reason != null ? reason : start.guard());
        }
        return new TxnVerifications(Map.copyOf(outcomes));
    }

    /** Every start refused for the same reason (the coordinator could not be asked). */
    public static TxnVerifications refused(List<TxnStart> starts, SluiceException reason) {
        Map<Key, Object> outcomes = new HashMap<>();
        starts.forEach(start -> outcomes.put(new Key(start.producerId(), start.producerEpoch()), reason));
        return new TxnVerifications(Map.copyOf(outcomes));
    }

    /**
     * Passes if the producer's start at {@code epoch} was verified and {@code current}, the guard the producer state
     * keeps now, is the one the verification started with.
     *
     * @throws SluiceException the coordinator's reason, or INVALID_TXN_STATE
     */
    void require(long producerId, short epoch, VerificationGuard current) {
        Object outcome = outcomes.get(new Key(producerId, epoch));
        if (outcome instanceof SluiceException refused) {
            throw refused.errorCode().exception(refused.getMessage());
        }
        if (outcome == null) {
            throw ErrorCode.INVALID_TXN_STATE.exception("Producer " + producerId + " (epoch " + epoch + ") would open a"
                    + " transaction here that the transaction coordinator has not verified");
        }
        if (outcome != current) {
            throw ErrorCode.INVALID_TXN_STATE.exception("A transaction of producer " + producerId + " ended here while"
                    + " its next batch was being verified: the batch belongs to no open transaction");
        }
    }

    private record Key(long producerId, short producerEpoch) {
    }
}
