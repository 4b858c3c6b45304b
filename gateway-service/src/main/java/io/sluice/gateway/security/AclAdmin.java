package io.sluice.gateway.security;

import io.sluice.gateway.web.QueryBinder;
import io.sluice.internal.acl.AclApi;
import io.sluice.internal.acl.AclBinding;
import io.sluice.internal.acl.AclBindingFilter;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.acl.AclPermission;
import io.sluice.internal.acl.PatternType;
import io.sluice.internal.acl.ResourceType;
import io.sluice.protocol.ErrorCode;
import io.sluice.security.AclCache;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * ACL administration (Kafka's DescribeAcls, CreateAcls, DeleteAcls): the coordinator stores the ACLs, this gateway
 * puts a change in force at once (when security is on), other gateways within their refresh interval. The HTTP ACL API
 * and the Kafka listener's ACL APIs both go through this class.
 */
@Service
public class AclAdmin {

    /** The query parameters of an ACL filter, each matching one field of an ACL (any value when absent). */
    static final Set<String> FILTER_PARAMETERS = Set.of("principal", "resource_type", "resource_name", "pattern_type",
            "operation", "permission");

    private final AclApi coordinator;
    private final AclCache cache;
    private final Authorizer authorizer;

    AclAdmin(AclApi coordinator, AclCache cache, Authorizer authorizer) {
        this.coordinator = coordinator;
        this.cache = cache;
        this.authorizer = authorizer;
    }

    /** An ACL filter from a request's query; INVALID_ACL for a value no ACL can have. */
    static QueryBinder<AclBindingFilter> filters() {
        return QueryBinder.of(AclBindingFilter.class, FILTER_PARAMETERS, (query, headers) -> new AclBindingFilter(
                query.text("principal"), parse(ResourceType.class, "resource_type", query.text("resource_type")),
                query.text("resource_name"), parse(PatternType.class, "pattern_type", query.text("pattern_type")),
                parse(AclOperation.class, "operation", query.text("operation")),
                parse(AclPermission.class, "permission", query.text("permission"))));
    }

    public Mono<List<AclBinding>> list(AclBindingFilter filter) {
        return coordinator.acls().map(snapshot -> snapshot.acls().stream().filter(filter::matches).toList());
    }

    public Mono<AclBinding> create(AclBinding acl) {
        return Mono.defer(() -> coordinator.createAcl(acl.validated())).flatMap(created -> inForce().thenReturn(created));
    }

    /** Deletes the ACLs the filter matches; the filter names at least one field, so that no typo deletes every ACL. */
    public Mono<List<AclBinding>> delete(AclBindingFilter filter) {
        if (filter.equals(AclBindingFilter.ANY)) {
            return Mono.error(ErrorCode.INVALID_ACL.exception("A deletion names at least one of principal, "
                    + "resource_type, resource_name, pattern_type, operation, permission"));
        }
        return coordinator.deleteAcls(filter).flatMap(deleted -> inForce().thenReturn(deleted));
    }

    /** Re-reads the ACLs so that this gateway enforces the change from now on (when security is on). */
    private Mono<Void> inForce() {
        return authorizer.enabled() ? cache.refresh().then() : Mono.empty();
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
