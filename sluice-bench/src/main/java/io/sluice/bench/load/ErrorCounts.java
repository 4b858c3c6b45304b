package io.sluice.bench.load;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Failed records by cause: the API's {@code error_code} (NOT_ENOUGH_REPLICAS, …), {@code HTTP_<status>} for an
 * answer without one, {@code IO_ERROR} when no answer came. The first message seen for each cause is kept to print.
 * Thread-safe.
 */
final class ErrorCounts {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final Map<String, String> firstMessage = new ConcurrentHashMap<>();

    void add(String code, long records, String message) {
        counts.computeIfAbsent(code, c -> new LongAdder()).add(records);
        if (message != null) {
            firstMessage.putIfAbsent(code, message);
        }
    }

    long total() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((code, count) -> out.put(code, count.sum()));
        return out;
    }

    /** "NOT_ENOUGH_REPLICAS:12,IO_ERROR:3" or "-". */
    String compact() {
        Map<String, Long> snapshot = snapshot();
        if (snapshot.isEmpty()) {
            return "-";
        }
        StringBuilder out = new StringBuilder();
        snapshot.forEach((code, count) -> out.append(out.isEmpty() ? "" : ",").append(code).append(':').append(count));
        return out.toString();
    }

    /** One line per cause with its first message, for the human report. */
    String details() {
        return details("records");
    }

    /** As {@link #details()}, for counts of something other than records ("streams"). */
    String details(String unit) {
        StringBuilder out = new StringBuilder();
        snapshot().forEach((code, count) -> out.append("  ").append(code).append(": ").append(count).append(' ')
                .append(unit)
                .append(firstMessage.containsKey(code) ? " (first: " + firstMessage.get(code) + ")" : "").append('\n'));
        return out.toString();
    }
}
