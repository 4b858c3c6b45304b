package io.sluice.gateway.kafka.groups;

import io.sluice.gateway.kafka.GroupAccess;
import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.gateway.kafka.TopicAccess;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.coordinator.CoordinatorApi;
import io.sluice.internal.streams.StreamsEndpoint;
import io.sluice.internal.streams.StreamsHeartbeatRequest;
import io.sluice.internal.streams.StreamsHeartbeatResponse;
import io.sluice.internal.streams.StreamsTopology;
import io.sluice.internal.streams.TaskIds;
import io.sluice.internal.streams.TaskOffset;
import io.sluice.kafka.KafkaRequest;
import io.sluice.kafka.SupportedApis;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.message.StreamsGroupHeartbeatRequestData;
import org.apache.kafka.common.message.StreamsGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.StreamsGroupHeartbeatRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * StreamsGroupHeartbeat (KIP-1071, {@code group.protocol=streams}): a Kafka Streams member's join with its
 * application's topology, its heartbeats and its leave, passed to the coordinator's streams groups. The coordinator
 * sets the topology against the cluster's topics, creates the internal topics it lacks, assigns tasks (active and
 * standby, never one task twice on an instance) and hands them over only once released; every answer carries the
 * group's conditions and all three task lists.
 *
 * <p>Versions 0 and 1: under version 1 the answer's {@code TopologyDescriptionRequired} asks the member for a
 * description of the topology (KIP-1331, {@link StreamsGroupTopologyDescriptionUpdateApi}) while the coordinator has
 * none for its epoch. The task offset interval and the acceptable recovery lag are the group's
 * ({@code streams.task.offset.interval.ms}, {@code streams.acceptable.recovery.lag}); like Kafka 4.4's, the coordinator
 * assigns no warm-up tasks yet; members' task offsets place standby tasks where their state is.
 * Joining or heartbeating needs READ on the group; joining with a topology also
 * DESCRIBE on its named source topics and CREATE on its internal topics (TOPIC_AUTHORIZATION_FAILED otherwise), since
 * the coordinator creates them for the member.
 */
@Component
class StreamsGroupHeartbeatApi implements KafkaApi {

    private final CoordinatorApi coordinator;
    private final GroupAccess groups;
    private final TopicAccess topics;

    StreamsGroupHeartbeatApi(CoordinatorApi coordinator, GroupAccess groups, TopicAccess topics) {
        this.coordinator = coordinator;
        this.groups = groups;
        this.topics = topics;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.STREAMS_GROUP_HEARTBEAT;
    }

    @Override
    public SupportedApis.Versions versions() {
        return new SupportedApis.Versions((short) 0, (short) 1);
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        StreamsGroupHeartbeatRequestData data = ((StreamsGroupHeartbeatRequest) request.body()).data();
        if (!groups.allowed(session, request, AclOperation.READ, data.groupId())) {
            return Mono.just(failed(Errors.GROUP_AUTHORIZATION_FAILED, "The principal may not READ the group"));
        }
        StreamsTopology topology = data.topology() == null ? null : topology(data.topology());
        if (topology != null) {
            String refused = refusedTopic(topology, request, session);
            if (refused != null) {
                return Mono.just(failed(Errors.TOPIC_AUTHORIZATION_FAILED, refused));
            }
        }
        StreamsHeartbeatRequest heartbeat = new StreamsHeartbeatRequest(data.memberId(), data.memberEpoch(),
                data.instanceId(), data.rackId(), data.rebalanceTimeoutMs() < 0 ? null : data.rebalanceTimeoutMs(),
                topology, tasks(data.activeTasks()), tasks(data.standbyTasks()), tasks(data.warmupTasks()),
                data.processId(), data.userEndpoint() == null ? null
                        : new StreamsEndpoint(data.userEndpoint().host(), data.userEndpoint().port()),
                tags(data.clientTags()), data.shutdownApplication(), request.clientId(), session.clientHost(),
                offsets(data.taskOffsets()), offsets(data.taskEndOffsets()));
        return coordinator.streamsGroupHeartbeat(data.groupId(), heartbeat)
                .map(answer -> (ApiMessage) answer(answer, data.endpointInformationEpoch(), request.version()))
                .onErrorResume(e -> ClassicGroupCalls.failed(e, (error, message) -> failed(
                        error == Errors.INCONSISTENT_GROUP_PROTOCOL ? Errors.GROUP_ID_NOT_FOUND : error, message)));
    }

    /** Why the principal may not join with {@code topology}, or null when it may. */
    private String refusedTopic(StreamsTopology topology, KafkaRequest request, KafkaSession session) {
        for (StreamsTopology.Subtopology subtopology : topology.subtopologies()) {
            for (String source : subtopology.sourceTopics()) {
                if (source != null && !topics.allowed(session, request, AclOperation.DESCRIBE, source)) {
                    return "The principal may not DESCRIBE source topic " + source;
                }
            }
            List<StreamsTopology.InternalTopic> internal = new ArrayList<>(subtopology.repartitionSourceTopics());
            internal.addAll(subtopology.stateChangelogTopics());
            for (StreamsTopology.InternalTopic topic : internal) {
                if (topic.name() != null && !topics.mayCreate(session, request, topic.name())) {
                    return "The principal may not CREATE internal topic " + topic.name()
                            + ", which the coordinator creates for the application";
                }
            }
        }
        return null;
    }

