package io.sluice.internal.brokerconfig;

/** The coordinator's routes for the cluster-wide broker configs. */
public final class BrokerConfigPaths {

    /** GET: the configs set ({@link BrokerConfigSnapshot}). */
    public static final String CONFIGS = "/internal/broker-configs";
    /** POST a {@link BrokerConfigChange}: applied all or nothing; answers the new {@link BrokerConfigSnapshot}. */
    public static final String ALTER = "/internal/broker-configs/alter";

    private BrokerConfigPaths() {
    }
}
