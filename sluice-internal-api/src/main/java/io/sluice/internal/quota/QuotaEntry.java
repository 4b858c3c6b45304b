package io.sluice.internal.quota;

import java.util.Map;
import java.util.TreeMap;

/** The rates set for one entity, by {@link QuotaKey#configName()}; the coordinator's stored form. */
public record QuotaEntry(QuotaEntity entity, Map<String, Double> rates) {

    public QuotaEntry {
        rates = Map.copyOf(new TreeMap<>(rates));
    }

    /** The rate set for {@code key}, or null. */
    public Double rate(QuotaKey key) {
        return rates.get(key.configName());
    }
}