    private static StreamsTopology topology(StreamsGroupHeartbeatRequestData.Topology topology) {
        List<StreamsTopology.Subtopology> subtopologies = new ArrayList<>();
        for (StreamsGroupHeartbeatRequestData.Subtopology subtopology : topology.subtopologies()) {
            subtopologies.add(new StreamsTopology.Subtopology(subtopology.subtopologyId(),
                    subtopology.sourceTopics(), subtopology.sourceTopicRegex(),
                    internal(subtopology.stateChangelogTopics()), subtopology.repartitionSinkTopics(),
                    internal(subtopology.repartitionSourceTopics()),
                    subtopology.copartitionGroups().stream().map(group -> new StreamsTopology.CopartitionGroup(
                            indexes(group.sourceTopics()), indexes(group.sourceTopicRegex()),
                            indexes(group.repartitionSourceTopics()))).toList()));
        }
        return new StreamsTopology(topology.epoch(), subtopologies);
    }

    private static List<StreamsTopology.InternalTopic> internal(List<StreamsGroupHeartbeatRequestData.TopicInfo> list) {
        return list.stream().map(topic -> {
            Map<String, String> configs = new LinkedHashMap<>();
            topic.topicConfigs().forEach(config -> configs.put(config.key(), config.value()));
            return new StreamsTopology.InternalTopic(topic.name(), topic.partitions(), topic.replicationFactor(),
                    configs);
        }).toList();
    }

    private static List<Integer> indexes(List<Short> indexes) {
        return indexes.stream().map(Short::intValue).toList();
    }

    private static List<TaskIds> tasks(List<StreamsGroupHeartbeatRequestData.TaskIds> list) {
        return list == null ? null
                : list.stream().map(ids -> new TaskIds(ids.subtopologyId(), ids.partitions())).toList();
    }

    private static List<TaskOffset> offsets(List<StreamsGroupHeartbeatRequestData.TaskOffset> list) {
        return list == null ? null : list.stream()
                .map(offset -> new TaskOffset(offset.subtopologyId(), offset.partition(), offset.offset())).toList();
    }

    private static Map<String, String> tags(List<StreamsGroupHeartbeatRequestData.KeyValue> list) {
        if (list == null) {
            return null;
        }
        Map<String, String> tags = new LinkedHashMap<>();
        list.forEach(tag -> tags.put(tag.key(), tag.value()));
        return tags;
    }

    static StreamsGroupHeartbeatResponseData answer(StreamsHeartbeatResponse answer, int endpointsEpoch,
                                                    short version) {
        StreamsGroupHeartbeatResponseData data = new StreamsGroupHeartbeatResponseData()
                .setMemberId(answer.memberId())
                .setMemberEpoch(answer.memberEpoch())
                .setHeartbeatIntervalMs((int) answer.heartbeatIntervalMs())
                .setTaskOffsetIntervalMs(answer.taskOffsetIntervalMs())
                .setStatus(answer.statuses().stream().map(status -> new StreamsGroupHeartbeatResponseData.Status()
                        .setStatusCode((byte) status.code().kafkaCode()).setStatusDetail(status.detail())).toList())
                .setActiveTasks(responseTasks(answer.activeTasks()))
                .setStandbyTasks(responseTasks(answer.standbyTasks()))
                .setWarmupTasks(responseTasks(answer.warmupTasks()))
                .setEndpointInformationEpoch(answer.endpointsEpoch())
                .setTopologyDescriptionRequired(version >= 1 && answer.memberEpoch() >= 0
                        && answer.topologyDescriptionRequired());
        if (version >= 1) {
            data.setAcceptableRecoveryLag(answer.acceptableRecoveryLag());
        } else {
            // Version 0 has the lag as an int32 of its own, which later versions must leave at its default.
            data.setAcceptableRecoveryLagLegacy((int) Math.min(Integer.MAX_VALUE, answer.acceptableRecoveryLag()));
        }
        if (answer.memberEpoch() < 0) {
            // A leave's answer carries no assignment.
            return data.setActiveTasks(null).setStandbyTasks(null).setWarmupTasks(null);
        }
        if (!answer.endpoints().isEmpty() && endpointsEpoch != answer.endpointsEpoch()) {
            data.setPartitionsByUserEndpoint(answer.endpoints().stream().map(endpoint ->
                    new StreamsGroupHeartbeatResponseData.EndpointToPartitions()
                            .setUserEndpoint(new StreamsGroupHeartbeatResponseData.Endpoint()
                                    .setHost(endpoint.endpoint().host()).setPort(endpoint.endpoint().port()))
                            .setActivePartitions(partitions(endpoint.activePartitions()))
                            .setStandbyPartitions(partitions(endpoint.standbyPartitions()))).toList());
        }
        return data;
    }

    private static List<StreamsGroupHeartbeatResponseData.TaskIds> responseTasks(List<TaskIds> tasks) {
        return tasks.stream().map(ids -> new StreamsGroupHeartbeatResponseData.TaskIds()
                .setSubtopologyId(ids.subtopologyId()).setPartitions(ids.partitions())).toList();
    }

    private static List<StreamsGroupHeartbeatResponseData.TopicPartition> partitions(
            List<io.sluice.internal.group.TopicPartitions> partitions) {
        return partitions.stream().map(topic -> new StreamsGroupHeartbeatResponseData.TopicPartition()
                .setTopic(topic.topic()).setPartitions(topic.partitions())).toList();
    }

    private static StreamsGroupHeartbeatResponseData failed(Errors error, String message) {
        return new StreamsGroupHeartbeatResponseData().setErrorCode(error.code()).setErrorMessage(message);
    }
}
