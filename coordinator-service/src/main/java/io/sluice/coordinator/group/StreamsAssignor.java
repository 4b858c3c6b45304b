package io.sluice.coordinator.group;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The streams group's task assignor, sticky and balanced as Kafka's server-side "sticky" task assignor is meant to be:
 * <ul>
 *   <li>Every task is active on exactly one member, and members' active counts differ by at most one.</li>
 *   <li>A member keeps the active tasks its previous target had, as far as the balance allows; the rest go to the
 *       members with the fewest (then the fewest on their instance, then by member id).</li>
 *   <li>Each task gets up to {@code standbys} standby replicas, each on an instance ({@code process_id}) that holds the
 *       task in no other role — a task is never twice on one instance, whose members share a state directory. A
 *       member that held the task before is preferred (its state is warm), then the least loaded.</li>
 *   <li>No warm-up tasks: this assignor moves an active task at once, as Kafka's sticky assignor does.</li>
 * </ul>
 * Deterministic: the same input always gives the same targets.
 */
final class StreamsAssignor {

    private StreamsAssignor() {
    }

    /** A member as the assignor sees it: its instance and its previous target. */
    record Member(String memberId, String processId, Tasks previous) {
    }

    static SortedMap<String, Tasks> assign(List<Member> members, SortedSet<TaskId> tasks, int standbys) {
        SortedMap<String, Tasks> targets = new TreeMap<>();
        if (members.isEmpty()) {
            return targets;
        }
        List<Member> ordered = members.stream().sorted(Comparator.comparing(Member::memberId)).toList();
        Map<String, Set<TaskId>> active = assignActive(ordered, tasks);
        Map<String, Set<TaskId>> standby = assignStandbys(ordered, tasks, active, standbys);
        for (Member member : ordered) {
            targets.put(member.memberId(), new Tasks(active.get(member.memberId()), standby.get(member.memberId()),
                    Set.of()));
        }
        return targets;
    }

    private static Map<String, Set<TaskId>> assignActive(List<Member> members, SortedSet<TaskId> tasks) {
        int floor = tasks.size() / members.size();
        int slotsAboveFloor = tasks.size() % members.size();
        Map<String, Set<TaskId>> active = new HashMap<>();
        Set<TaskId> taken = new HashSet<>();
        for (Member member : members) {
            Set<TaskId> kept = new TreeSet<>();
            for (TaskId task : member.previous().active()) {
                if (!tasks.contains(task) || taken.contains(task)) {
                    continue;
                }
                if (kept.size() < floor || kept.size() == floor && slotsAboveFloor > 0) {
                    if (kept.size() == floor) {
                        slotsAboveFloor--;
                    }
                    kept.add(task);
                    taken.add(task);
                }
            }
            active.put(member.memberId(), kept);
        }
        Map<String, String> processOf = new HashMap<>();
        members.forEach(member -> processOf.put(member.memberId(), member.processId()));
        for (TaskId task : tasks) {
            if (taken.contains(task)) {
                continue;
            }
            Map<String, Integer> perProcess = load(members, active);
            Member least = members.stream().min(Comparator
                    .comparingInt((Member m) -> active.get(m.memberId()).size())
                    .thenComparingInt(m -> perProcess.getOrDefault(processOf.get(m.memberId()), 0))
                    .thenComparing(Member::memberId)).orElseThrow();
            active.get(least.memberId()).add(task);
            taken.add(task);
        }
        return active;
    }

    private static Map<String, Integer> load(List<Member> members, Map<String, Set<TaskId>> tasks) {
        Map<String, Integer> perProcess = new HashMap<>();
        members.forEach(m -> perProcess.merge(m.processId(), tasks.get(m.memberId()).size(), Integer::sum));
        return perProcess;
    }

    private static Map<String, Set<TaskId>> assignStandbys(List<Member> members, SortedSet<TaskId> tasks,
                                                           Map<String, Set<TaskId>> active, int standbys) {
        Map<String, Set<TaskId>> standby = new HashMap<>();
        members.forEach(member -> standby.put(member.memberId(), new TreeSet<>()));
        if (standbys < 1) {
            return standby;
        }
        Map<TaskId, Set<String>> holders = new HashMap<>();
        for (Member member : members) {
            active.get(member.memberId()).forEach(task -> holders.computeIfAbsent(task, t -> new HashSet<>())
                    .add(member.processId()));
        }
        for (TaskId task : tasks) {
            Set<String> processes = holders.computeIfAbsent(task, t -> new HashSet<>());
            for (int replica = 0; replica < standbys; replica++) {
                List<Member> candidates = new ArrayList<>();
                for (Member member : members) {
                    if (!processes.contains(member.processId())) {
                        candidates.add(member);
                    }
                }
                if (candidates.isEmpty()) {
                    break;
                }
                Member chosen = candidates.stream().min(Comparator
                        .comparing((Member m) -> m.previous().all().contains(task) ? 0 : 1)
                        .thenComparingInt(m -> active.get(m.memberId()).size() + standby.get(m.memberId()).size())
                        .thenComparing(Member::memberId)).orElseThrow();
                standby.get(chosen.memberId()).add(task);
                processes.add(chosen.processId());
            }
        }
        return standby;
    }
}
