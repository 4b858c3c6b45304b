package io.sluice.gateway.kafka.groups;

import io.sluice.gateway.kafka.GroupAccess;
import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.coordinator.CoordinatorApi;
import io.sluice.internal.streams.StreamsTopologyDescription;
import io.sluice.internal.streams.StreamsTopologyDescriptionUpdate;
import io.sluice.kafka.KafkaErrors;
import io.sluice.kafka.KafkaRequest;
import io.sluice.kafka.SupportedApis;
import org.apache.kafka.common.message.StreamsGroupTopologyDescriptionUpdateRequestData;
import org.apache.kafka.common.message.StreamsGroupTopologyDescriptionUpdateRequestData.TopologyDescriptionNode;
import org.apache.kafka.common.message.StreamsGroupTopologyDescriptionUpdateResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.StreamsGroupTopologyDescriptionUpdateRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * StreamsGroupTopologyDescriptionUpdate (KIP-1331): a streams group member's description of the application's
 * topology — each subtopology's processing nodes and the global stores — sent when a heartbeat answer asked for
 * one.
 * The coordinator keeps it for the group's topology epoch and StreamsGroupDescribe v1 shows it. A member not in the
 * group is UNKNOWN_MEMBER_ID (the client rejoins), a group id that is no streams group's GROUP_ID_NOT_FOUND, a
 * description of another topology epoch INVALID_REQUEST. Needs READ on the group, as heartbeating does.
 */
@Component
class StreamsGroupTopologyDescriptionUpdateApi implements KafkaApi {

    private final CoordinatorApi coordinator;
    private final GroupAccess groups;

    StreamsGroupTopologyDescriptionUpdateApi(CoordinatorApi coordinator, GroupAccess groups) {
        this.coordinator = coordinator;
        this.groups = groups;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.STREAMS_GROUP_TOPOLOGY_DESCRIPTION_UPDATE;
    }

    @Override
    public SupportedApis.Versions versions() {
        return new SupportedApis.Versions((short) 0, (short) 0);
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        StreamsGroupTopologyDescriptionUpdateRequestData data =
                ((StreamsGroupTopologyDescriptionUpdateRequest) request.body()).data();
        if (!groups.allowed(session, request, AclOperation.READ, data.groupId())) {
            return Mono.just(failed(Errors.GROUP_AUTHORIZATION_FAILED, "The principal may not READ the group"));
        }
        if (data.topologyDescription() == null) {
            return Mono.just(failed(Errors.INVALID_REQUEST, "The request carries no topology description"));
        }
        StreamsTopologyDescriptionUpdate update = new StreamsTopologyDescriptionUpdate(data.memberId(),
                description(data.topologyEpoch(), data.topologyDescription()));
        return coordinator.updateStreamsTopologyDescription(data.groupId(), update)
                .then(Mono.<ApiMessage>fromSupplier(StreamsGroupTopologyDescriptionUpdateResponseData::new))
                .onErrorResume(e -> {
                    var error = KafkaErrors.exception(e);
                    return Mono.just(failed(Errors.forException(error), error.getMessage()));
                });
    }

    private static StreamsTopologyDescription description(
            int epoch, StreamsGroupTopologyDescriptionUpdateRequestData.TopologyDescription description) {
        return new StreamsTopologyDescription(epoch,
                description.subtopologies().stream().map(subtopology -> new StreamsTopologyDescription.Subtopology(
                        subtopology.subtopologyId(), subtopology.nodes().stream()
                        .map(StreamsGroupTopologyDescriptionUpdateApi::node).toList())).toList(),
                description.globalStores().stream().map(store -> new StreamsTopologyDescription.GlobalStore(
                        node(store.source()), node(store.processor()))).toList());
    }

    private static StreamsTopologyDescription.Node node(TopologyDescriptionNode node) {
        return node == null ? null : new StreamsTopologyDescription.Node(node.name(), node.nodeType(),
                node.sourceTopics(), node.sinkTopic(), node.stores(), node.successors());
    }

    private static StreamsGroupTopologyDescriptionUpdateResponseData failed(Errors error, String message) {
        return new StreamsGroupTopologyDescriptionUpdateResponseData().setErrorCode(error.code())
                .setErrorMessage(message);
    }
}
