package io.sluice.partition;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import io.sluice.architecture.ServiceArchitecture;
import io.sluice.architecture.ServiceRules;
import org.junit.jupiter.api.Test;

/**
 * The partition service's layering, as the build enforces it: the rules every service keeps ({@link ServiceRules}),
 * and its own. Each feature package wires its own parts; the top level holds what they all share.
 */
class PartitionArchitectureTest extends ServiceRules {

    private static final String ROOT = "io.sluice.partition";

    PartitionArchitectureTest() {
        super(ROOT);
    }

    /** Routes (the annotated controllers and the data path's Netty routes) reach logs and replicas through services. */
    @Test
    void routesNeverReachLogsOrReplicasDirectly() {
        noClasses().that(ServiceArchitecture.routes()).and().resideOutsideOfPackage(ROOT + ".replica..")
                .should().dependOnClassesThat().resideInAnyPackage("io.sluice.log..", ROOT + ".replica..")
                .check(serviceClasses());
    }

    /** What every feature reads (the properties, the incarnation, the log scheduler) sits at the top level, which uses no feature. */
    @Test
    void topLevelClassesUseNoFeaturePackage() {
        noClasses().that().resideInAPackage(ROOT)
                .should().dependOnClassesThat(DescribedPredicate.describe("reside in a feature package of " + ROOT,
                        (JavaClass c) -> c.getPackageName().startsWith(ROOT + ".")))
                .check(serviceClasses());
    }
}
