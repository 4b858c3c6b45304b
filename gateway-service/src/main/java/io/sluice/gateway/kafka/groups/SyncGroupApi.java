package io.sluice.gateway.kafka.groups;

import io.sluice.gateway.kafka.GroupAccess;
import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.classic.ClassicAssignment;
import io.sluice.internal.classic.ClassicGroupDescription;
import io.sluice.internal.classic.ClassicGroupApi;
import io.sluice.internal.classic.ClassicSyncRequest;
import io.sluice.kafka.KafkaRequest;
import java.time.Duration;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.SyncGroupRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * SyncGroup (the classic protocol): the member's assignment for its generation, once the leader has given them all
 * (the leader's own request carries them) — or, for a classic member of a consumer group, the partitions the
 * coordinator gave it, encoded here ({@link ConsumerAssignments}). A {@code consumer} leader's assignments go with the
 * partitions they name, read here, from which a consumer group can take the classic group over. Needs READ on the
 * group.
 */
@Component
class SyncGroupApi implements KafkaApi {

    /** How long a member may wait for its leader's assignment: Kafka's client waits up to its request timeout. */
    private static final Duration WAIT = Duration.ofMinutes(5);

    private final ClassicGroupApi coordinator;
    private final GroupAccess access;

    SyncGroupApi(ClassicGroupApi coordinator, GroupAccess access) {
        this.coordinator = coordinator;
        this.access = access;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.SYNC_GROUP;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        SyncGroupRequestData data = ((SyncGroupRequest) request.body()).data();
        if (!access.allowed(session, request, AclOperation.READ, data.groupId())) {
            return Mono.just(failed(Errors.GROUP_AUTHORIZATION_FAILED, null));
        }
        boolean consumer = ClassicGroupDescription.CONSUMER_PROTOCOL_TYPE.equals(data.protocolType());
        ClassicSyncRequest sync = new ClassicSyncRequest(data.memberId(), data.groupInstanceId(), data.generationId(),
                data.protocolType(), data.protocolName(), data.assignments().stream()
                .map(a -> new ClassicAssignment(a.memberId(), a.assignment(), consumer
                        ? ConsumerAssignments.decode(a.assignment()).orElse(null) : null)).toList());
        return coordinator.sync(data.groupId(), sync, WAIT)
                .map(synced -> (ApiMessage) new SyncGroupResponseData().setProtocolType(synced.protocolType())
                        .setProtocolName(synced.protocolName()).setAssignment(synced.partitions() == null
                                ? synced.assignment() : ConsumerAssignments.encode(synced.partitions())))
                .onErrorResume(e -> ClassicGroupCalls.failed(e, SyncGroupApi::failed));
    }

    private static SyncGroupResponseData failed(Errors error, String message) {
        return new SyncGroupResponseData().setErrorCode(error.code()).setAssignment(new byte[0]);
    }
}
