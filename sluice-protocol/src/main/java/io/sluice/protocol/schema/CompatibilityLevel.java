package io.sluice.protocol.schema;

import io.sluice.protocol.ErrorCode;
import java.util.Arrays;
import java.util.Locale;

/**
 * Confluent's compatibility levels of the schema registry, under Confluent's names. BACKWARD: the new schema can read
 * data written with the old; FORWARD: the old can read data written with the new; FULL: both. Plain levels compare
 * with the latest registered schema only, the {@code _TRANSITIVE} ones with every schema registered before.
 */
public enum CompatibilityLevel {
    NONE(false, false, false),
    BACKWARD(true, false, false),
    BACKWARD_TRANSITIVE(true, false, true),
    FORWARD(false, true, false),
    FORWARD_TRANSITIVE(false, true, true),
    FULL(true, true, false),
    FULL_TRANSITIVE(true, true, true);

    private final boolean backward;
    private final boolean forward;
    private final boolean transitive;

    CompatibilityLevel(boolean backward, boolean forward, boolean transitive) {
        this.backward = backward;
        this.forward = forward;
        this.transitive = transitive;
    }

    /** The new schema must read the old schemas' data. */
    public boolean backward() {
        return backward;
    }

    /** The old schemas must read the new schema's data. */
    public boolean forward() {
        return forward;
    }

    /** Every previous schema counts, not only the latest. */
    public boolean transitive() {
        return transitive;
    }

    /**
     * The level named {@code name} as Confluent spells it (any case).
     *
     * @throws io.sluice.protocol.SluiceException INVALID_COMPATIBILITY_LEVEL for any other name, naming the valid ones
     */
    public static CompatibilityLevel fromName(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException unknown) {
            throw ErrorCode.INVALID_COMPATIBILITY_LEVEL.exception("Unknown compatibility level '" + name
                    + "': expected one of " + Arrays.toString(values()));
        }
    }
}
