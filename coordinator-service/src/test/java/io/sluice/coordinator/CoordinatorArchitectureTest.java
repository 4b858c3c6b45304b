package io.sluice.coordinator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import io.sluice.architecture.ServiceRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.web.bind.annotation.RestController;

/**
 * The coordinator's layering, checked on its compiled main classes (tests excluded): the rules every service keeps
 * ({@link ServiceRules}) and its own. From the bottom: the top-level
 * configuration and {@code redis} (the embedded server); {@code store} and {@code cluster} (pure election and placement
 * rules); {@code lease}; {@code metadata} (the command sequence and the feed, written under the lease);
 * {@code reassign} (partition moves, over the metadata); {@code balance} (the move planner, the balancer and
 * decommissioning, which start moves through {@code reassign}); {@code groupconfig} (every group type's configs,
 * over the lease); the features
 * {@code partition}, {@code topic}, {@code node} (which uses partition's changes; both queue the next steps of moves
 * behind their own changes), {@code group} (consumer groups, over
 * the metadata), {@code remote} (the remote logs of tiered storage, checked against the metadata) and
 * {@code metrics}; and on top
 * {@code failover}, which drives the lease and loads or drops the metadata as it is won or lost.
 */
class CoordinatorArchitectureTest extends ServiceRules {

    private static final String ROOT = "io.sluice.coordinator";

    CoordinatorArchitectureTest() {
        super(ROOT);
    }

    /**
     * Every package reads {@link CoordinatorProperties} from the top-level package, so the top level may use no
     * feature package but the embedded Redis it starts: stricter than the shared rule against cycles, which the top
     * level only must not close.
     */
    @Test
    void whenTopLevelClassesUseAFeaturePackageShouldOnlyUseTheEmbeddedRedis() {
        noClasses().that().resideInAPackage(ROOT)
                .should().dependOnClassesThat(featurePackageOtherThan(ROOT + ".redis"))
                .check(serviceClasses());
    }

    /** Controllers compose services; what is stored in Redis, and how, is the services' business. */
    @Test
    void whenAControllerNeedsStateShouldAskAServiceNotTheStoreOrRedis() {
        noClasses().that().areAnnotatedWith(RestController.class)
                .should().dependOnClassesThat().resideInAnyPackage(
                        ROOT + ".store..", ROOT + ".redis..", "org.springframework.data.redis..", "io.lettuce..")
                .check(serviceClasses());
    }

    /**
     * Several places talk to Redis through a client: {@code store} (the metadata), {@code lease} (the lease and the
     * fencing token, its own Lua scripts), the group package's {@code GroupStore} (groups and offsets, with a script of
     * its own under the same token; it stores the group package's own types, which {@code store}, below it, cannot
     * see), the acl package's {@code AclStore} (ACLs, likewise with a script of its own under the same token), the scram
     * package's {@code ScramStore} (SCRAM credentials, likewise), the quota package's {@code QuotaStore} (client
     * quotas, likewise, its writes conditional on the version read), the brokerconfig package's
     * {@code BrokerConfigStore} (the cluster-wide broker configs, likewise), the txn
     * package's {@code TransactionStore} (transactional ids, likewise), the share package's
     * {@code SharePartitionStore} (share-partitions, likewise, and the dead-letter runs its script adds), its
     * {@code DeadLetterOutbox} (which reads and removes those runs), the groupconfig package's
     * {@code GroupConfigStore} (every group type's configs, likewise), the registry package's {@code SchemaStore} (the
     * schema registry, likewise), the remote package's {@code RemoteLogStore} (the remote logs of tiered storage,
     * likewise), and {@link CoordinatorConfiguration}, which
     * makes the connection factory. The {@code redis} package is not
     * among them: it only launches a redis-server process and never connects to it.
     */
    @Test
    void whenAClassTalksToRedisShouldBeTheStoreTheLeaseOrAFeatureStoreOrTheConnectionConfiguration() {
        noClasses().that().resideOutsideOfPackages(ROOT + ".store..", ROOT + ".lease..")
                .and().doNotBelongToAnyOf(CoordinatorConfiguration.class)
                .and().doNotHaveFullyQualifiedName(ROOT + ".group.GroupStore")
                .and().doNotHaveFullyQualifiedName(ROOT + ".acl.AclStore")
                .and().doNotHaveFullyQualifiedName(ROOT + ".scram.ScramStore")
                .and().doNotHaveFullyQualifiedName(ROOT + ".quota.QuotaStore")
                .and().doNotHaveFullyQualifiedName(ROOT + ".brokerconfig.BrokerConfigStore")
                .and().doNotHaveFullyQualifiedName(ROOT + ".txn.TransactionStore")
                .and().doNotHaveFullyQualifiedName(ROOT + ".share.SharePartitionStore")
                .and().doNotHaveFullyQualifiedName(ROOT + ".share.DeadLetterOutbox")
                .and().doNotHaveFullyQualifiedName(ROOT + ".groupconfig.GroupConfigStore")
                .and().doNotHaveFullyQualifiedName(ROOT + ".registry.SchemaStore")
                .and().doNotHaveFullyQualifiedName(ROOT + ".remote.RemoteLogStore")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework.data.redis..", "io.lettuce..")
                .check(serviceClasses());
    }

    /** A controller is reached through its mappings only; nothing else has reason to see it. */
    @Test
    void whenAClassIsAControllerShouldBePackagePrivate() {
        classes().that().areAnnotatedWith(RestController.class)
                .should().bePackagePrivate()
                .check(serviceClasses());
    }

    /**
     * Internal routes are written once, as {@code CoordinatorPaths} constants in sluice-internal-api. A route constant
     * is inlined into the class file, so this reads the sources: no {@code "/internal} string literal may appear.
     */
    @Test
    void whenMainCodeNamesAnInternalRouteShouldUseTheSharedConstants() throws IOException {
        Path sources = Path.of("src", "main", "java");
        List<Path> files;
        try (Stream<Path> paths = Files.walk(sources)) {
            files = paths.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        assertThat(files).as("Java files under %s (tests run in the module directory)", sources).isNotEmpty();
        List<String> hits = new ArrayList<>();
        for (Path file : files) {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains("\"/internal")) {
                    hits.add(file + ":" + (i + 1) + ": " + lines.get(i).strip());
                }
            }
        }
        assertThat(hits).as("\"/internal literals; use CoordinatorPaths or InternalPaths instead").isEmpty();
    }

    private static DescribedPredicate<JavaClass> featurePackageOtherThan(String allowed) {
        return DescribedPredicate.describe("reside in a package under " + ROOT + " other than " + allowed,
                c -> c.getPackageName().startsWith(ROOT + ".")
                        && !(c.getPackageName().equals(allowed) || c.getPackageName().startsWith(allowed + ".")));
    }
}
