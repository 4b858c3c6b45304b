package io.sluice.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.Test;

/**
 * The shared rules ({@link ServiceArchitecture}) as tests, for a service's architecture test to extend with its root
 * package and add its own rules to: every service that extends it keeps all of them, worded the same.
 */
public abstract class ServiceRules {

    private final String root;
    private final JavaClasses classes;

    protected ServiceRules(String root) {
        this.root = root;
        this.classes = ServiceArchitecture.mainClasses(root);
    }

    /** The service's main classes, for its own rules. */
    protected JavaClasses serviceClasses() {
        return classes;
    }

    @Test
    void packagesTheTopLevelIncludedFormNoCycle() {
        ServiceArchitecture.noPackageCycles(root).check(classes);
    }

    @Test
    void routesOnlyComposeServices() {
        ServiceArchitecture.routesOnlyComposeServices().check(classes);
    }

    @Test
    void callsToOtherProcessesGoThroughTheOneClientStack() {
        ServiceArchitecture.oneInternalClientStack().check(classes);
    }

    @Test
    void servicesBuildNoHttpResponsesOrSseFrames() {
        ServiceArchitecture.servicesBuildNoHttpResponses().check(classes);
    }

    @Test
    void problemsAreRenderedByTheOneSharedHandler() {
        ServiceArchitecture.problemsRenderedByTheOneHandler().check(classes);
    }

    @Test
    void classesArePackagePrivateUnlessAnotherPackageUsesThem() {
        ServiceArchitecture.publicOnlyWhenUsedElsewhere(root).check(ServiceArchitecture.mainAndTestClasses(root));
    }
}
