package io.sluice.coordinator.group;

import io.sluice.internal.streams.TaskIds;
import io.sluice.protocol.ErrorCode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/** A streams member's tasks in their three roles. Immutable; sets sorted, so equal tasks store as equal documents. */
record Tasks(SortedSet<TaskId> active, SortedSet<TaskId> standby, SortedSet<TaskId> warmup) {

    static final Tasks NONE = new Tasks(Set.of(), Set.of(), Set.of());

    Tasks(Set<TaskId> active, Set<TaskId> standby, Set<TaskId> warmup) {
        this(sorted(active), sorted(standby), sorted(warmup));
    }

    Tasks {
        active = sorted(active);
        standby = sorted(standby);
        warmup = sorted(warmup);
    }

    private static SortedSet<TaskId> sorted(Set<TaskId> tasks) {
        return Collections.unmodifiableSortedSet(new TreeSet<>(tasks == null ? Set.of() : tasks));
    }

    boolean isEmpty() {
        return active.isEmpty() && standby.isEmpty() && warmup.isEmpty();
    }

    /** Every task in any role. */
    SortedSet<TaskId> all() {
        SortedSet<TaskId> all = new TreeSet<>(active);
        all.addAll(standby);
        all.addAll(warmup);
        return all;
    }

    Tasks plus(Tasks other) {
        return new Tasks(union(active, other.active), union(standby, other.standby), union(warmup, other.warmup));
    }

    Tasks minus(Tasks other) {
        return new Tasks(difference(active, other.active), difference(standby, other.standby),
                difference(warmup, other.warmup));
    }

    Tasks intersect(Tasks other) {
        return new Tasks(common(active, other.active), common(standby, other.standby), common(warmup, other.warmup));
    }

    /** Whether any task of {@code other} is here in the same role. */
    boolean overlaps(Tasks other) {
        return !intersect(other).isEmpty();
    }

    private static Set<TaskId> union(Set<TaskId> a, Set<TaskId> b) {
        Set<TaskId> result = new TreeSet<>(a);
        result.addAll(b);
        return result;
    }

    private static Set<TaskId> difference(Set<TaskId> a, Set<TaskId> b) {
        Set<TaskId> result = new TreeSet<>(a);
        result.removeAll(b);
        return result;
    }

    private static Set<TaskId> common(Set<TaskId> a, Set<TaskId> b) {
        Set<TaskId> result = new TreeSet<>(a);
        result.retainAll(b);
        return result;
    }

    /** The tasks of a heartbeat, or null when the member did not say (all three lists null). */
    static Tasks fromRequest(List<TaskIds> active, List<TaskIds> standby, List<TaskIds> warmup) {
        if (active == null && standby == null && warmup == null) {
            return null;
        }
        return new Tasks(read(active, "active_tasks"), read(standby, "standby_tasks"), read(warmup, "warmup_tasks"));
    }

    private static Set<TaskId> read(List<TaskIds> list, String field) {
        Set<TaskId> tasks = new TreeSet<>();
        if (list == null) {
            return tasks;
        }
        for (TaskIds entry : list) {
            if (entry == null || entry.subtopologyId() == null || entry.partitions() == null) {
                throw ErrorCode.INVALID_REQUEST.exception(field + " entries need a subtopology_id and partitions");
            }
            for (Integer partition : entry.partitions()) {
                if (partition == null || partition < 0) {
                    throw ErrorCode.INVALID_REQUEST.exception(field + " has partition " + partition + " of subtopology "
                            + entry.subtopologyId());
                }
                tasks.add(new TaskId(entry.subtopologyId(), partition));
            }
        }
        return tasks;
    }

    /** Tasks as the API lists them: by subtopology, partitions ascending. */
    static List<TaskIds> list(Set<TaskId> tasks) {
        SortedMap<String, List<Integer>> bySubtopology = new TreeMap<>();
        new TreeSet<>(tasks).forEach(task -> bySubtopology.computeIfAbsent(task.subtopology(), s -> new ArrayList<>())
                .add(task.partition()));
        return bySubtopology.entrySet().stream().map(e -> new TaskIds(e.getKey(), e.getValue())).toList();
    }
}
