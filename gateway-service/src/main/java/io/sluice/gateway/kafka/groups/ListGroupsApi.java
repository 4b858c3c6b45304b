package io.sluice.gateway.kafka.groups;

import io.sluice.gateway.kafka.GroupAccess;
import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaBrokers;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.internal.classic.ClassicGroupApi;
import io.sluice.internal.coordinator.CoordinatorApi;
import io.sluice.internal.group.GroupListing;
import io.sluice.internal.share.ShareGroupApi;
import io.sluice.kafka.KafkaRequest;
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
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * ListGroups: the coordinator's groups the principal may DESCRIBE — its KIP-848 groups ({@link KafkaGroups}, type
 * {@code consumer}), its streams groups (KIP-1071, type and protocol type {@code streams}), its classic groups with
 * members (type {@code classic}, their own protocol type and state) and
 * its share groups, those with members and those with share-partitions stored (type and protocol type {@code share};
 * {@code Stable} with members, else {@code Empty}) — with the request's state and type filters (case-insensitive, as Kafka's broker compares
 * them). An id that is both a consumer group's and a share group's (HTTP workers took records under a consumer
 * group's id) is listed as the consumer group. Only the controller gateway lists them; the others answer none
 * ({@link KafkaBrokers#isController}).
 */
@Component
class ListGroupsApi implements KafkaApi {

    private final CoordinatorApi coordinator;
    private final ClassicGroupApi classic;
    private final GroupAccess access;
    private final ShareGroupApi shares;
    private final KafkaBrokers brokers;

    ListGroupsApi(CoordinatorApi coordinator, ClassicGroupApi classic, GroupAccess access, ShareGroupApi shares,
                  KafkaBrokers brokers) {
        this.shares = shares;
        this.brokers = brokers;
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
        if (!brokers.isController()) {
            return Mono.just(new ListGroupsResponseData());
        }
        return Mono.zip(coordinator.groups(), classic.classicGroups(), shareGroups()).map(all -> {
            Map<String, ListedGroup> listed = new TreeMap<>();
            all.getT1().forEach(group -> listed.put(group.groupId(), listed(group)));
            all.getT2().stream().filter(group -> !group.members().isEmpty())
                    .forEach(group -> listed.put(group.groupId(), new ListedGroup().setGroupId(group.groupId())
                            .setProtocolType(group.protocolType()).setGroupState(group.state())
                            .setGroupType(KafkaGroups.CLASSIC)));
            all.getT3().forEach(group -> listed.putIfAbsent(group.groupId(), group));
            return new ListGroupsResponseData().setGroups(listed.values().stream()
                    .filter(group -> matches(data.statesFilter(), group.groupState()))
                    .filter(group -> matches(data.typesFilter(), group.groupType()))
                    .filter(group -> access.describable(session, group.groupId()))
                    .toList());
        });
    }

    /** The share groups (with members or share-partitions stored), each with its state by its members now. */
    private Mono<List<ListedGroup>> shareGroups() {
        return shares.listShareGroups().flatMapMany(Flux::fromIterable)
                .flatMapSequential(group -> shares.members(group.groupId()).map(members -> new ListedGroup()
                        .setGroupId(group.groupId()).setProtocolType(KafkaShareGroups.TYPE)
                        .setGroupType(KafkaShareGroups.TYPE)
                        .setGroupState(members.members().isEmpty() ? "Empty" : "Stable")), 8)
                .collectList();
    }

    private static boolean matches(List<String> filter, String value) {
        return filter == null || filter.isEmpty() || filter.stream().anyMatch(value::equalsIgnoreCase);
    }

    private static ListedGroup listed(GroupListing group) {
        String type = GroupListing.STREAMS.equals(group.type()) ? KafkaGroups.STREAMS : KafkaGroups.TYPE;
        return new ListedGroup().setGroupId(group.groupId()).setProtocolType(type)
                .setGroupState(KafkaGroups.state(group.state())).setGroupType(type);
    }
}
