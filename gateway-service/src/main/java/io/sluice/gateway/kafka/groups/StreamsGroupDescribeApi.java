package io.sluice.gateway.kafka.groups;

import io.sluice.gateway.kafka.GroupAccess;
import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.coordinator.CoordinatorApi;
import io.sluice.internal.streams.StreamsGroupDescription;
import io.sluice.internal.streams.StreamsTopology;
import io.sluice.internal.streams.StreamsTopologyDescription;
import io.sluice.internal.streams.TaskIds;
import io.sluice.kafka.KafkaErrors;
import io.sluice.kafka.KafkaRequest;
import io.sluice.kafka.SupportedApis;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.message.StreamsGroupDescribeRequestData;
import org.apache.kafka.common.message.StreamsGroupDescribeResponseData;
import org.apache.kafka.common.message.StreamsGroupDescribeResponseData.DescribedGroup;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.StreamsGroupDescribeRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * StreamsGroupDescribe (KIP-1071): each streams group's state, epochs, topology with its partition counts resolved
 * (null while the group is not ready), and members with their instances, tasks and target tasks — what
 * {@code kafka-streams-groups --describe} and Kafka's {@code Admin.describeStreamsGroups} show. A group id that is
 * not a streams group's is GROUP_ID_NOT_FOUND. Version 1's full topology description (KIP-1331), asked for, is the one
 * a member sent for the group's topology epoch (AVAILABLE), or NOT_STORED while none was. Describing needs DESCRIBE on
 * the group.
 */
@Component
class StreamsGroupDescribeApi implements KafkaApi {

    /** KIP-1331's TopologyDescriptionStatus values. */
    private static final byte NOT_REQUESTED = 0;
    private static final byte NOT_STORED = 1;
    private static final byte AVAILABLE = 3;
    /** Kafka's name for the task assignor the coordinator uses. */
    static final String ASSIGNOR = "sticky";

    private final CoordinatorApi coordinator;
    private final GroupAccess access;

    StreamsGroupDescribeApi(CoordinatorApi coordinator, GroupAccess access) {
        this.coordinator = coordinator;
        this.access = access;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.STREAMS_GROUP_DESCRIBE;
    }

    @Override
    public SupportedApis.Versions versions() {
        return new SupportedApis.Versions((short) 0, (short) 1);
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        StreamsGroupDescribeRequestData data = ((StreamsGroupDescribeRequest) request.body()).data();
        boolean withDescription = request.version() >= 1 && data.includeTopologyDescription();
        return Flux.fromIterable(data.groupIds())
                .concatMap(group -> describe(group, request, session, withDescription))
                .collectList()
                .map(groups -> new StreamsGroupDescribeResponseData().setGroups(groups));
    }

