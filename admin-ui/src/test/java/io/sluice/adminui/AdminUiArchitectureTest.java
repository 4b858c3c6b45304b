package io.sluice.adminui;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.sluice.architecture.ServiceArchitecture;
import org.junit.jupiter.api.Test;
import org.springframework.web.bind.annotation.ExceptionHandler;

/**
 * The console's layering, as the build enforces it: the public API through one client and Kafka Connect's REST API
 * through another, the gateway's problems in one place.
 */
class AdminUiArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.sluice.adminui");

    @Test
    void packagesTheTopLevelIncludedFormNoCycle() {
        ServiceArchitecture.noPackageCycles("io.sluice.adminui").check(CLASSES);
    }

    @Test
    void classesArePackagePrivateUnlessAnotherPackageUsesThem() {
        ServiceArchitecture.publicOnlyWhenUsedElsewhere("io.sluice.adminui")
                .check(ServiceArchitecture.mainAndTestClasses("io.sluice.adminui"));
    }

    @Test
    void theGatewayIsCalledOnlyThroughGatewayClientAndConnectOnlyThroughConnectClient() {
        noClasses().that().resideOutsideOfPackage("io.sluice.adminui.gateway..")
                .and().haveNameNotMatching("io\\.sluice\\.adminui\\.connect\\.ConnectClient(\\$.*)?")
                .should().dependOnClassesThat().resideInAnyPackage("java.net.http..",
                        "org.springframework.web.reactive.function.client..")
                .because("GatewayClient is the one client of the public API, ConnectClient the one of Kafka Connect's"
                        + " REST API (a service apart from Sluice)")
                .check(CLASSES);
    }

    @Test
    void theConnectPagesDoNotReachTheGateway() {
        noClasses().that().resideInAPackage("io.sluice.adminui.connect..")
                .should().dependOnClassesThat().resideInAPackage("io.sluice.adminui.gateway..")
                .because("Connect is managed through its own REST API, not through Sluice's")
                .check(CLASSES);
    }

    @Test
    void theConsoleKnowsNoSluiceModuleOnlyThePublicApi() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.sluice.internal..", "io.sluice.protocol..",
                        "io.sluice.gateway..")
                .because("the console can do nothing a user's script can't (docs/admin-ui.md)")
                .check(CLASSES);
    }

    @Test
    void pagesThatCannotBeBuiltAreRenderedByTheOneAdvice() {
        noMethods().that().areAnnotatedWith(ExceptionHandler.class)
                .should().beDeclaredInClassesThat().doNotHaveSimpleName("ProblemPages")
                .check(CLASSES);
    }
}
