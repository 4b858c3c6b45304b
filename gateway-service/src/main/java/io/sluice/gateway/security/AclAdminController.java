package io.sluice.gateway.security;

import io.sluice.internal.acl.AclApi;
import io.sluice.internal.acl.AclBinding;
import io.sluice.internal.acl.AclBindingFilter;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.acl.AclPermission;
import io.sluice.internal.acl.PatternType;
import io.sluice.internal.acl.ResourceType;
import io.sluice.protocol.ErrorCode;
import java.util.List;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The public ACL administration (Kafka's DescribeAcls, CreateAcls, DeleteAcls): the coordinator stores them, this
 * gateway puts a change in force at once, other gateways within their refresh interval. Listing needs DESCRIBE on
 * the cluster, changing ALTER (checked by {@link AuthorizationFilter}).
 */
@RestController
class AclAdminController {

    record AclList(List<AclBinding> acls) {
    }

    private final AclApi coordinator;
    private final AclCache cache;
    private final Authorizer authorizer;

    AclAdminController(AclApi coordinator, AclCache cache, Authorizer authorizer) {
        this.coordinator = coordinator;
        this.cache = cache;
        this.authorizer = authorizer;
    }

    @GetMapping("/v1/acls")
    Mono<AclList> list(@RequestParam(name = "principal", required = false) String principal,
                       @RequestParam(name = "resource_type", required = false) String resourceType,
                       @RequestParam(name = "resource_name", required = false) String resourceName,
                       @RequestParam(name = "pattern_type", required = false) String patternType,
                       @RequestParam(name = "operation", required = false) String operation,
                       @RequestParam(name = "permission", required = false) String permission) {
        return Mono.defer(() -> {
            AclBindingFilter filter = filter(principal, resourceType, resourceName, patternType, operation, permission);
            return coordinator.acls().map(snapshot -> new AclList(snapshot.acls().stream().filter(filter::matches)
                    .toList()));
        });
    }

    @PostMapping("/v1/acls")
    @ResponseStatus(HttpStatus.CREATED)
    Mono<AclBinding> create(@RequestBody AclBinding acl) {
        return Mono.defer(() -> coordinator.createAcl(acl.validated())).flatMap(created -> inForce().thenReturn(created));
    }

    /** Deletes the ACLs the filter matches; at least one filter parameter, so that no typo deletes every ACL. */
    @DeleteMapping("/v1/acls")
    Mono<AclList> delete(@RequestParam(name = "principal", required = false) String principal,
                         @RequestParam(name = "resource_type", required = false) String resourceType,
                         @RequestParam(name = "resource_name", required = false) String resourceName,
                         @RequestParam(name = "pattern_type", required = false) String patternType,
                         @RequestParam(name = "operation", required = false) String operation,
                         @RequestParam(name = "permission", required = false) String permission) {
        return Mono.defer(() -> {
            AclBindingFilter filter = filter(principal, resourceType, resourceName, patternType, operation, permission);
            if (filter.equals(AclBindingFilter.ANY)) {
                throw ErrorCode.INVALID_ACL.exception("A deletion names at least one of principal, resource_type, "
                        + "resource_name, pattern_type, operation, permission");
            }
            return coordinator.deleteAcls(filter).flatMap(deleted -> inForce().thenReturn(new AclList(deleted)));
        });
    }

    /** Re-reads the ACLs so that this gateway enforces the change from now on (when security is on). */
    private Mono<Void> inForce() {
        return authorizer.enabled() ? cache.refresh().then() : Mono.empty();
    }

    private static AclBindingFilter filter(String principal, String resourceType, String resourceName,
                                           String patternType, String operation, String permission) {
        return new AclBindingFilter(principal, parse(ResourceType.class, "resource_type", resourceType), resourceName,
                parse(PatternType.class, "pattern_type", patternType), parse(AclOperation.class, "operation", operation),
                parse(AclPermission.class, "permission", permission));
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String parameter, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ErrorCode.INVALID_ACL.exception(parameter + " must be one of " + List.of(type.getEnumConstants())
                    + ", was '" + value + "'");
        }
    }
}
