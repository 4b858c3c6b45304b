package io.sluice.architecture;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

/** Each shared rule fails on a class that breaks it, naming the class, and passes on one that keeps it. */
class ServiceArchitectureTest {

    private static final String FIXTURES = "io.sluice.architecture.fixtures";
    private static final DescribedPredicate<JavaClass> ANY = DescribedPredicate.alwaysTrue();

    @Test
    void aCycleThroughTheTopLevelPackageIsCaughtThoughSlicingBySubPackageMissesIt() {
        JavaClasses classes = classes("cycle");
        String root = FIXTURES + ".cycle";

        assertThat(slices().matching(root + ".(*)..").should().beFreeOfCycles().allowEmptyShould(true)
                .evaluate(classes).hasViolation()).as("the rule every service had").isFalse();
        assertThat(violations(ServiceArchitecture.noPackageCycles(root), classes)).contains("Settings", "Feature");
    }

    @Test
    void functionalAndNettyRoutesThatCallAPeerAreCaughtAndAComposingControllerIsNot() {
        String report = violations(ServiceArchitecture.routesOnlyComposeServices(), classes("routes"));

        assertThat(report).contains("FunctionalRoute", "NettyRoute").doesNotContain("ComposingController");
    }

    @Test
    void aRawNettyHttpClientIsCaught() {
        assertThat(violations(ServiceArchitecture.oneInternalClientStack(), classes("clients"))).contains("RawClient");
    }

    @Test
    void aServiceThatWritesSseFramesIsCaughtAndOneThatReturnsValuesIsNot() {
        String report = violations(ServiceArchitecture.servicesBuildNoHttpResponses(), classes("services"));

        assertThat(report).contains("FramingService", "ServerSentEvent").doesNotContain("ValueService");
    }

    @Test
    void aSecondExceptionHandlerIsCaught() {
        assertThat(violations(ServiceArchitecture.problemsRenderedByTheOneHandler(), classes("advice")))
                .contains("OwnAdvice");
    }

    @Test
    void aPublicClassNoOtherPackageUsesIsCaughtAndOneUsedThroughItsNestedTypeIsNot() {
        String root = FIXTURES + ".visibility";
        String report = violations(ServiceArchitecture.publicOnlyWhenUsedElsewhere(root, ANY),
                new ClassFileImporter().importPackages(root));

        assertThat(report).contains("Lonely is public, but no class outside").doesNotContain("Shared is public");
    }

    private static JavaClasses classes(String fixture) {
        return new ClassFileImporter().importPackages(FIXTURES + "." + fixture);
    }

    private static String violations(ArchRule rule, JavaClasses classes) {
        EvaluationResult result = rule.evaluate(classes);
        assertThat(result.hasViolation()).as("%s has a violation", rule.getDescription()).isTrue();
        return String.join("\n", result.getFailureReport().getDetails());
    }
}
