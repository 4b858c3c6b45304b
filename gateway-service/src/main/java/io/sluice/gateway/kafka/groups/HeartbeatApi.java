package io.sluice.gateway.kafka.groups;

import io.sluice.gateway.kafka.GroupAccess;
import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.classic.ClassicGroupApi;
import io.sluice.internal.classic.ClassicHeartbeatRequest;
import io.sluice.kafka.KafkaRequest;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.HeartbeatRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Heartbeat (the classic protocol): REBALANCE_IN_PROGRESS tells the member to rejoin, ILLEGAL_GENERATION and
 * UNKNOWN_MEMBER_ID that it was left behind. Needs READ on the group.
 */
@Component
class HeartbeatApi implements KafkaApi {

    private final ClassicGroupApi coordinator;
    private final GroupAccess access;

    HeartbeatApi(ClassicGroupApi coordinator, GroupAccess access) {
        this.coordinator = coordinator;
        this.access = access;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.HEARTBEAT;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        HeartbeatRequestData data = ((HeartbeatRequest) request.body()).data();
        if (!access.allowed(session, request, AclOperation.READ, data.groupId())) {
            return Mono.just(new HeartbeatResponseData().setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code()));
        }
        return coordinator.heartbeat(data.groupId(), new ClassicHeartbeatRequest(data.memberId(),
                        data.groupInstanceId(), data.generationId()))
                .then(Mono.<ApiMessage>just(new HeartbeatResponseData()))
                .onErrorResume(e -> ClassicGroupCalls.failed(e,
                        (error, message) -> new HeartbeatResponseData().setErrorCode(error.code())));
    }
}
