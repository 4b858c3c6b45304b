package io.sluice.bench.load;

import java.util.OptionalDouble;

/**
 * The gateway's counts of the fetches its SSE streams made at partition leaders, as its Prometheus endpoint shows
 * them: {@value #TAIL} (the long polls of the shared per-partition tails) and {@value #OWN} (reads of subscribers
 * that were behind a tail), each summed over its series. The counters carry no topic tag: they count every SSE
 * stream on that gateway, not only one run's.
 */
record SseFetchCounters(double tail, double own) {

    static final String TAIL = "sluice_gateway_sse_tail_fetches_total";
    static final String OWN = "sluice_gateway_sse_own_fetches_total";

    /** Both counters from a text exposition; throws when either is absent (a gateway without the SSE tails). */
    static SseFetchCounters parse(String exposition) {
        OptionalDouble tail = sum(exposition, TAIL);
        OptionalDouble own = sum(exposition, OWN);
        if (tail.isEmpty() || own.isEmpty()) {
            throw new IllegalArgumentException("the exposition has no " + (tail.isEmpty() ? TAIL : OWN));
        }
        return new SseFetchCounters(tail.getAsDouble(), own.getAsDouble());
    }

    /**
     * The sum of every sample of metric {@code name} (any labels) in a Prometheus text exposition; empty when there
     * is none. Label values are quoted and may hold spaces, braces and escaped quotes, so they are skipped as such.
     */
    static OptionalDouble sum(String exposition, String name) {
        double sum = 0;
        boolean found = false;
        for (String line : exposition.split("\n")) {
            if (!line.startsWith(name) || line.length() == name.length()) {
                continue;
            }
            int at = name.length();
            char next = line.charAt(at);
            if (next == '{') {
                at = labelsEnd(line, at);
                if (at < 0) {
                    continue;
                }
            } else if (next != ' ' && next != '\t') {
                continue; // a longer name that starts alike
            }
            String[] rest = line.substring(at).trim().split("\\s+"); // value, then maybe a timestamp
            try {
                sum += Double.parseDouble(rest[0]);
                found = true;
            } catch (NumberFormatException e) {
                // not a sample line after all
            }
        }
        return found ? OptionalDouble.of(sum) : OptionalDouble.empty();
    }

    /** The index just after the '}' closing the labels that open at {@code open}, or -1. */
    private static int labelsEnd(String line, int open) {
        boolean quoted = false;
        for (int i = open + 1; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == '}') {
                return i + 1;
            }
        }
        return -1;
    }

    SseFetchCounters minus(SseFetchCounters earlier) {
        return new SseFetchCounters(tail - earlier.tail, own - earlier.own);
    }

    double total() {
        return tail + own;
    }
}
