package io.sluice.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The gateway's layering, as the build enforces it. */
class GatewayArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.sluice.gateway");

    @Test
    void featurePackagesHaveNoCycles() {
        slices().matching("io.sluice.gateway.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void controllersOnlyComposeServicesAndNeverCallPeersThemselves() {
        noClasses().that().areAnnotatedWith(RestController.class)
                .should().dependOnClassesThat().resideInAnyPackage("io.sluice.internal.client..",
                        "io.sluice.internal.partition..")
                .check(CLASSES);
    }

    @Test
    void problemsAreRenderedByTheOneSharedHandler() {
        noClasses().should().beAnnotatedWith(RestControllerAdvice.class)
                .because("sluice-web's ProblemHandler renders every error")
                .check(CLASSES);
    }

    @Test
    void internalCallsGoThroughTheOneClientStack() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("java.net.http..",
                        "org.springframework.web.reactive.function.client..")
                .because("every internal call goes through sluice-internal-client")
                .check(CLASSES);
    }
}
