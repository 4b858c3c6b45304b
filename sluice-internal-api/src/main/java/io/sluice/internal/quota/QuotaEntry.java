package io.sluice.internal.quota;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** The rates set for one entity, by {@link QuotaKey#configName()} in key order; the coordinator's stored form. */
public record QuotaEntry(QuotaEntity entity, Map<String, Double> rates) {

    public QuotaEntry {
        rates = Collections.unmodifiableMap(new TreeMap<>(rates));
    }

    /** The rate set for {@code key}, or null. */
    public Double rate(QuotaKey key) {
        return rates.get(key.configName());
    }
}
