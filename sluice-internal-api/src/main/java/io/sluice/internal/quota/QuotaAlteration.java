package io.sluice.internal.quota;

import io.sluice.protocol.ErrorCode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A change of one entity's quotas: rates set (by {@link QuotaKey#configName()}) and keys removed; an entity left with
 * no rate is forgotten.
 */
public record QuotaAlteration(QuotaEntity entity, Map<String, Double> set, List<String> remove) {

    public QuotaAlteration {
        set = set == null ? Map.of() : Map.copyOf(set);
        remove = remove == null ? List.of() : List.copyOf(remove);
    }

    /** Refuses, as INVALID_REQUEST, an entity without parts, an unknown key or a rate that is not positive. */
    public QuotaAlteration validated() {
        if (entity == null) {
            throw ErrorCode.INVALID_REQUEST.exception("A quota alteration names its entity");
        }
        entity.validated();
        set.forEach((key, rate) -> QuotaKey.named(key).validated(rate));
        remove.forEach(QuotaKey::named);
        return this;
    }

    /** Applies this alteration to {@code rates} (entity → rates by key): an entity left with no rate is removed. */
    public void applyTo(Map<QuotaEntity, Map<String, Double>> rates) {
        Map<String, Double> changed = new HashMap<>(rates.getOrDefault(entity, Map.of()));
        remove.forEach(changed::remove);
        changed.putAll(set);
        if (changed.isEmpty()) {
            rates.remove(entity);
        } else {
            rates.put(entity, changed);
        }
    }
}
