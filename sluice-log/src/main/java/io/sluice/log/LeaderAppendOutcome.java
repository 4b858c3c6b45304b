package io.sluice.log;

import io.sluice.protocol.SluiceException;
import java.util.Objects;

/**
 * One entry's outcome in {@link PartitionLog#appendAsLeader(java.util.List, int)}: where it was written, or why it was
 * not. Exactly one of the two is set.
 */
public record LeaderAppendOutcome(AppendResult result, SluiceException error) {

    public LeaderAppendOutcome {
        if ((result == null) == (error == null)) {
            throw new IllegalArgumentException("exactly one of result and error: " + result + ", " + error);
        }
    }

    static LeaderAppendOutcome appended(AppendResult result) {
        return new LeaderAppendOutcome(Objects.requireNonNull(result), null);
    }

    static LeaderAppendOutcome refused(SluiceException error) {
        return new LeaderAppendOutcome(null, Objects.requireNonNull(error));
    }

    /** The result, or the refusal thrown. */
    public AppendResult orThrow() {
        if (error != null) {
            throw error;
        }
        return result;
    }
}
