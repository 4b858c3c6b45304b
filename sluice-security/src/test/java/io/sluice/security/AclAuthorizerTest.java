package io.sluice.security;

import static io.sluice.internal.acl.AclOperation.ALL;
import static io.sluice.internal.acl.AclOperation.ALTER_CONFIGS;
import static io.sluice.internal.acl.AclOperation.CREATE;
import static io.sluice.internal.acl.AclOperation.DESCRIBE;
import static io.sluice.internal.acl.AclOperation.DESCRIBE_CONFIGS;
import static io.sluice.internal.acl.AclOperation.READ;
import static io.sluice.internal.acl.AclOperation.WRITE;
import static io.sluice.internal.acl.ResourceType.CLUSTER;
import static io.sluice.internal.acl.ResourceType.GROUP;
import static io.sluice.internal.acl.ResourceType.TOPIC;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.internal.acl.AclApi;
import io.sluice.internal.acl.AclBinding;
import io.sluice.internal.acl.AclBindingFilter;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.acl.AclPermission;
import io.sluice.internal.acl.AclSnapshot;
import io.sluice.internal.acl.PatternType;
import io.sluice.internal.acl.ResourceType;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** Kafka's authorization rules, one at a time, over a fixed set of ACLs. */
class AclAuthorizerTest {

    private static final SluicePrincipal ALICE = new SluicePrincipal("alice");
    private static final SluicePrincipal BOB = new SluicePrincipal("bob");
    private static final SluicePrincipal ADMIN = new SluicePrincipal("admin");

    @Test
    void noAclShouldMeanNoAccessAndSuperUsersMayDoAnything() {
        AclAuthorizer authorizer = authorizer();

        assertThat(authorizer.allowed(ALICE, READ, TOPIC, "orders")).isFalse();
        assertThat(authorizer.allowed(ADMIN, ALL, CLUSTER, ResourceType.CLUSTER_NAME)).isTrue();
    }

    @Test
    void readWriteDeleteAndAlterShouldImplyDescribeAndAlterConfigsDescribeConfigs() {
        AclAuthorizer authorizer = authorizer(allow("User:alice", TOPIC, "orders", PatternType.LITERAL, WRITE),
                allow("User:alice", TOPIC, "logs", PatternType.LITERAL, ALTER_CONFIGS));

        assertThat(authorizer.allowed(ALICE, DESCRIBE, TOPIC, "orders")).isTrue();
        assertThat(authorizer.allowed(ALICE, READ, TOPIC, "orders")).isFalse();
        assertThat(authorizer.allowed(ALICE, DESCRIBE_CONFIGS, TOPIC, "logs")).isTrue();
        assertThat(authorizer.allowed(ALICE, DESCRIBE, TOPIC, "logs")).as("ALTER_CONFIGS implies no DESCRIBE").isFalse();
    }

    @Test
    void aDenyShouldWinAndImplyNothingElse() {
        AclAuthorizer authorizer = authorizer(allow("User:*", TOPIC, "logs-", PatternType.PREFIXED, ALL),
                acl("User:bob", TOPIC, "logs-audit", PatternType.LITERAL, READ, AclPermission.DENY));

        assertThat(authorizer.allowed(BOB, READ, TOPIC, "logs-audit")).isFalse();
        assertThat(authorizer.allowed(BOB, DESCRIBE, TOPIC, "logs-audit")).as("a READ deny denies only READ").isTrue();
        assertThat(authorizer.allowed(BOB, READ, TOPIC, "logs-app")).isTrue();
        assertThat(authorizer.allowed(ALICE, READ, TOPIC, "logs-audit")).isTrue();
    }

    @Test
    void aLiteralStarShouldMatchEveryNameOfItsTypeOnly() {
        AclAuthorizer authorizer = authorizer(allow("User:alice", GROUP, "*", PatternType.LITERAL, READ));

        assertThat(authorizer.allowed(ALICE, READ, GROUP, "any-group")).isTrue();
        assertThat(authorizer.allowed(ALICE, READ, TOPIC, "any-topic")).isFalse();
    }

    @Test
    void aPrefixedAclShouldNotMatchANameThatOnlyContainsThePrefix() {
        AclAuthorizer authorizer = authorizer(allow("User:alice", TOPIC, "eu-", PatternType.PREFIXED, CREATE));

        assertThat(authorizer.allowed(ALICE, CREATE, TOPIC, "eu-orders")).isTrue();
        assertThat(authorizer.allowed(ALICE, CREATE, TOPIC, "new-eu-orders")).isFalse();
    }

    @Test
    void beforeTheFirstReadOfTheAclsOnlySuperUsersShouldBeServed() {
        AclCache never = new AclCache(new Acls(null), Duration.ofSeconds(5), Clock.systemUTC());
        AclAuthorizer authorizer = new AclAuthorizer(true, List.of("User:admin"), never, new AuditLog(new SimpleMeterRegistry()));

        assertThat(authorizer.allowed(ALICE, READ, TOPIC, "orders")).isFalse();
        assertThat(authorizer.allowed(ADMIN, READ, TOPIC, "orders")).isTrue();
    }

    @Test
    void withSecurityOffEverythingShouldBeAllowed() {
        AclCache never = new AclCache(new Acls(null), Duration.ofSeconds(5), Clock.systemUTC());
        AclAuthorizer off = new AclAuthorizer(false, List.of(), never, new AuditLog(new SimpleMeterRegistry()));

        assertThat(off.allowed(SluicePrincipal.ANONYMOUS, ALL, CLUSTER, ResourceType.CLUSTER_NAME)).isTrue();
    }

    private static AclAuthorizer authorizer(AclBinding... acls) {
        AclCache cache = new AclCache(new Acls(new AclSnapshot(1, List.of(acls))), Duration.ofSeconds(5),
                Clock.systemUTC());
        cache.refresh().block();
        return new AclAuthorizer(true, List.of("User:admin"), cache, new AuditLog(new SimpleMeterRegistry()));
    }

    private static AclBinding allow(String principal, ResourceType type, String name, PatternType pattern,
                                    AclOperation operation) {
        return acl(principal, type, name, pattern, operation, AclPermission.ALLOW);
    }

    private static AclBinding acl(String principal, ResourceType type, String name, PatternType pattern,
                                  AclOperation operation, AclPermission permission) {
        return new AclBinding(principal, type, name, pattern, operation, permission).validated();
    }

    /** The coordinator's ACLs as one fixed snapshot (none: never answers). */
    private record Acls(AclSnapshot snapshot) implements AclApi {
        @Override
        public Mono<AclSnapshot> acls() {
            return Mono.justOrEmpty(snapshot);
        }

        @Override
        public Mono<AclBinding> createAcl(AclBinding acl) {
            return Mono.error(new UnsupportedOperationException());
        }

        @Override
        public Mono<List<AclBinding>> deleteAcls(AclBindingFilter filter) {
            return Mono.error(new UnsupportedOperationException());
        }
    }
}
