package io.sluice.cli;

import java.io.PrintWriter;

/** A progress line on standard error, rewritten at most once a second: {@code produced 12000 records (4000/s)}. */
final class Progress {

    private final PrintWriter err;
    private final String verb;
    private final long started = System.nanoTime();
    private long lastPrinted = started;

    Progress(PrintWriter err, String verb) {
        this.err = err;
        this.verb = verb;
    }

    void update(long count) {
        long now = System.nanoTime();
        if (now - lastPrinted >= 1_000_000_000L) {
            lastPrinted = now;
            print(count, now, false);
        }
    }

    void done(long count) {
        print(count, System.nanoTime(), true);
    }

    private void print(long count, long now, boolean last) {
        double seconds = Math.max(1e-3, (now - started) / 1e9);
        err.printf("\r%s %d records (%.0f/s)%s", verb, count, count / seconds, last ? "\n" : "");
        err.flush();
    }
}
