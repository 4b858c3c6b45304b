package io.sluice.gateway.security;

import io.sluice.gateway.format.Bounds;
import io.sluice.protocol.ErrorCode;
import io.sluice.security.AuditLog;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/audit}: the latest audit entries of this gateway (admin actions and denials since it started, at most
 * {@value AuditLog#RECENT}), newest first. Needs ALTER on the cluster, as changing ACLs does ({@link
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
    AuditEntries recent(@RequestParam(name = "limit", required = false) Integer limit) {
        if (!authorizer.enabled()) {
            throw ErrorCode.SECURITY_DISABLED.exception("Security is off (sluice.security.enabled): nothing is audited");
        }
        return new AuditEntries(audit.recent(Bounds.check("limit", limit, 100, 1, AuditLog.RECENT)));
    }
}
