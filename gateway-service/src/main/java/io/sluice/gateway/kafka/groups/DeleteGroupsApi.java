package io.sluice.gateway.kafka.groups;

import io.sluice.gateway.kafka.GroupAccess;
import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.coordinator.CoordinatorApi;
import io.sluice.internal.share.ShareGroupApi;
import io.sluice.kafka.KafkaErrors;
import io.sluice.kafka.KafkaRequest;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DeleteGroupsRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * DeleteGroups: each group and its committed offsets deleted by the coordinator, as {@code DELETE /v1/groups/{group}}
 * does — NON_EMPTY_GROUP while it has members, GROUP_ID_NOT_FOUND for one that does not exist, and
 * GROUP_AUTHORIZATION_FAILED without DELETE on it. An id no consumer group has but a share group does (the admin
 * client's {@code deleteShareGroups}, {@code kafka-share-groups --delete}) deletes the share group as
 * {@code DELETE /v1/share-groups/{group}} does, with the same NON_EMPTY_GROUP while it has members or a record is
 * acquired.
 */
@Component
class DeleteGroupsApi implements KafkaApi {

    private final CoordinatorApi coordinator;
    private final GroupAccess access;
    private final ShareGroupApi shares;
    private final KafkaShareGroups shareGroups;

    DeleteGroupsApi(CoordinatorApi coordinator, GroupAccess access, ShareGroupApi shares,
                    KafkaShareGroups shareGroups) {
        this.shares = shares;
        this.shareGroups = shareGroups;
        this.coordinator = coordinator;
        this.access = access;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.DELETE_GROUPS;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        DeleteGroupsRequestData data = ((DeleteGroupsRequest) request.body()).data();
        return Flux.fromIterable(data.groupsNames())
                .concatMap(group -> delete(group, request, session))
                .collectList()
                .map(results -> {
                    DeleteGroupsResponseData.DeletableGroupResultCollection collection =
                            new DeleteGroupsResponseData.DeletableGroupResultCollection();
                    results.forEach(collection::add);
                    return new DeleteGroupsResponseData().setResults(collection);
                });
    }

    private Mono<DeletableGroupResult> delete(String group, KafkaRequest request, KafkaSession session) {
        DeletableGroupResult result = new DeletableGroupResult().setGroupId(group);
        if (!access.allowed(session, request, AclOperation.DELETE, group)) {
            return Mono.just(result.setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code()));
        }
        return coordinator.deleteGroup(group)
                .onErrorResume(e -> e instanceof SluiceException s && s.errorCode() == ErrorCode.UNKNOWN_GROUP,
                        e -> shareGroups.isShareGroup(group).flatMap(share -> share ? shares.deleteShareGroup(group)
                                : Mono.error(e)))
                .thenReturn(result)
                .onErrorResume(e -> {
                    var error = KafkaErrors.exception(e);
                    return Mono.just(result.setErrorCode(Errors.forException(error).code())
                            .setErrorMessage(error.getMessage()));
                });
    }
}
