package io.sluice.internal.quota;

/** The coordinator's client-quota routes. */
public final class QuotaPaths {

    /** GET: every quota set ({@link QuotaSnapshot}). */
    public static final String QUOTAS = "/internal/quotas";
    /** POST a list of {@link QuotaAlteration}s: applied all or nothing; answers the new {@link QuotaSnapshot}. */
    public static final String ALTER = "/internal/quotas/alter";

    private QuotaPaths() {
    }
}