    private Mono<DescribedGroup> describe(String group, KafkaRequest request, KafkaSession session,
                                          boolean withDescription) {
        DescribedGroup described = new DescribedGroup().setGroupId(group);
        if (!access.allowed(session, request, AclOperation.DESCRIBE, group)) {
            return Mono.just(described.setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code()));
        }
        return coordinator.describeStreamsGroup(group)
                .map(description -> described(described, description, withDescription))
                .onErrorResume(e -> {
                    var error = KafkaErrors.exception(e);
                    return Mono.just(described.setErrorCode(Errors.forException(error).code())
                            .setErrorMessage(error.getMessage()));
                });
    }

    private static DescribedGroup described(DescribedGroup described, StreamsGroupDescription description,
                                            boolean withDescription) {
        StreamsGroupDescribeResponseData.Topology topology = new StreamsGroupDescribeResponseData.Topology()
                .setEpoch(description.topologyEpoch())
                .setSubtopologies(description.topology() == null ? null : description.topology().stream()
                        .map(subtopology -> new StreamsGroupDescribeResponseData.Subtopology()
                                .setSubtopologyId(subtopology.id())
                                .setSourceTopics(subtopology.sourceTopics())
                                .setRepartitionSinkTopics(subtopology.repartitionSinkTopics())
                                .setStateChangelogTopics(topics(subtopology.stateChangelogTopics()))
                                .setRepartitionSourceTopics(topics(subtopology.repartitionSourceTopics())))
                        .toList());
        return described.setGroupState(description.state())
                .setGroupEpoch(description.groupEpoch())
                .setAssignmentEpoch(description.assignmentEpoch())
                .setTopology(topology)
                .setAuthorizedOperations(Integer.MIN_VALUE)
                .setTopologyDescriptionStatus(!withDescription ? NOT_REQUESTED
                        : description.description() == null ? NOT_STORED : AVAILABLE)
                .setTopologyDescription(withDescription && description.description() != null
                        ? topologyDescription(description.description()) : null)
                .setAssignorName(ASSIGNOR)
                .setMembers(description.members().stream().map(StreamsGroupDescribeApi::member).toList());
    }

    private static StreamsGroupDescribeResponseData.TopologyDescription topologyDescription(
            StreamsTopologyDescription description) {
        return new StreamsGroupDescribeResponseData.TopologyDescription()
                .setSubtopologies(description.subtopologies().stream()
                        .map(subtopology -> new StreamsGroupDescribeResponseData.TopologyDescriptionSubtopology()
                                .setSubtopologyId(subtopology.subtopologyId())
                                .setNodes(subtopology.nodes().stream().map(StreamsGroupDescribeApi::node).toList()))
                        .toList())
                .setGlobalStores(description.globalStores().stream()
                        .map(store -> new StreamsGroupDescribeResponseData.TopologyDescriptionGlobalStore()
                                .setSource(node(store.source())).setProcessor(node(store.processor())))
                        .toList());
    }

    private static StreamsGroupDescribeResponseData.TopologyDescriptionNode node(StreamsTopologyDescription.Node node) {
        return new StreamsGroupDescribeResponseData.TopologyDescriptionNode()
                .setName(node.name())
                .setNodeType((byte) node.nodeType())
                .setSourceTopics(node.sourceTopics())
                .setSinkTopic(node.sinkTopic())
                .setStores(node.stores())
                .setSuccessors(node.successors());
    }

    private static List<StreamsGroupDescribeResponseData.TopicInfo> topics(List<StreamsTopology.InternalTopic> list) {
        return list.stream().map(topic -> new StreamsGroupDescribeResponseData.TopicInfo()
                .setName(topic.name()).setPartitions(topic.partitions())
                .setReplicationFactor((short) topic.replicationFactor())
                .setTopicConfigs(keyValues(topic.configs()))).toList();
    }

    private static List<StreamsGroupDescribeResponseData.KeyValue> keyValues(Map<String, String> values) {
        return values.entrySet().stream().map(entry -> new StreamsGroupDescribeResponseData.KeyValue()
                .setKey(entry.getKey()).setValue(entry.getValue())).toList();
    }

    private static StreamsGroupDescribeResponseData.Member member(StreamsGroupDescription.Member member) {
        return new StreamsGroupDescribeResponseData.Member()
                .setMemberId(member.memberId())
                .setMemberEpoch(member.memberEpoch())
                .setInstanceId(member.instanceId())
                .setRackId(member.rackId())
                .setClientId(member.clientId() == null ? "" : member.clientId())
                .setClientHost(member.clientHost() == null ? "" : member.clientHost())
                .setTopologyEpoch(member.topologyEpoch())
                .setProcessId(member.processId())
                .setUserEndpoint(member.userEndpoint() == null ? null : new StreamsGroupDescribeResponseData.Endpoint()
                        .setHost(member.userEndpoint().host()).setPort(member.userEndpoint().port()))
                .setClientTags(keyValues(member.clientTags()))
                .setTaskOffsets(List.of())
                .setTaskEndOffsets(List.of())
                .setAssignment(assignment(member.assignment()))
                .setTargetAssignment(assignment(member.targetAssignment()))
                .setIsClassic(false);
    }

    private static StreamsGroupDescribeResponseData.Assignment assignment(StreamsGroupDescription.Assignment tasks) {
        return new StreamsGroupDescribeResponseData.Assignment()
                .setActiveTasks(taskIds(tasks.activeTasks()))
                .setStandbyTasks(taskIds(tasks.standbyTasks()))
                .setWarmupTasks(taskIds(tasks.warmupTasks()));
    }

    private static List<StreamsGroupDescribeResponseData.TaskIds> taskIds(List<TaskIds> tasks) {
        return tasks.stream().map(ids -> new StreamsGroupDescribeResponseData.TaskIds()
                .setSubtopologyId(ids.subtopologyId()).setPartitions(ids.partitions())).toList();
    }
}
