package io.sluice.web;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;

/**
 * Gauges of one name, one per set of tags, whose rows are measured again as a whole from time to time (the lag of each
 * group's partitions, the members of each group, a compacted log's dirtiness): what Micrometer's {@code MultiGauge}
 * with {@code overwrite} is for, without its race. {@code MultiGauge} removes the gauge of every row and registers it
 * again, even of a row that stays; a Prometheus scrape that runs meanwhile can meet the removed gauge and its
 * successor, both with the same labels, and fails with {@code DuplicateLabelsException} (micrometer#6851): the
 * endpoint answers 500, Prometheus marks the target down and every alert on it goes blind.
 *
 * <p>Here a row that stays keeps its gauge and only its value changes; a row that is gone has its gauge removed, and a
 * new one is registered, so a scrape never sees two gauges of the same name and tags. {@link #replace} may be called
 * from any thread (calls are serialized); gauges read a volatile value.
 */
public final class TaggedGauges {

    private final MeterRegistry registry;
    private final String name;
    private final String description;
    private final String baseUnit;
    private final Map<Tags, Row> rows = new HashMap<>();

    /**
     * @param baseUnit the unit of the values ({@code seconds}, {@code bytes}), or null for a count
     */
    public TaggedGauges(MeterRegistry registry, String name, String description, String baseUnit) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.name = Objects.requireNonNull(name, "name");
        this.description = description;
        this.baseUnit = baseUnit;
    }

    /** Makes {@code values} the rows: each set of tags shows its value, and rows not among them are removed. */
    public synchronized void replace(Map<Tags, ? extends Number> values) {
        for (Iterator<Map.Entry<Tags, Row>> it = rows.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Tags, Row> row = it.next();
            if (!values.containsKey(row.getKey())) {
                registry.remove(row.getValue().gauge);
                it.remove();
            }
        }
        values.forEach((tags, value) -> rows.computeIfAbsent(tags, this::register).value = value.doubleValue());
    }

    private Row register(Tags tags) {
        Row row = new Row();
        row.gauge = Gauge.builder(name, row, r -> r.value).tags(tags).description(description).baseUnit(baseUnit)
                .strongReference(true).register(registry);
        return row;
    }

    /** One row's gauge and the value it reads. */
    private static final class Row {
        private volatile double value = Double.NaN;
        private Gauge gauge;
    }
}
