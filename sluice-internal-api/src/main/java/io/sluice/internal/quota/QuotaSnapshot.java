package io.sluice.internal.quota;

import java.util.List;

/** Every client quota set through Kafka or the HTTP API, at {@code version}, which every change bumps. */
public record QuotaSnapshot(long version, List<QuotaEntry> entries) {

    public QuotaSnapshot {
        entries = List.copyOf(entries);
    }
}
