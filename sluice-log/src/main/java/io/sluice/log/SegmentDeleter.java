package io.sluice.log;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Segments removed from a log (by retention or truncation) whose files wait for {@code file.delete.delay.ms}
 * before they are closed and deleted, so that reads already holding a {@link FileRegion} of them can finish. Their
 * files carry the {@code .deleted} suffix meanwhile, so a restart deletes them. Writer-only, like the log state it
 * belongs to; the owner's periodic calls drive it.
 */
final class SegmentDeleter {

    private record Pending(LogSegment segment, long dueMs) {
    }

    private final Deque<Pending> pending = new ArrayDeque<>();

    /** Deletes {@code segment}'s (already renamed) files at {@code dueMs}, or now if that time has come. */
    void schedule(LogSegment segment, long dueMs) throws IOException {
        pending.addLast(new Pending(segment, dueMs));
    }

    /** Deletes the files whose delay has passed by {@code nowMs}. */
    void deleteDue(long nowMs) throws IOException {
        while (!pending.isEmpty() && pending.peekFirst().dueMs() <= nowMs) {
            pending.removeFirst().segment().deleteFiles();
        }
    }

    /** Deletes everything pending (the log is closing). */
    void deleteAll() throws IOException {
        deleteDue(Long.MAX_VALUE);
    }

    int size() {
        return pending.size();
    }
}
