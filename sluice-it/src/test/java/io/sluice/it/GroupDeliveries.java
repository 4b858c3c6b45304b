package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * The group history checker of the group suites: records delivered to the members of one group on one topic, by member
 * session — each session's deliveries of a partition in order, and which sessions owned which partitions (from
 * assignment events and poll answers) — judged against the group's at-least-once promise (docs/api.md):
 * <ul>
 *   <li>no skip: every offset from where the group first owned a partition up to its final committed offset (or the
 *       end of what was produced) reached some member ({@link #check});</li>
 *   <li>repeats only at hand-offs: a record comes twice only to a partition's next owner, never twice within one
 *       ownership ({@link #assertDuplicatesOnlyAtHandOffs}).</li>
 * </ul>
 * Thread-safe: each session's events come from its own thread.
 */
final class GroupDeliveries {

    private final Map<String, List<String>> bySession = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> deliveredBy = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> times = new ConcurrentHashMap<>();
    private final List<String> repeatsWithinAnOwnership = new CopyOnWriteArrayList<>();

    /**
     * The events of one member session. An {@code assignment} event (an SSE member's, or a poll answer) ends the
     * ownership of partitions it no longer lists; within one ownership a record must not come twice.
     */
    Consumer<GroupSse.Event> session(String name) {
        bySession.put(name, new CopyOnWriteArrayList<>());
        Map<Integer, Set<Long>> owning = new ConcurrentHashMap<>();
        return event -> {
            if (event.type().equals("error")) {
                throw new AssertionError(name + " got an error event: " + event.data());
            }
            if (event.type().equals("assignment")) {
                Set<Integer> assigned = new java.util.HashSet<>();
                event.data().get("assignment").forEach(topic ->
                        topic.get("partitions").forEach(p -> assigned.add(p.asInt())));
                owning.keySet().retainAll(assigned);
                // Asked back and given again in one step (the gateway released it and the same answer assigned
                // it anew): a new ownership, which starts again from the committed offset. Only SSE assignment
                // events name what was asked back; a poll answer lists what the member owns now.
                JsonNode revoked = event.data().get("revoked");
                if (revoked != null) {
                    revoked.forEach(topic -> topic.get("partitions").forEach(p -> owning.remove(p.asInt())));
                }
                return;
            }
            int partition = event.data().get("partition").asInt();
            long offset = event.data().get("offset").asLong();
            if (!owning.computeIfAbsent(partition, p -> ConcurrentHashMap.newKeySet()).add(offset)) {
                repeatsWithinAnOwnership.add(name + " " + partition + ":" + offset);
            }
            String key = partition + ":" + offset;
            bySession.get(name).add(key);
            times.computeIfAbsent(key, k -> new LongAdder()).increment();
            deliveredBy.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(name);
        };
    }

    Set<String> sessionsThatDelivered() {
        Set<String> names = new java.util.TreeSet<>();
        bySession.forEach((name, keys) -> {
            if (!keys.isEmpty()) {
                names.add(name);
            }
        });
        return names;
    }

    /** The first offset of each partition that session {@code name} was given. */
    Map<Integer, Long> firstOffsets(String name) {
        Map<Integer, Long> first = new TreeMap<>();
        for (String key : bySession.getOrDefault(name, List.of())) {
            int colon = key.indexOf(':');
            first.putIfAbsent(Integer.parseInt(key.substring(0, colon)), Long.parseLong(key.substring(colon + 1)));
        }
        return first;
    }

    /** Every delivery, repeats included. */
    long deliveries() {
        return bySession.values().stream().mapToLong(List::size).sum();
    }

    int distinct() {
        return deliveredBy.size();
    }

    /** Partitions short of {@code perPartition} records: how many came, the first missing, who sent what next. */
    String missing(int partitions, int perPartition) {
        List<String> incomplete = new ArrayList<>();
        for (int partition = 0; partition < partitions; partition++) {
            int p = partition;
            long firstMissing = java.util.stream.LongStream.range(0, perPartition)
                    .filter(offset -> !deliveredBy.containsKey(p + ":" + offset)).findFirst().orElse(-1);
            if (firstMissing >= 0) {
                long count = deliveredBy.keySet().stream().filter(key -> key.startsWith(p + ":")).count();
                String lastBy = firstMissing == 0 ? "nobody"
                        : String.valueOf(deliveredBy.get(p + ":" + (firstMissing - 1)));
                incomplete.add("partition " + p + ": " + count + " records, first missing offset " + firstMissing
                        + " (the one before it delivered by " + lastBy + "); from there: "
                        + runs(p, Math.max(0, firstMissing - 1), perPartition));
            }
        }
        return String.join("; ", incomplete);
    }

    /** Offsets {@code from} up to {@code end} of {@code partition} as runs: "a-b by [who]" or "a-b missing". */
    private String runs(int partition, long from, long end) {
        List<String> runs = new ArrayList<>();
        long start = from;
        Object owner = deliveredBy.get(partition + ":" + from);
        for (long offset = from + 1; offset <= end && runs.size() < 12; offset++) {
            Object next = offset == end ? "end" : deliveredBy.get(partition + ":" + offset);
            if (!Objects.equals(next, owner)) {
                runs.add(start + "-" + (offset - 1) + (owner == null ? " missing" : " by " + owner));
                start = offset;
                owner = next;
            }
        }
        return String.join(", ", runs);
    }

    /** A record delivered twice was delivered at a hand-off of its partition, never twice within one ownership. */
    void assertDuplicatesOnlyAtHandOffs() {
        long deliveries = deliveries();
        System.out.printf("[groups] %d records, %d deliveries (%d repeated at hand-offs), %d repeats within one "
                + "ownership%n", deliveredBy.size(), deliveries, deliveries - deliveredBy.size(),
                repeatsWithinAnOwnership.size());
        assertThat(repeatsWithinAnOwnership).as("records delivered twice while their partition stayed assigned")
                .isEmpty();
    }

    /** What {@link #check} found: offsets that reached no member, and how many deliveries were repeats. */
    record Report(List<String> skipped, long deliveries, long distinct) {

        long duplicates() {
            return deliveries - distinct;
        }

        @Override
        public String toString() {
            return distinct + " records, " + deliveries + " deliveries (" + duplicates() + " repeated), "
                    + skipped.size() + " skipped" + (skipped.isEmpty() ? "" : " " + skipped.subList(0,
                    Math.min(12, skipped.size())));
        }
    }

    /**
     * For each partition, the offsets in {@code [from, until)} that reached no member: {@code from} is where the group
     * first owned the partition (0 with {@code earliest}), {@code until} its final committed offset or the end of what
     * was produced. Repeats are counted over those offsets.
     */
    Report check(Map<Integer, Long> from, Map<Integer, Long> until) {
        List<String> skipped = new ArrayList<>();
        long deliveries = 0;
        long distinct = 0;
        for (Map.Entry<Integer, Long> end : new TreeMap<>(until).entrySet()) {
            int partition = end.getKey();
            for (long offset = from.getOrDefault(partition, 0L); offset < end.getValue(); offset++) {
                String key = partition + ":" + offset;
                if (!deliveredBy.containsKey(key)) {
                    skipped.add(key);
                    continue;
                }
                distinct++;
                deliveries += times.get(key).sum();
            }
        }
        return new Report(skipped, deliveries, distinct);
    }
}
