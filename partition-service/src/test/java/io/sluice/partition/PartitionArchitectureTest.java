package io.sluice.partition;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.springframework.web.bind.annotation.RestController;

/** The partition service's layering, as the build enforces it. */
class PartitionArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.sluice.partition");

    @Test
    void featurePackagesHaveNoCycles() {
        slices().matching("io.sluice.partition.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void controllersNeverReachLogsOrReplicasDirectly() {
        noClasses().that().areAnnotatedWith(RestController.class)
                .should().dependOnClassesThat().resideInAnyPackage("io.sluice.log..", "io.sluice.partition.replica..")
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
