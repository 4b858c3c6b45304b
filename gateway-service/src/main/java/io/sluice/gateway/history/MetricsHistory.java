package io.sluice.gateway.history;

import io.sluice.gateway.GatewayProperties;
import io.sluice.gateway.history.SeriesKey.Subject;
import io.sluice.gateway.history.SeriesRing.Points;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * This gateway's bounded window of metrics history: one {@link SeriesRing} of {@code history.points()} points per
 * series, at most {@code history.max-series} series. A series with no point newer than the window is forgotten at the
 * next {@link #forgetOlderThan}; a new series while the limit is reached is not recorded (logged once per gateway
 * until one is forgotten), so memory stays below max-series × points × 16 bytes whatever the cluster holds.
 *
 * <p>Rates are recorded from counters ({@link #recordCounter}): the rate between a counter's last two samples. A
 * counter that went back (a topic deleted and created again, offsets reset, a group deleted) gives no point for that
 * interval and counts on from its new value. Each gateway keeps its own history (docs/architecture.md says why).
 * Thread-safe: samplers record from their own threads while API calls read.
 */
@Component
public class MetricsHistory {

    private static final Logger log = LoggerFactory.getLogger(MetricsHistory.class);

    /** A counter's last sample. */
    private record CounterSample(long atMs, long total) {
    }

    private final int points;
    private final int maxSeries;
    private final long windowMs;
    private final long intervalMs;
    private final Map<SeriesKey, SeriesRing> series = new ConcurrentHashMap<>();
    private final Map<SeriesKey, CounterSample> counters = new ConcurrentHashMap<>();
    private volatile boolean full;

    @Autowired
    MetricsHistory(GatewayProperties properties) {
        this(properties.history());
    }

    MetricsHistory(GatewayProperties.History history) {
        this.points = history.points();
        this.maxSeries = history.maxSeries();
        this.windowMs = history.window().toMillis();
        this.intervalMs = history.interval().toMillis();
    }

    public long windowMs() {
        return windowMs;
    }

    public long intervalMs() {
        return intervalMs;
    }

    /** Adds the point ({@code atMs}, {@code value}) to the series (dropped when the series limit is reached). */
    public void record(SeriesKey key, long atMs, double value) {
        SeriesRing ring = series.get(key);
        if (ring == null) {
            ring = newSeries(key);
            if (ring == null) {
                return;
            }
        }
        ring.add(atMs, value);
    }

    /**
     * The ring of a series seen for the first time; null while the limit is reached. Creating one holds the instance's
     * lock, so samplers recording at once never take the count past the limit (adding to a known series does not).
     */
    private synchronized SeriesRing newSeries(SeriesKey key) {
        SeriesRing ring = series.get(key);
        if (ring != null) {
            return ring;
        }
        if (series.size() >= maxSeries) {
            if (!full) {
                full = true;
                log.warn("Metrics history holds {} series (sluice.gateway.history.max-series): {} and later new "
                        + "series are not recorded until older ones expire", maxSeries, key);
            }
            return null;
        }
        ring = new SeriesRing(points);
        series.put(key, ring);
        return ring;
    }

    /**
     * Samples a counter ({@code total}: records appended, offsets committed…) and records into the series
     * {@code rateKey} the rate per second since its last sample, if there was one and the counter did not go back.
     * Answers that rate, null when there is none.
     */
    public Double recordCounter(SeriesKey rateKey, long atMs, long total) {
        CounterSample last = counters.put(rateKey, new CounterSample(atMs, total));
        if (last == null || atMs <= last.atMs() || total < last.total()) {
            return null;
        }
        double rate = (total - last.total()) * 1000.0 / (atMs - last.atMs());
        record(rateKey, atMs, rate);
        return rate;
    }

    /** Forgets the series and counters with no sample at or after {@code oldestMs}. */
    public synchronized void forgetOlderThan(long oldestMs) {
        series.entrySet().removeIf(e -> e.getValue().newestTime() < oldestMs);
        counters.entrySet().removeIf(e -> e.getValue().atMs() < oldestMs);
        if (series.size() < maxSeries) {
            full = false;
        }
    }

    /** Every series of {@code subject} with its points after {@code afterMs}, in a stable order. */
    List<Series> of(Subject subject, long afterMs) {
        return series.entrySet().stream()
                .filter(e -> e.getKey().subject().equals(subject))
                .map(e -> new Series(e.getKey(), e.getValue().after(afterMs)))
                .sorted(ORDER)
                .toList();
    }

    /** Whether any series of {@code subject} is kept. */
    boolean has(Subject subject) {
        return series.keySet().stream().anyMatch(key -> key.subject().equals(subject));
    }

    int seriesCount() {
        return series.size();
    }

    /** A series and its points. */
    record Series(SeriesKey key, Points points) {
    }

    private static final Comparator<Series> ORDER = Comparator
            .comparing((Series s) -> s.key().metric())
            .thenComparing(s -> s.key().topic(), Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(s -> s.key().partition(), Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(s -> s.key().node(), Comparator.nullsFirst(Comparator.naturalOrder()));
}
