package io.sluice.security;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.acl.ResourceType;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail while security is on: one line on the {@code io.sluice.audit} logger per admin action (its outcome
 * as the HTTP status answered), per authorization denial and per TLS client refused at a Kafka listener's handshake, with who, what, which resource and the outcome, and the
 * counter {@code sluice_audit_events_total} by kind, outcome, operation and resource type. Lines carry no credentials
 * and no query strings. The last {@value #RECENT} entries are also kept in memory, for {@code GET /v1/audit}: this
 * gateway's, since its start.
 */
public final class AuditLog {

    public static final int RECENT = 1000;

    private static final Logger LOG = LoggerFactory.getLogger("io.sluice.audit");

    /** One audit entry as {@code GET /v1/audit} answers it; {@code status} is null for a denial. */
    public record Entry(Instant time, String kind, String principal, String operation, String resourceType,
                 String resourceName, String outcome, Integer status, String request) {
    }

    private final MeterRegistry meters;
    private final Clock clock;
    private final Deque<Entry> recent = new ArrayDeque<>();

    public AuditLog(MeterRegistry meters) {
        this(meters, Clock.systemUTC());
    }

    public AuditLog(MeterRegistry meters, Clock clock) {
        this.meters = meters;
        this.clock = clock;
    }

    /** Up to {@code limit} of the latest entries, newest first. */
    public List<Entry> recent(int limit) {
        return recent(limit, entry -> true);
    }

    /** Up to {@code limit} of the latest entries that {@code filter} keeps, newest first. */
    public synchronized List<Entry> recent(int limit, Predicate<Entry> filter) {
        return recent.stream().filter(filter).limit(limit).toList();
    }

    private synchronized void keep(Entry entry) {
        recent.addFirst(entry);
        if (recent.size() > RECENT) {
            recent.removeLast();
        }
    }

    public void denied(SluicePrincipal principal, AclOperation operation, ResourceType type, String name, String request) {
        LOG.info("audit kind=authorization principal={} operation={} resource_type={} resource_name={} "
                + "outcome=DENIED request=\"{}\"", principal, operation, type, name, request);
        count("authorization", "denied", operation, type);
        keep(new Entry(clock.instant(), "authorization", principal.toString(), operation.name(), type.name(), name,
                "DENIED", null, request));
    }

    public void adminAction(SluicePrincipal principal, AclOperation operation, ResourceType type, String name, String request,
                     int status) {
        String outcome = status >= 200 && status < 300 ? "SUCCEEDED" : "FAILED";
        LOG.info("audit kind=admin principal={} operation={} resource_type={} resource_name={} outcome={} status={} "
                + "request=\"{}\"", principal, operation, type, name, outcome, status, request);
        count("admin", outcome.toLowerCase(), operation, type);
        keep(new Entry(clock.instant(), "admin", principal.toString(), operation.name(), type.name(), name, outcome,
                status, request));
    }

    /**
     * A client that could not sign in at a listener's TLS handshake (a certificate the trust store refused, none where
     * one is required, or one no principal mapping rule maps): kind {@code authentication}, outcome FAILED, the
     * client's address and why in {@code request}; there is no principal yet.
     */
    public void signInFailed(String request) {
        LOG.info("audit kind=authentication principal={} operation=NONE resource_type={} resource_name={} "
                + "outcome=FAILED request=\"{}\"", SluicePrincipal.ANONYMOUS, ResourceType.CLUSTER,
                ResourceType.CLUSTER_NAME, request);
        count("authentication", "failed", "NONE", ResourceType.CLUSTER);
        keep(new Entry(clock.instant(), "authentication", SluicePrincipal.ANONYMOUS.toString(), "NONE",
                ResourceType.CLUSTER.name(), ResourceType.CLUSTER_NAME, "FAILED", null, request));
    }

    private void count(String kind, String outcome, AclOperation operation, ResourceType type) {
        count(kind, outcome, operation.name(), type);
    }

    private void count(String kind, String outcome, String operation, ResourceType type) {
        Counter.builder("sluice.audit.events").description("Admin actions and authorization denials")
                .tag("kind", kind).tag("outcome", outcome).tag("operation", operation)
                .tag("resource_type", type.name()).register(meters).increment();
    }
}
