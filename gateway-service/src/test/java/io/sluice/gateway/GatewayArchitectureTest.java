package io.sluice.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.sluice.architecture.ServiceArchitecture;
import org.junit.jupiter.api.Test;

/** The gateway's layering, as the build enforces it: the rules every service keeps, and the gateway's own. */
class GatewayArchitectureTest {

    private static final String ROOT = "io.sluice.gateway";
    private static final JavaClasses CLASSES = ServiceArchitecture.mainClasses(ROOT);

    @Test
    void packagesTheTopLevelIncludedFormNoCycle() {
        ServiceArchitecture.noPackageCycles(ROOT).check(CLASSES);
    }

    @Test
    void routesOnlyComposeServices() {
        ServiceArchitecture.routesOnlyComposeServices().check(CLASSES);
    }

    @Test
    void routesNeverReachPartitionInternals() {
        noClasses().that(ServiceArchitecture.routes())
                .should().dependOnClassesThat().resideInAnyPackage("io.sluice.internal.partition..")
                .check(CLASSES);
    }

    @Test
    void internalCallsGoThroughTheOneClientStack() {
        ServiceArchitecture.oneInternalClientStack().check(CLASSES);
    }

    @Test
    void servicesBuildNoHttpResponsesOrSseFrames() {
        ServiceArchitecture.servicesBuildNoHttpResponses().check(CLASSES);
    }

    @Test
    void problemsAreRenderedByTheOneSharedHandler() {
        ServiceArchitecture.problemsRenderedByTheOneHandler().check(CLASSES);
    }

    @Test
    void classesArePackagePrivateUnlessAnotherPackageUsesThem() {
        ServiceArchitecture.publicOnlyWhenUsedElsewhere(ROOT).check(ServiceArchitecture.mainAndTestClasses(ROOT));
    }
}
