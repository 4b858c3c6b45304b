package io.sluice.coordinator.group;

import java.util.Comparator;

/**
 * A task of a streams group: a subtopology and a partition number. Active task {@code (s, p)} reads partition
 * {@code p} of every source topic of subtopology {@code s} that has one.
 */
record TaskId(String subtopology, int partition) implements Comparable<TaskId> {

    private static final Comparator<TaskId> ORDER = Comparator.comparing(TaskId::subtopology)
            .thenComparingInt(TaskId::partition);

    @Override
    public int compareTo(TaskId other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return subtopology + "_" + partition;
    }
}
