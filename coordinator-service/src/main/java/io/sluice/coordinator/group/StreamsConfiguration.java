package io.sluice.coordinator.group;

import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.internal.streams.StreamsStatus;
import io.sluice.internal.streams.StreamsTopology;
import io.sluice.internal.streams.StreamsTopology.CopartitionGroup;
import io.sluice.internal.streams.StreamsTopology.InternalTopic;
import io.sluice.internal.streams.StreamsTopology.Subtopology;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.TopicNames;
import io.sluice.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A streams group's topology set against the cluster as it is (KIP-1071's "configured topology"): the topics each
 * subtopology reads, how many partitions each internal topic must have, how many tasks each subtopology has, and what
 * keeps the group from being assigned. Pure; computed again whenever the group or the topics change.
 *
 * <p>The partition counts, as Kafka Streams' own assignor and Kafka's group coordinator compute them:
 * <ul>
 *   <li>A repartition topic has the partitions the topology gives it, or else as many as the subtopologies writing
 *       it have tasks (the most, when several do), resolved until nothing changes.</li>
 *   <li>A copartition group's user topics must all have the same count (INCORRECTLY_PARTITIONED_TOPICS otherwise),
 *       and its repartition topics without a count of their own take it.</li>
 *   <li>A subtopology has as many tasks as its source topics' largest partition count; each changelog topic of it has
 *       that many partitions.</li>
 *   <li>An internal topic that exists with another count is INCORRECTLY_PARTITIONED_TOPICS; one that does not exist is
 *       MISSING_INTERNAL_TOPICS and is listed for the coordinator to create.</li>
 * </ul>
 *
 * @param tasks       each subtopology's task count (complete only when {@link #ready()})
 * @param sources     each subtopology's source topics: user topics (regular expressions resolved) and repartition
 *                    topics
 * @param internal    every internal topic with its resolved partition count (0 where it could not be resolved)
 * @param statuses    what keeps the group from being assigned; empty when it is ready
 * @param missing     the internal topics to create
 * @param topics      every topic of the topology that exists, with its id and partition count: when this changes,
 *                    the group's assignment is computed again
 */
