package io.sluice.internal.scram;

/** The coordinator's SCRAM credential routes. */
public final class ScramPaths {

    /** GET: every credential ({@link ScramSnapshot}); POST {@link ScramChange}: apply it, answers the new snapshot. */
    public static final String CREDENTIALS = "/internal/scram-credentials";

    private ScramPaths() {
    }
}
