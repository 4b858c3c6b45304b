package io.sluice.gateway.kafka.security;

import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.gateway.security.AclAdmin;
import io.sluice.internal.acl.AclBinding;
import io.sluice.kafka.KafkaErrors;
import io.sluice.kafka.KafkaRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.message.DescribeAclsRequestData;
import org.apache.kafka.common.message.DescribeAclsResponseData;
import org.apache.kafka.common.message.DescribeAclsResponseData.AclDescription;
import org.apache.kafka.common.message.DescribeAclsResponseData.DescribeAclsResource;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeAclsRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * DescribeAcls: the Sluice ACLs the filter matches ({@link KafkaAcls}), through the {@link AclAdmin}, grouped by
 * resource as Kafka answers them, each from host {@code *}. With security off the stored ACLs are listed all the same,
 * as the HTTP ACL API lists them (a Kafka broker without an authorizer would answer SECURITY_DISABLED).
 *
 * <p>With security on, {@link io.sluice.gateway.kafka.AdminAccess AdminAccess} has checked who asks: managing ACLs
 * needs ALTER on the cluster, listing them DESCRIBE.
 */
@Component
class DescribeAclsApi implements KafkaApi {

    private final AclAdmin acls;

    DescribeAclsApi(AclAdmin acls) {
        this.acls = acls;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.DESCRIBE_ACLS;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        DescribeAclsRequestData data = ((DescribeAclsRequest) request.body()).data();
        return Mono.defer(() -> KafkaAcls.filter(data.resourceTypeFilter(), data.resourceNameFilter(),
                                data.patternTypeFilter(), data.principalFilter(), data.hostFilter(), data.operation(),
                                data.permissionType())
                        .map(acls::list).orElseGet(() -> Mono.just(List.of())))
                .map(DescribeAclsApi::response)
                .onErrorResume(e -> {
                    var error = KafkaErrors.exception(e);
                    return Mono.just(new DescribeAclsResponseData().setErrorCode(Errors.forException(error).code())
                            .setErrorMessage(error.getMessage()));
                });
    }

    private static ApiMessage response(List<AclBinding> found) {
        Map<String, DescribeAclsResource> resources = new LinkedHashMap<>();
        for (AclBinding acl : found) {
            resources.computeIfAbsent(acl.resourceType() + "|" + acl.patternType() + "|" + acl.resourceName(),
                            key -> new DescribeAclsResource().setResourceType(KafkaAcls.resourceType(acl))
                                    .setResourceName(acl.resourceName()).setPatternType(KafkaAcls.patternType(acl))
                                    .setAcls(new ArrayList<>()))
                    .acls().add(new AclDescription().setPrincipal(acl.principal()).setHost(KafkaAcls.host())
                            .setOperation(KafkaAcls.operation(acl)).setPermissionType(KafkaAcls.permission(acl)));
        }
        return new DescribeAclsResponseData().setResources(new ArrayList<>(resources.values()));
    }
}
