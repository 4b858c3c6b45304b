package io.sluice.gateway.kafka.groups;

import io.sluice.gateway.kafka.GroupAccess;
import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.classic.ClassicGroupApi;
import io.sluice.internal.classic.ClassicLeaveRequest;
import io.sluice.kafka.KafkaRequest;
import java.util.List;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.LeaveGroupRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * LeaveGroup (the classic protocol): members leave by member id, or static members by instance id (v3+, batched),
 * and the rest rebalance. Needs READ on the group.
 */
@Component
class LeaveGroupApi implements KafkaApi {

    private final ClassicGroupApi coordinator;
    private final GroupAccess access;

    LeaveGroupApi(ClassicGroupApi coordinator, GroupAccess access) {
        this.coordinator = coordinator;
        this.access = access;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.LEAVE_GROUP;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        LeaveGroupRequestData data = ((LeaveGroupRequest) request.body()).data();
        boolean batched = request.version() >= 3;
        List<ClassicLeaveRequest.Leaving> leaving = batched
                ? data.members().stream().map(m -> new ClassicLeaveRequest.Leaving(m.memberId(),
                        m.groupInstanceId())).toList()
                : List.of(new ClassicLeaveRequest.Leaving(data.memberId(), null));
        if (!access.allowed(session, request, AclOperation.READ, data.groupId())) {
            return Mono.just(new LeaveGroupResponseData().setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code()));
        }
        return coordinator.leave(data.groupId(), new ClassicLeaveRequest(leaving))
                .then(Mono.<ApiMessage>fromSupplier(() -> answer(leaving, batched, Errors.NONE)))
                .onErrorResume(e -> ClassicGroupCalls.failed(e, (error, message) -> answer(leaving, batched, error)));
    }

    private static LeaveGroupResponseData answer(List<ClassicLeaveRequest.Leaving> leaving, boolean batched,
                                                 Errors error) {
        LeaveGroupResponseData response = new LeaveGroupResponseData().setErrorCode(error.code());
        if (batched) {
            response.setMembers(leaving.stream().map(m -> new LeaveGroupResponseData.MemberResponse()
                    .setMemberId(m.memberId()).setGroupInstanceId(m.groupInstanceId())
                    .setErrorCode(error.code())).toList());
        }
        return response;
    }
}
