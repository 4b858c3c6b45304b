package io.sluice.gateway.kafka.groups;

import io.sluice.gateway.kafka.GroupAccess;
import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.classic.ClassicGroupApi;
import io.sluice.internal.classic.ClassicGroupDescription;
import io.sluice.internal.classic.ClassicJoinRequest;
import io.sluice.internal.classic.ClassicJoinResponse;
import io.sluice.internal.classic.ClassicProtocol;
import io.sluice.kafka.KafkaRequest;
import java.util.List;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.JoinGroupRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * JoinGroup (the classic protocol): passed to the coordinator's classic groups, where it waits for the rebalance to
 * complete ({@code ClassicGroups}). From version 4 on a first join is answered MEMBER_ID_REQUIRED with an id to join
 * with (KIP-394). A {@code consumer} member's protocols carry the topics their metadata subscribes to and the
 * partitions it still owns ({@link ConsumerSubscriptions}): the coordinator keeps the offsets of topics its members
 * read by them, and assigns by them a classic member that joins a consumer group. Needs READ on the group.
 */
@Component
class JoinGroupApi implements KafkaApi {

    private final ClassicGroupApi coordinator;
    private final GroupAccess access;

    JoinGroupApi(ClassicGroupApi coordinator, GroupAccess access) {
        this.coordinator = coordinator;
        this.access = access;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.JOIN_GROUP;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        JoinGroupRequestData data = ((JoinGroupRequest) request.body()).data();
        if (!access.allowed(session, request, AclOperation.READ, data.groupId())) {
            return Mono.just(failed(Errors.GROUP_AUTHORIZATION_FAILED, "The principal may not READ the group"));
        }
        boolean consumer = ClassicGroupDescription.CONSUMER_PROTOCOL_TYPE.equals(data.protocolType());
        List<ClassicProtocol> protocols = data.protocols().stream()
                .map(p -> protocol(p.name(), p.metadata(), consumer)).toList();
        ClassicJoinRequest join = new ClassicJoinRequest(data.memberId(), data.groupInstanceId(), data.protocolType(),
                protocols, data.sessionTimeoutMs(), data.rebalanceTimeoutMs(), request.clientId(),
                session.clientHost(), request.version() >= 4);
        return coordinator.join(data.groupId(), join,
                        ClassicGroupCalls.waitFor(data.rebalanceTimeoutMs(), data.sessionTimeoutMs()))
                .map(JoinGroupApi::answer)
                .onErrorResume(e -> ClassicGroupCalls.failed(e, JoinGroupApi::failed));
    }

    private static ClassicProtocol protocol(String name, byte[] metadata, boolean consumer) {
        ConsumerSubscriptions.Subscription subscription = consumer
                ? ConsumerSubscriptions.read(metadata).orElse(null) : null;
        return subscription == null ? new ClassicProtocol(name, metadata, null, null)
                : new ClassicProtocol(name, metadata, subscription.topics(), subscription.ownedPartitions());
    }

    private static ApiMessage answer(ClassicJoinResponse joined) {
        if (joined.memberIdRequired()) {
            return failed(Errors.MEMBER_ID_REQUIRED, "Join again with the member id given").setMemberId(
                    joined.memberId());
        }
        return new JoinGroupResponseData()
                .setGenerationId(joined.generationId())
                .setProtocolType(joined.protocolType())
                .setProtocolName(joined.protocolName())
                .setLeader(joined.leader())
                .setMemberId(joined.memberId())
                .setMembers(joined.members().stream().map(m -> new JoinGroupResponseData.JoinGroupResponseMember()
                        .setMemberId(m.memberId()).setGroupInstanceId(m.groupInstanceId())
                        .setMetadata(m.metadata())).toList());
    }

    /** A refusal every version can carry: the protocol name is empty, not null (nullable only from v7). */
    static JoinGroupResponseData failed(Errors error, String message) {
        return new JoinGroupResponseData().setErrorCode(error.code()).setGenerationId(-1).setMemberId("")
                .setLeader("").setProtocolName("");
    }
}
