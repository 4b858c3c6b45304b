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
 *   <li>Every task is active on exactly one member, and members' active counts differ by at most one — in total and
 *       within each subtopology.</li>
 *   <li>A member keeps the active tasks its previous target had, as far as the balance allows; the rest go to the
 *       members furthest below their share (then the fewest on their instance, then by member id).</li>
 *   <li>Each stateful task (of a subtopology with state changelog topics: a standby of any other keeps nothing) gets
 *       up to {@code standbys} standby replicas, as Kafka's assignor gives them, each on an instance
 *       ({@code process_id}) that holds the task in no other role — a task is never twice on one instance, whose
 *       members share a state directory. A member that held the task before is preferred (its state is warm), then
 *       one that reported the task's state on its instance, furthest in the changelog first (its task offsets, as
 *       Kafka's sticky assignor ranks its standby candidates), then the least loaded.</li>
 *   <li>No warm-up tasks: this assignor moves an active task at once, as Kafka's sticky assignor does.</li>
 * </ul>
 * Deterministic: the same input always gives the same targets.
 */
final class StreamsAssignor {

    private StreamsAssignor() {
    }

    /**
     * A member as the assignor sees it: its instance, its previous target, and the changelog offset its instance's
     * local state reached per task, as it last reported them.
     */
    record Member(String memberId, String processId, Tasks previous, Map<TaskId, Long> offsets) {

        Member {
            offsets = Map.copyOf(offsets);
        }
    }

    /**
     * The members' targets: every one of {@code tasks} active once, and standbys of those of the {@code stateful}
     * subtopologies.
     */
    static SortedMap<String, Tasks> assign(List<Member> members, SortedSet<TaskId> tasks, Set<String> stateful,
                                           int standbys) {
        SortedMap<String, Tasks> targets = new TreeMap<>();
        if (members.isEmpty()) {
            return targets;
        }
        List<Member> ordered = members.stream().sorted(Comparator.comparing(Member::memberId)).toList();
        Map<String, Set<TaskId>> active = assignActive(ordered, tasks);
        SortedSet<TaskId> withState = new TreeSet<>();
        tasks.stream().filter(task -> stateful.contains(task.subtopology())).forEach(withState::add);
        Map<String, Set<TaskId>> standby = assignStandbys(ordered, withState, active, standbys);
        for (Member member : ordered) {
            targets.put(member.memberId(), new Tasks(active.get(member.memberId()), standby.get(member.memberId()),
                    Set.of()));
        }
        return targets;
    }

    /**
     * Active tasks subtopology by subtopology, so that each member has its share of every subtopology (they differ in
     * cost: a member with only the first subtopology's tasks would do none of the counting): of a subtopology's tasks
     * every member gets the floor of its share, and the remainder go one each to the members with the fewest tasks so
     * far (those that held more of the subtopology first), which keeps the totals within one of each other too. A
     * member keeps its previous tasks up to its quota; the rest go to the members furthest below theirs.
     */
    private static Map<String, Set<TaskId>> assignActive(List<Member> members, SortedSet<TaskId> tasks) {
        Map<String, Set<TaskId>> active = new HashMap<>();
        members.forEach(member -> active.put(member.memberId(), new TreeSet<>()));
        Map<String, String> processOf = new HashMap<>();
        members.forEach(member -> processOf.put(member.memberId(), member.processId()));
        SortedMap<String, List<TaskId>> bySubtopology = new TreeMap<>();
        tasks.forEach(task -> bySubtopology.computeIfAbsent(task.subtopology(), s -> new ArrayList<>()).add(task));
        for (List<TaskId> subtopologyTasks : bySubtopology.values()) {
            Set<TaskId> these = new HashSet<>(subtopologyTasks);
            Map<String, List<TaskId>> previous = new HashMap<>();
            Set<TaskId> claimed = new HashSet<>();
            for (Member member : members) {
                List<TaskId> held = member.previous().active().stream()
                        .filter(task -> these.contains(task) && claimed.add(task)).toList();
                previous.put(member.memberId(), held);
            }
            int floor = subtopologyTasks.size() / members.size();
            int extras = subtopologyTasks.size() % members.size();
            Map<String, Integer> quota = new HashMap<>();
            List<Member> byLoad = members.stream().sorted(Comparator
                    .comparingInt((Member m) -> active.get(m.memberId()).size())
                    .thenComparingInt(m -> -previous.get(m.memberId()).size())
                    .thenComparing(Member::memberId)).toList();
            for (int i = 0; i < byLoad.size(); i++) {
                quota.put(byLoad.get(i).memberId(), floor + (i < extras ? 1 : 0));
            }
            Map<String, Integer> taken = new HashMap<>();
            Set<TaskId> placed = new HashSet<>();
            for (Member member : members) {
                int kept = 0;
                for (TaskId task : previous.get(member.memberId())) {
                    if (kept < quota.get(member.memberId())) {
                        active.get(member.memberId()).add(task);
                        placed.add(task);
                        kept++;
                    }
                }
                taken.put(member.memberId(), kept);
            }
            for (TaskId task : subtopologyTasks) {
                if (placed.contains(task)) {
                    continue;
                }
                Map<String, Integer> perProcess = load(members, active);
                Member chosen = members.stream()
                        .filter(m -> taken.get(m.memberId()) < quota.get(m.memberId()))
                        .min(Comparator.comparingInt((Member m) -> taken.get(m.memberId()) - quota.get(m.memberId()))
                                .thenComparingInt(m -> perProcess.getOrDefault(processOf.get(m.memberId()), 0))
                                .thenComparing(Member::memberId))
                        .orElseThrow();
                active.get(chosen.memberId()).add(task);
                taken.merge(chosen.memberId(), 1, Integer::sum);
            }
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
                        .thenComparing((Member m) -> m.offsets().get(task),
                                Comparator.nullsLast(Comparator.<Long>reverseOrder()))
                        .thenComparingInt(m -> active.get(m.memberId()).size() + standby.get(m.memberId()).size())
                        .thenComparing(Member::memberId)).orElseThrow();
                standby.get(chosen.memberId()).add(task);
                processes.add(chosen.processId());
            }
        }
        return standby;
    }
}
