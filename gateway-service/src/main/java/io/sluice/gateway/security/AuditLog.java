package io.sluice.gateway.security;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.acl.ResourceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail while security is on: one line on the {@code io.sluice.audit} logger per admin action (its outcome
 * as the HTTP status answered) and per authorization denial, with who, what, which resource and the outcome, and the
 * counter {@code sluice_audit_events_total} by kind, outcome, operation and resource type. Lines carry no credentials
 * and no query strings.
 */
final class AuditLog {

    private static final Logger LOG = LoggerFactory.getLogger("io.sluice.audit");

    private final MeterRegistry meters;

    AuditLog(MeterRegistry meters) {
        this.meters = meters;
    }

    void denied(SluicePrincipal principal, AclOperation operation, ResourceType type, String name, String request) {
        LOG.info("audit kind=authorization principal={} operation={} resource_type={} resource_name={} "
                + "outcome=DENIED request=\"{}\"", principal, operation, type, name, request);
        count("authorization", "denied", operation, type);
    }

    void adminAction(SluicePrincipal principal, AclOperation operation, ResourceType type, String name, String request,
                     int status) {
        String outcome = status >= 200 && status < 300 ? "SUCCEEDED" : "FAILED";
        LOG.info("audit kind=admin principal={} operation={} resource_type={} resource_name={} outcome={} status={} "
                + "request=\"{}\"", principal, operation, type, name, outcome, status, request);
        count("admin", outcome.toLowerCase(), operation, type);
    }

    private void count(String kind, String outcome, AclOperation operation, ResourceType type) {
        Counter.builder("sluice.audit.events").description("Admin actions and authorization denials")
                .tag("kind", kind).tag("outcome", outcome).tag("operation", operation.name())
                .tag("resource_type", type.name()).register(meters).increment();
    }
}