record StreamsConfiguration(SortedMap<String, Integer> tasks, SortedMap<String, List<String>> sources,
                            SortedMap<String, InternalTopic> internal, List<StreamsStatus> statuses,
                            List<InternalTopic> missing, SortedMap<String, SubscribedTopic> topics) {

    boolean ready() {
        return statuses.isEmpty();
    }

    /** Every task of the topology, when it is ready. */
    SortedSet<TaskId> allTasks() {
        SortedSet<TaskId> all = new TreeSet<>();
        tasks.forEach((subtopology, count) -> {
            for (int p = 0; p < count; p++) {
                all.add(new TaskId(subtopology, p));
            }
        });
        return all;
    }

    /** The partitions {@code tasks} read: partition {@code p} of each source topic of their subtopology that has it. */
    SortedSet<TopicPartition> partitions(Set<TaskId> tasksRead, Map<String, Integer> partitionCounts) {
        SortedSet<TopicPartition> partitions = new TreeSet<>();
        for (TaskId task : tasksRead) {
            for (String topic : sources.getOrDefault(task.subtopology(), List.of())) {
                Integer count = partitionCounts.get(topic);
                if (count != null && task.partition() < count) {
                    partitions.add(new TopicPartition(topic, task.partition()));
                }
            }
        }
        return partitions;
    }

    /** The partition count of every topic of the topology that exists or is resolved. */
    Map<String, Integer> partitionCounts() {
        Map<String, Integer> counts = new TreeMap<>();
        topics.forEach((name, topic) -> counts.put(name, topic.partitions()));
        internal.forEach((name, topic) -> counts.putIfAbsent(name, topic.partitions()));
        return counts;
    }

    /**
     * Refuses, as STREAMS_INVALID_TOPOLOGY, a topology that no cluster could run: no subtopologies, an id missing or
     * named twice, a subtopology reading nothing, a topic name or regular expression that is not one, a copartition
     * index out of range, a repartition topic written but read by no subtopology.
     */
    static void validate(StreamsTopology topology) {
        if (topology.subtopologies().isEmpty()) {
            throw invalid("A topology has at least one subtopology");
        }
        Set<String> ids = new HashSet<>();
        Set<String> repartitionSources = new HashSet<>();
        for (Subtopology subtopology : topology.subtopologies()) {
            if (subtopology.id() == null || subtopology.id().isEmpty()) {
                throw invalid("Every subtopology has a subtopology_id");
            }
            if (!ids.add(subtopology.id())) {
                throw invalid("Subtopology " + subtopology.id() + " is named twice");
            }
            if (subtopology.sourceTopics().isEmpty() && subtopology.sourceTopicRegex().isEmpty()
                    && subtopology.repartitionSourceTopics().isEmpty()) {
                throw invalid("Subtopology " + subtopology.id() + " reads no topic");
            }
            subtopology.sourceTopics().forEach(StreamsConfiguration::validName);
            subtopology.repartitionSinkTopics().forEach(StreamsConfiguration::validName);
            for (String regex : subtopology.sourceTopicRegex()) {
                try {
                    Pattern.compile(regex);
                } catch (PatternSyntaxException | NullPointerException e) {
                    throw invalid("Subtopology " + subtopology.id() + " has a source_topic_regex that is not a "
                            + "regular expression: " + regex);
                }
            }
            for (InternalTopic topic : internalTopics(subtopology)) {
                validName(topic == null ? null : topic.name());
                if (topic.partitions() < 0 || topic.replicationFactor() < 0) {
                    throw invalid("Internal topic " + topic.name() + " has a negative partition count or "
                            + "replication factor");
                }
            }
            subtopology.repartitionSourceTopics().forEach(topic -> repartitionSources.add(topic.name()));
            for (CopartitionGroup group : subtopology.copartitionGroups()) {
                inRange(group.sourceTopics(), subtopology.sourceTopics().size(), subtopology, "source_topics");
                inRange(group.sourceTopicRegex(), subtopology.sourceTopicRegex().size(), subtopology,
                        "source_topic_regex");
                inRange(group.repartitionSourceTopics(), subtopology.repartitionSourceTopics().size(), subtopology,
                        "repartition_source_topics");
            }
        }
        for (Subtopology subtopology : topology.subtopologies()) {
            for (String sink : subtopology.repartitionSinkTopics()) {
                if (!repartitionSources.contains(sink)) {
                    throw invalid("Subtopology " + subtopology.id() + " writes repartition topic " + sink
                            + ", which no subtopology reads");
                }
            }
        }
    }

    private static List<InternalTopic> internalTopics(Subtopology subtopology) {
        List<InternalTopic> topics = new ArrayList<>(subtopology.repartitionSourceTopics());
        topics.addAll(subtopology.stateChangelogTopics());
        return topics;
    }

    private static void validName(String name) {
        if (name == null || !TopicNames.isValid(name)) {
            throw invalid("'" + name + "' is not a topic name");
        }
    }

    private static void inRange(List<Integer> indexes, int size, Subtopology subtopology, String field) {
        for (Integer index : indexes) {
            if (index == null || index < 0 || index >= size) {
                throw invalid("A copartition group of subtopology " + subtopology.id() + " names index " + index
                        + " of its " + field + ", which has " + size);
            }
        }
    }

    private static RuntimeException invalid(String message) {
        return ErrorCode.STREAMS_INVALID_TOPOLOGY.exception(message);
    }

    /** The topology set against the cluster's topics now. */
    static StreamsConfiguration configure(StreamsTopology topology, MetadataView view) {
        Map<String, Integer> counts = new TreeMap<>();
        SortedMap<String, SubscribedTopic> existing = new TreeMap<>();
        SortedMap<String, List<String>> sources = new TreeMap<>();
        Set<String> missingSources = new TreeSet<>();
        Map<String, InternalTopic> declared = new LinkedHashMap<>();
        for (Subtopology subtopology : topology.subtopologies()) {
            List<String> reads = new ArrayList<>();
            for (String name : subtopology.sourceTopics()) {
                reads.add(name);
                if (!note(view, name, counts, existing)) {
                    missingSources.add(name);
                }
            }
            for (String regex : subtopology.sourceTopicRegex()) {
                List<String> matched = matching(regex, view);
                if (matched.isEmpty()) {
                    missingSources.add("/" + regex + "/");
                }
                matched.forEach(name -> {
                    reads.add(name);
                    note(view, name, counts, existing);
                });
            }
            for (InternalTopic topic : internalTopics(subtopology)) {
                declared.putIfAbsent(topic.name(), topic);
                note(view, topic.name(), counts, existing);
            }
            subtopology.repartitionSourceTopics().forEach(topic -> reads.add(topic.name()));
            sources.put(subtopology.id(), reads.stream().distinct().toList());
        }
        List<StreamsStatus> statuses = new ArrayList<>();
        if (!missingSources.isEmpty()) {
            statuses.add(new StreamsStatus(StreamsStatus.Code.MISSING_SOURCE_TOPICS, "Source topics "
                    + String.join(", ", missingSources) + " are missing."));
            return new StreamsConfiguration(new TreeMap<>(), sources, resolved(declared, Map.of()), statuses,
                    List.of(), existing);
        }

        Map<String, Integer> required = repartitionCounts(topology, sources, counts);
        List<String> badlyCopartitioned = new ArrayList<>();
        copartition(topology, counts, required, badlyCopartitioned, view);
        SortedMap<String, Integer> tasks = new TreeMap<>();
        for (Subtopology subtopology : topology.subtopologies()) {
            int most = 0;
            for (String source : sources.get(subtopology.id())) {
                most = Math.max(most, required.getOrDefault(source, counts.getOrDefault(source, 0)));
            }
            tasks.put(subtopology.id(), most);
            for (InternalTopic changelog : subtopology.stateChangelogTopics()) {
                required.put(changelog.name(), most);
            }
        }
        List<String> wrongCount = new ArrayList<>(badlyCopartitioned);
        List<InternalTopic> missing = new ArrayList<>();
        for (InternalTopic topic : declared.values()) {
            int partitions = required.getOrDefault(topic.name(), 0);
            Integer actual = counts.get(topic.name());
            if (partitions < 1) {
                wrongCount.add(topic.name() + " (its partition count cannot be resolved)");
            } else if (actual == null) {
                missing.add(new InternalTopic(topic.name(), partitions, topic.replicationFactor(), topic.configs()));
            } else if (actual != partitions) {
                wrongCount.add(topic.name() + " (has " + actual + " partitions, needs " + partitions + ")");
            }
        }
        if (!wrongCount.isEmpty()) {
            statuses.add(new StreamsStatus(StreamsStatus.Code.INCORRECTLY_PARTITIONED_TOPICS,
                    "Incorrectly partitioned topics: " + String.join(", ", wrongCount) + "."));
        }
        if (!missing.isEmpty()) {
            statuses.add(new StreamsStatus(StreamsStatus.Code.MISSING_INTERNAL_TOPICS, "Internal topics are missing: "
                    + String.join(", ", missing.stream().map(InternalTopic::name).toList()) + "."));
        }
        return new StreamsConfiguration(tasks, sources, resolved(declared, required), statuses, missing, existing);
    }

    /** Records an existing topic's partition count and id; whether it exists. */
    private static boolean note(MetadataView view, String name, Map<String, Integer> counts,
                                SortedMap<String, SubscribedTopic> existing) {
        TopicMetadata topic = view.topic(name).orElse(null);
        if (topic == null) {
            return false;
        }
        counts.put(name, topic.partitions().size());
        existing.put(name, new SubscribedTopic(topic.id(), topic.partitions().size()));
        return true;
    }

    private static List<String> matching(String regex, MetadataView view) {
        Pattern pattern = Pattern.compile(regex);
        return view.metadata().topics().stream().map(TopicMetadata::name)
                .filter(name -> pattern.matcher(name).matches()).sorted().toList();
    }

    /**
     * Each repartition topic's count: its own, or the most tasks among the subtopologies writing it, resolved until
     * nothing changes (a writer may itself read a repartition topic).
     */
    private static Map<String, Integer> repartitionCounts(StreamsTopology topology,
                                                          SortedMap<String, List<String>> sources,
                                                          Map<String, Integer> counts) {
        Map<String, Integer> required = new TreeMap<>();
        for (Subtopology subtopology : topology.subtopologies()) {
            for (InternalTopic topic : subtopology.repartitionSourceTopics()) {
                if (topic.partitions() > 0) {
                    required.put(topic.name(), topic.partitions());
                }
            }
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Subtopology writer : topology.subtopologies()) {
                int most = 0;
                for (String source : sources.get(writer.id())) {
                    most = Math.max(most, required.getOrDefault(source, counts.getOrDefault(source, 0)));
                }
                for (String sink : writer.repartitionSinkTopics()) {
                    if (fixed(topology, sink) || most <= required.getOrDefault(sink, 0)) {
                        continue;
                    }
                    required.put(sink, most);
                    changed = true;
                }
            }
        }
        return required;
    }

    private static boolean fixed(StreamsTopology topology, String repartitionTopic) {
        return topology.subtopologies().stream().flatMap(s -> s.repartitionSourceTopics().stream())
                .anyMatch(topic -> topic.name().equals(repartitionTopic) && topic.partitions() > 0);
    }

    /**
     * Copartition groups: their user topics must agree on a partition count, which their repartition topics without
     * one of their own take. A group of repartition topics only takes the largest of theirs.
     */
    private static void copartition(StreamsTopology topology, Map<String, Integer> counts,
                                    Map<String, Integer> required,
                                    List<String> problems, MetadataView view) {
        for (Subtopology subtopology : topology.subtopologies()) {
            for (CopartitionGroup group : subtopology.copartitionGroups()) {
                Set<String> user = new TreeSet<>();
                group.sourceTopics().forEach(i -> user.add(subtopology.sourceTopics().get(i)));
                group.sourceTopicRegex().forEach(i -> user.addAll(matching(subtopology.sourceTopicRegex().get(i),
                        view)));
                Set<String> repartition = new TreeSet<>();
                group.repartitionSourceTopics().forEach(i -> repartition.add(
                        subtopology.repartitionSourceTopics().get(i).name()));
                Set<Integer> userCounts = new TreeSet<>();
                user.forEach(topic -> userCounts.add(counts.getOrDefault(topic, 0)));
                if (userCounts.size() > 1) {
                    problems.add("topics " + String.join(", ", user) + " must be copartitioned (they have "
                            + userCounts + " partitions)");
                    continue;
                }
                int count = userCounts.isEmpty()
                        ? repartition.stream().mapToInt(topic -> required.getOrDefault(topic, 0)).max().orElse(0)
                        : userCounts.iterator().next();
                for (String topic : repartition) {
                    if (!fixed(topology, topic)) {
                        required.put(topic, count);
                    } else if (required.get(topic) != count) {
                        problems.add("repartition topic " + topic + " has " + required.get(topic)
                                + " partitions, its copartitioned topics " + count);
                    }
                }
            }
        }
    }

    private static SortedMap<String, InternalTopic> resolved(Map<String, InternalTopic> declared,
                                                             Map<String, Integer> required) {
        SortedMap<String, InternalTopic> resolved = new TreeMap<>();
        declared.forEach((name, topic) -> resolved.put(name, new InternalTopic(name,
                required.getOrDefault(name, topic.partitions()), topic.replicationFactor(), topic.configs())));
        return resolved;
    }
}
