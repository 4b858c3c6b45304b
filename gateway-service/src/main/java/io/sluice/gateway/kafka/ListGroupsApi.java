package io.sluice.gateway.kafka;

import io.sluice.internal.coordinator.CoordinatorApi;
import io.sluice.internal.group.GroupListing;
import io.sluice.kafka.KafkaRequest;
import java.util.List;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.ListGroupsRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * ListGroups: the coordinator's groups the principal may DESCRIBE, each a consumer group ({@link KafkaGroups}), with
 * the request's state and type filters (case-insensitive, as Kafka's broker compares them).
 */
@Component
class ListGroupsApi implements KafkaApi {

    private final CoordinatorApi coordinator;
    private final GroupAccess access;

    ListGroupsApi(CoordinatorApi coordinator, GroupAccess access) {
        this.coordinator = coordinator;
        this.access = access;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.LIST_GROUPS;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        ListGroupsRequestData data = ((ListGroupsRequest) request.body()).data();
        return coordinator.groups().map(groups -> new ListGroupsResponseData().setGroups(groups.stream()
                .filter(group -> matches(data.statesFilter(), KafkaGroups.state(group.state())))
                .filter(group -> matches(data.typesFilter(), KafkaGroups.TYPE))
                .filter(group -> access.describable(session, group.groupId()))
                .map(ListGroupsApi::listed).toList()));
    }

    private static boolean matches(List<String> filter, String value) {
        return filter == null || filter.isEmpty() || filter.stream().anyMatch(value::equalsIgnoreCase);
    }

    private static ListedGroup listed(GroupListing group) {
        return new ListedGroup().setGroupId(group.groupId()).setProtocolType(KafkaGroups.TYPE)
                .setGroupState(KafkaGroups.state(group.state())).setGroupType(KafkaGroups.TYPE);
    }
}
