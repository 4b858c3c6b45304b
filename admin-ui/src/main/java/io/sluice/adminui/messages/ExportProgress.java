package io.sluice.adminui.messages;

/**
 * How far one export is, as its page polls it: {@code total} offsets in its range (from the partitions' offsets when
 * it started), {@code position} of them passed, {@code scanned} records read and {@code exported} written to the file;
 * {@code finished} when the file is complete or the export stopped, with {@code problem} saying why it stopped (null
 * when it did not). Written by the export's one subscription, read by the page's polls.
 */
final class ExportProgress {

    private volatile long total;
    private volatile long position;
    private volatile long scanned;
    private volatile long exported;
    private volatile boolean started;
    private volatile boolean finished;
    private volatile String problem;

    void start(long total) {
        this.total = total;
        this.started = true;
    }

    void page(long offsets, long records, long kept) {
        position += offsets;
        scanned += records;
        exported += kept;
    }

    void finish(String problem) {
        this.problem = problem;
        this.finished = true;
    }

    public boolean started() {
        return started;
    }

    public long total() {
        return total;
    }

    public long scanned() {
        return scanned;
    }

    public long exported() {
        return exported;
    }

    public boolean finished() {
        return finished;
    }

    public String problem() {
        return problem;
    }

    public int percent() {
        return total == 0 ? 100 : (int) Math.min(100, position * 100 / total);
    }
}
