package io.sluice.gateway.kafka.security;

import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.gateway.security.AclAdmin;
import io.sluice.internal.acl.AclBinding;
import io.sluice.kafka.KafkaErrors;
import io.sluice.kafka.KafkaRequest;
import java.util.List;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.DeleteAclsRequestData;
import org.apache.kafka.common.message.DeleteAclsRequestData.DeleteAclsFilter;
import org.apache.kafka.common.message.DeleteAclsResponseData;
import org.apache.kafka.common.message.DeleteAclsResponseData.DeleteAclsFilterResult;
import org.apache.kafka.common.message.DeleteAclsResponseData.DeleteAclsMatchingAcl;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DeleteAclsRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * DeleteAcls: for each filter, one after another, the Sluice ACLs it matches ({@link KafkaAcls}) deleted through the
 * {@link AclAdmin} and answered. A filter of nothing but ANY is INVALID_REQUEST, as over HTTP (no typo deletes every
 * ACL). With security off the ACLs are deleted all the same, as over HTTP (a Kafka broker without an authorizer would
 * answer SECURITY_DISABLED).
 *
 * <p>With security on, {@link io.sluice.gateway.kafka.AdminAccess AdminAccess} has checked who asks: managing ACLs
 * needs ALTER on the cluster, listing them DESCRIBE.
 */
@Component
class DeleteAclsApi implements KafkaApi {

    private final AclAdmin acls;

    DeleteAclsApi(AclAdmin acls) {
        this.acls = acls;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.DELETE_ACLS;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        DeleteAclsRequestData data = ((DeleteAclsRequest) request.body()).data();
        return Flux.fromIterable(data.filters())
                .concatMap(this::delete)
                .collectList()
                .map(results -> new DeleteAclsResponseData().setFilterResults(results));
    }

    private Mono<DeleteAclsFilterResult> delete(DeleteAclsFilter filter) {
        return Mono.defer(() -> KafkaAcls.filter(filter.resourceTypeFilter(), filter.resourceNameFilter(),
                                filter.patternTypeFilter(), filter.principalFilter(), filter.hostFilter(),
                                filter.operation(), filter.permissionType())
                        .map(acls::delete).orElseGet(() -> Mono.just(List.of())))
                .map(deleted -> new DeleteAclsFilterResult().setMatchingAcls(deleted.stream()
                        .map(DeleteAclsApi::matching).toList()))
                .onErrorResume(e -> Mono.just(failed(KafkaErrors.exception(e))));
    }

    private static DeleteAclsMatchingAcl matching(AclBinding acl) {
        return new DeleteAclsMatchingAcl().setResourceType(KafkaAcls.resourceType(acl))
                .setResourceName(acl.resourceName()).setPatternType(KafkaAcls.patternType(acl))
                .setPrincipal(acl.principal()).setHost(KafkaAcls.host()).setOperation(KafkaAcls.operation(acl))
                .setPermissionType(KafkaAcls.permission(acl));
    }

    private static DeleteAclsFilterResult failed(ApiException error) {
        return new DeleteAclsFilterResult().setErrorCode(Errors.forException(error).code())
                .setErrorMessage(error.getMessage());
    }
}
