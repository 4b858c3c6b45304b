package io.sluice.coordinator.group;

import io.sluice.internal.metadata.ClusterMetadata;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.internal.streams.StreamsHeartbeatRequest;
import io.sluice.internal.streams.StreamsHeartbeatResponse;
import io.sluice.internal.streams.StreamsTopology;
import io.sluice.internal.streams.StreamsTopology.InternalTopic;
import io.sluice.internal.streams.StreamsTopology.Subtopology;
import io.sluice.internal.streams.TaskIds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The streams group tests' application and cluster: a word count's shape. Subtopology {@code 0} reads {@code lines}
 * and writes the repartition topic {@code app-repartition}; subtopology {@code 1} reads it into a store with the
 * changelog {@code app-store-changelog}.
 */
final class StreamsTestTopology {

    static final String SOURCE = "lines";
    static final String REPARTITION = "app-repartition";
    static final String CHANGELOG = "app-store-changelog";

    static final StreamsTopology TOPOLOGY = new StreamsTopology(0, List.of(
            new Subtopology("0", List.of(SOURCE), List.of(), List.of(), List.of(REPARTITION), List.of(), List.of()),
            new Subtopology("1", List.of(), List.of(), List.of(new InternalTopic(CHANGELOG, 0, 0,
                    Map.of("cleanup.policy", "compact"))), List.of(), List.of(new InternalTopic(REPARTITION, 0, 0,
                    Map.of("cleanup.policy", "delete"))), List.of())));

    static final GroupSettings LIMITS = new GroupSettings(45_000, 100, 1_800_000, 300_000, 1_800_000, 5_000, 4096);

    private StreamsTestTopology() {
    }

    /** The cluster with these topics and partition counts, every partition on node 1. */
    static MetadataView view(Map<String, Integer> topics) {
        List<TopicMetadata> metadata = new ArrayList<>();
        new TreeMap<>(topics).forEach((name, partitions) -> {
            List<PartitionState> states = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                states.add(new PartitionState(p, List.of(1), 1, List.of(1), 0, 0));
            }
            metadata.add(new TopicMetadata(name, name + "-id", 1, Map.of(), states));
        });
        return new MetadataView(new ClusterMetadata(1, null, List.of(), metadata));
    }

    static StreamsHeartbeatRequest join(String memberId, String processId) {
        return new StreamsHeartbeatRequest(memberId, StreamsHeartbeatRequest.JOIN, null, null, 60_000, TOPOLOGY,
                List.of(), List.of(), List.of(), processId, null, Map.of(), false, "client", "/127.0.0.1", null,
                null);
    }

    static StreamsHeartbeatRequest heartbeat(String memberId, int epoch, Tasks owned) {
        return new StreamsHeartbeatRequest(memberId, epoch, null, null, null, null,
                owned == null ? null : Tasks.list(owned.active()), owned == null ? null : Tasks.list(owned.standby()),
                owned == null ? null : Tasks.list(owned.warmup()), null, null, null, false, null, null, null, null);
    }

    static StreamsHeartbeatRequest leave(String memberId) {
        return new StreamsHeartbeatRequest(memberId, StreamsHeartbeatRequest.LEAVE, null, null, null, null, null, null,
                null, null, null, null, false, null, null, null, null);
    }

    /** The tasks an answer assigns. */
    static Tasks tasks(StreamsHeartbeatResponse answer) {
        return new Tasks(read(answer.activeTasks()), read(answer.standbyTasks()), read(answer.warmupTasks()));
    }

    static Set<TaskId> read(List<TaskIds> list) {
        Set<TaskId> tasks = new TreeSet<>();
        list.forEach(ids -> ids.partitions().forEach(p -> tasks.add(new TaskId(ids.subtopologyId(), p))));
        return tasks;
    }

    static Set<TaskId> tasks(String subtopology, int... partitions) {
        Set<TaskId> tasks = new TreeSet<>();
        for (int p : partitions) {
            tasks.add(new TaskId(subtopology, p));
        }
        return tasks;
    }
}
