package io.sluice.gateway.kafka.telemetry;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.PrometheusNaming;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The metrics Kafka clients pushed (KIP-714), kept for the gateway's Prometheus endpoint: per client instance, the
 * series of its last push, each labelled with the client's {@code client_id}, {@code client_instance_id} and
 * {@code principal} besides the data point's own attributes. The pushed metric name becomes the Prometheus name with
 * every character Prometheus does not allow in a name as {@code _} ({@code org.apache.kafka.producer.record.send.rate}:
 * {@code org_apache_kafka_producer_record_send_rate}); a monotonic sum is a counter ({@code _total}), anything else a
 * gauge.
 *
 * <p>Bounded: at most {@code maxClients} instances and {@code maxSeriesPerClient} series each (the rest of a push is
 * dropped); an instance that has not pushed for {@code expiry} is forgotten with its series, checked on every push and
 * every scrape. Clients ask for cumulative values, so each push replaces the instance's series whole.
 *
 * <p>Thread-safe: pushes and scrapes come from any thread; an instance's series are replaced as one map.
 */
final class ClientMetricsStore implements MultiCollector {

    /** Who pushed: the client as its requests name it and as it signed in. */
    record Client(String clientInstanceId, String clientId, String principal) {
    }

    private record Pushed(Client client, long atMillis, Map<String, Series> series) {
    }

    /** A series: its Prometheus name and kind, its labels in order, its value. */
    private record Series(String name, OtlpMetrics.Kind kind, Map<String, String> labels, double value) {
    }

    private final Clock clock;
    private final Duration expiry;
    private final int maxClients;
    private final int maxSeriesPerClient;
    private final Map<String, Pushed> clients = new ConcurrentHashMap<>();

    ClientMetricsStore(Clock clock, Duration expiry, int maxClients, int maxSeriesPerClient) {
        this.clock = clock;
        this.expiry = expiry;
        this.maxClients = maxClients;
        this.maxSeriesPerClient = maxSeriesPerClient;
    }

    /**
     * Keeps {@code points} as {@code client}'s series, in place of the ones it pushed before. False, and nothing kept,
     * when the client is new and {@code maxClients} others are kept.
     */
    synchronized boolean record(Client client, List<OtlpMetrics.Point> points) {
        long now = clock.millis();
        expire(now);
        if (!clients.containsKey(client.clientInstanceId()) && clients.size() >= maxClients) {
            return false;
        }
        Map<String, Series> series = new LinkedHashMap<>();
        for (OtlpMetrics.Point point : points) {
            if (series.size() >= maxSeriesPerClient) {
                break;
            }
            Series one = series(client, point);
            series.put(one.name() + one.labels(), one);
        }
        clients.put(client.clientInstanceId(), new Pushed(client, now, Map.copyOf(series)));
        return true;
    }

    /** How many client instances' metrics are kept now. */
    synchronized int clients() {
        expire(clock.millis());
        return clients.size();
    }

    private void expire(long now) {
        clients.values().removeIf(pushed -> now - pushed.atMillis() >= expiry.toMillis());
    }

    private static Series series(Client client, OtlpMetrics.Point point) {
        Map<String, String> labels = new TreeMap<>();
        point.attributes().forEach((key, value) -> labels.put(PrometheusNaming.sanitizeLabelName(legacy(key)), value));
        labels.put("client_id", client.clientId() == null ? "" : client.clientId());
        labels.put("client_instance_id", client.clientInstanceId());
        labels.put("principal", client.principal());
        return new Series(PrometheusNaming.sanitizeMetricName(legacy(point.name())), point.kind(), labels,
                point.value());
    }

    /** {@code name} in Prometheus' classic character set: letters, digits, {@code _} and {@code :}. */
    private static String legacy(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (char c : name.toCharArray()) {
            out.append(c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == ':') ? c : '_');
        }
        return out.isEmpty() || Character.isDigit(out.charAt(0)) ? "_" + out : out.toString();
    }

    /**
     * One snapshot per metric name over every kept client. A name that two clients push as different kinds is shown
     * as the kind met first, the other client's series of it left out: one family has one type.
     */
    @Override
    public MetricSnapshots collect() {
        Map<String, List<Series>> byName = new TreeMap<>();
        synchronized (this) {
            expire(clock.millis());
            for (Pushed pushed : clients.values()) {
                for (Series one : pushed.series().values()) {
                    List<Series> family = byName.computeIfAbsent(one.name(), name -> new ArrayList<>());
                    if (family.isEmpty() || family.getFirst().kind() == one.kind()) {
                        family.add(one);
                    }
                }
            }
        }
        List<MetricSnapshot> snapshots = new ArrayList<>();
        byName.forEach((name, family) -> snapshots.add(family.getFirst().kind() == OtlpMetrics.Kind.COUNTER
                ? counter(name, family) : gauge(name, family)));
        return new MetricSnapshots(snapshots);
    }

    private static MetricSnapshot counter(String name, List<Series> family) {
        CounterSnapshot.Builder builder = CounterSnapshot.builder().name(name)
                .help("Pushed by Kafka clients (KIP-714)");
        family.forEach(one -> builder.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                .labels(labels(one)).value(Math.max(0, one.value())).build()));
        return builder.build();
    }

    private static MetricSnapshot gauge(String name, List<Series> family) {
        GaugeSnapshot.Builder builder = GaugeSnapshot.builder().name(name).help("Pushed by Kafka clients (KIP-714)");
        family.forEach(one -> builder.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                .labels(labels(one)).value(one.value()).build()));
        return builder.build();
    }

    private static Labels labels(Series one) {
        Labels.Builder labels = Labels.builder();
        one.labels().forEach(labels::label);
        return labels.build();
    }
}
