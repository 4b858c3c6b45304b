package io.sluice.gateway.history;

import java.util.List;

/**
 * What a history route answers: how often this gateway samples and how far back it keeps, and each series of the
 * subject with its points as two columns ({@code times} in epoch milliseconds, {@code values} in {@code unit}).
 * {@code topic}, {@code partition} and {@code node_id} say where a series was measured; null where they do not apply
 * (a topic-wide total has no partition).
 */
record HistoryView(long intervalMs, long windowMs, List<SeriesView> series) {

    record SeriesView(String metric, String unit, String topic, Integer partition, Integer nodeId, long[] times,
                      double[] values) {

        static SeriesView of(MetricsHistory.Series series) {
            SeriesKey key = series.key();
            return new SeriesView(key.metric().apiName(), key.metric().unit(), key.topic(), key.partition(),
                    key.node(), series.points().times(), series.points().values());
        }
    }
}
