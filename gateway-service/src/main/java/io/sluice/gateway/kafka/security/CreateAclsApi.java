package io.sluice.gateway.kafka.security;

import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.gateway.security.AclAdmin;
import io.sluice.kafka.KafkaErrors;
import io.sluice.kafka.KafkaRequest;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.CreateAclsRequestData;
import org.apache.kafka.common.message.CreateAclsRequestData.AclCreation;
import org.apache.kafka.common.message.CreateAclsResponseData;
import org.apache.kafka.common.message.CreateAclsResponseData.AclCreationResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.CreateAclsRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * CreateAcls: each binding stored as a Sluice ACL through the {@link AclAdmin} (in force at this gateway at once,
 * at the others within their refresh interval), one after another in request order; a binding Sluice cannot store
 * ({@link KafkaAcls}) or whose principal or resource name is out of form is INVALID_REQUEST on its own, the others
 * are created. With security off the bindings are stored all the same, as the HTTP ACL API stores them (one store, one
 * answer whichever protocol asks), to be in force once security is on; a Kafka broker without an authorizer would
 * answer SECURITY_DISABLED instead.
 *
 * <p>With security on, {@link io.sluice.gateway.kafka.AdminAccess AdminAccess} has checked who asks: managing ACLs
 * needs ALTER on the cluster, listing them DESCRIBE.
 */
@Component
class CreateAclsApi implements KafkaApi {

    private final AclAdmin acls;

    CreateAclsApi(AclAdmin acls) {
        this.acls = acls;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.CREATE_ACLS;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        CreateAclsRequestData data = ((CreateAclsRequest) request.body()).data();
        return Flux.fromIterable(data.creations())
                .concatMap(this::create)
                .collectList()
                .map(results -> new CreateAclsResponseData().setResults(results));
    }

    private Mono<AclCreationResult> create(AclCreation creation) {
        return Mono.defer(() -> acls.create(KafkaAcls.binding(creation.resourceType(), creation.resourceName(),
                        creation.resourcePatternType(), creation.principal(), creation.host(), creation.operation(),
                        creation.permissionType())))
                .thenReturn(new AclCreationResult())
                .onErrorResume(e -> Mono.just(failed(KafkaErrors.exception(e))));
    }

    private static AclCreationResult failed(ApiException error) {
        return new AclCreationResult().setErrorCode(Errors.forException(error).code())
                .setErrorMessage(error.getMessage());
    }
}
