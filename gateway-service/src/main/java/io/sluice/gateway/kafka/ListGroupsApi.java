package io.sluice.gateway.kafka;

import io.sluice.internal.coordinator.CoordinatorApi;
import io.sluice.internal.group.GroupListing;
import io.sluice.kafka.KafkaRequest;
import io.sluice.internal.classic.ClassicGroupApi;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.ListGroupsRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * ListGroups: the coordinator's groups the principal may DESCRIBE — its KIP-848 groups ({@link KafkaGroups}, type
 * {@code consumer}) and its classic groups with members (type {@code classic}, their own protocol type and state) —
 * with the request's state and type filters (case-insensitive, as Kafka's broker compares them).
 */
@Component
class ListGroupsApi implements KafkaApi {

    private final CoordinatorApi coordinator;
    private final ClassicGroupApi classic;
    private final GroupAccess access;

    ListGroupsApi(CoordinatorApi coordinator, ClassicGroupApi classic, GroupAccess access) {
        this.coordinator = coordinator;
        this.classic = classic;
        this.access = access;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.LIST_GROUPS;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        ListGroupsRequestData data = ((ListGroupsRequest) request.body()).data();
        return Mono.zip(coordinator.groups(), classic.classicGroups()).map(both -> {
            Map<String, ListedGroup> listed = new TreeMap<>();
            both.getT1().forEach(group -> listed.put(group.groupId(), listed(group)));
            both.getT2().stream().filter(group -> !group.members().isEmpty())
                    .forEach(group -> listed.put(group.groupId(), new ListedGroup().setGroupId(group.groupId())
                            .setProtocolType(group.protocolType()).setGroupState(group.state())
                            .setGroupType(KafkaGroups.CLASSIC)));
            return new ListGroupsResponseData().setGroups(listed.values().stream()
                    .filter(group -> matches(data.statesFilter(), group.groupState()))
                    .filter(group -> matches(data.typesFilter(), group.groupType()))
                    .filter(group -> access.describable(session, group.groupId()))
                    .toList());
        });
    }

    private static boolean matches(List<String> filter, String value) {
        return filter == null || filter.isEmpty() || filter.stream().anyMatch(value::equalsIgnoreCase);
    }

    private static ListedGroup listed(GroupListing group) {
        return new ListedGroup().setGroupId(group.groupId()).setProtocolType(KafkaGroups.TYPE)
                .setGroupState(KafkaGroups.state(group.state())).setGroupType(KafkaGroups.TYPE);
    }
}
