package io.sluice.gateway.security;

import io.sluice.gateway.format.Bounds;
import io.sluice.protocol.ErrorCode;
import io.sluice.security.AuditLog;
import java.util.List;
import java.util.function.Predicate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/audit}: the latest audit entries of this gateway (admin actions and denials since it started, at most
 * {@value AuditLog#RECENT}), newest first, those of one principal, kind, outcome or resource when asked (a resource
 * name matches when it holds the text given). Needs ALTER on the cluster, as changing ACLs does ({@link
 * AuthorizationFilter}); with security off there is no audit trail, and the call says so.
 */
@RestController
class AuditController {

    record AuditEntries(List<AuditLog.Entry> entries) {
    }

    private final AuditLog audit;
    private final Authorizer authorizer;

    AuditController(AuditLog audit, Authorizer authorizer) {
        this.audit = audit;
        this.authorizer = authorizer;
    }

    @GetMapping("/v1/audit")
    AuditEntries recent(@RequestParam(name = "limit", required = false) Integer limit,
                        @RequestParam(name = "principal", required = false) String principal,
                        @RequestParam(name = "kind", required = false) String kind,
                        @RequestParam(name = "outcome", required = false) String outcome,
                        @RequestParam(name = "resource_type", required = false) String resourceType,
                        @RequestParam(name = "resource_name", required = false) String resourceName) {
        if (!authorizer.enabled()) {
            throw ErrorCode.SECURITY_DISABLED.exception("Security is off (sluice.security.enabled): nothing is audited");
        }
        int checked = Bounds.check("limit", limit, 100, 1, AuditLog.RECENT);
        Predicate<AuditLog.Entry> filter = entry -> is(principal, entry.principal())
                && is(kind, entry.kind()) && is(outcome, entry.outcome()) && is(resourceType, entry.resourceType())
                && (blank(resourceName) || entry.resourceName() != null
                        && entry.resourceName().contains(resourceName.strip()));
        return new AuditEntries(audit.recent(checked, filter));
    }

    /** Whether {@code value} is {@code wanted} (case aside), or nothing is wanted. */
    private static boolean is(String wanted, String value) {
        return blank(wanted) || wanted.strip().equalsIgnoreCase(value);
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }
}
