package io.sluice.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Controller;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The rules every Sluice service's build checks on its own compiled classes, written once so that a rule means the
 * same in every service. A service's architecture test imports its classes ({@link #mainClasses}) and checks each
 * rule, adding rules of its own for its own layering.
 *
 * <p>A <em>route</em> is any class that answers a request, however it is mapped: an annotated controller, a class that
 * declares a functional {@link RouterFunction}, or a Reactor Netty route (one that handles a
 * {@code reactor.netty.http.server.HttpServerRequest}). Rules about routes hold for all three.
 */
public final class ServiceArchitecture {

    /** The sluice-internal-api interfaces through which a service calls a peer (CoordinatorApi, AclApi, …). */
    private static final DescribedPredicate<JavaClass> PEER_APIS = DescribedPredicate.describe(
            "are a peer's API (io.sluice.internal..*Api) or the internal client stack",
            c -> c.getPackageName().startsWith("io.sluice.internal.client")
                    || c.getPackageName().startsWith("io.sluice.internal.") && c.getSimpleName().endsWith("Api"));

    /** What writes HTTP: responses, their bodies' problem documents and SSE frames. */
    private static final List<String> HTTP_RESPONSE_TYPES = List.of(ResponseEntity.class.getName(),
            ServerResponse.class.getName(), ServerHttpResponse.class.getName(), ServerSentEvent.class.getName(),
            ProblemDetail.class.getName(), "reactor.netty.http.server.HttpServerResponse", "io.sluice.web.Problems");

    /** The classes Spring's factories loader instantiates by name: another user a class file does not show. */
    private static final Set<String> SPRING_FACTORIES = springFactories();

    private ServiceArchitecture() {
    }

    /** The main (non-test) classes of {@code root} and below. */
    public static JavaClasses mainClasses(String root) {
        return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(root);
    }

    /** The classes of {@code root} and below, tests included: who uses a class, for {@link #publicOnlyWhenUsedElsewhere}. */
    public static JavaClasses mainAndTestClasses(String root) {
        return new ClassFileImporter().importPackages(root);
    }

    /** Classes that answer requests: annotated controllers, functional routes and Reactor Netty routes. */
    public static DescribedPredicate<JavaClass> routes() {
        return DescribedPredicate.describe("are routes (controllers, functional or Netty routes)",
                c -> c.isAnnotatedWith(RestController.class) || c.isAnnotatedWith(Controller.class)
                        || c.getMethods().stream().anyMatch(m -> m.getRawReturnType().isAssignableTo(RouterFunction.class))
                        || c.getDirectDependenciesFromSelf().stream().anyMatch(d -> d.getTargetClass().getName()
                        .equals("reactor.netty.http.server.HttpServerRequest")));
    }

    /**
     * No cycle between the packages under {@code root}, its top-level package counted as one of them: a top-level
     * class (the properties every package reads, say) that used a feature package would close a cycle that slicing by
     * sub-package alone cannot see.
     */
    public static ArchRule noPackageCycles(String root) {
        return slices().assignedFrom(new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
                String name = javaClass.getPackageName();
                if (name.equals(root)) {
                    return SliceIdentifier.of("(top level)");
                }
                if (!name.startsWith(root + ".")) {
                    return SliceIdentifier.ignore();
                }
                String rest = name.substring(root.length() + 1);
                int dot = rest.indexOf('.');
                return SliceIdentifier.of(dot < 0 ? rest : rest.substring(0, dot));
            }

            @Override
            public String getDescription() {
                return "the packages under " + root + " and its top level";
            }
        }).should().beFreeOfCycles();
    }

    /** Routes compose services: they never call a peer's API or the internal client themselves. */
    public static ArchRule routesOnlyComposeServices() {
        return noClasses().that(routes()).should().dependOnClassesThat(PEER_APIS)
                .because("a route composes services; calling peers is a service's work");
    }

    /** One client stack for every call to another process: sluice-internal-client's. */
    public static ArchRule oneInternalClientStack() {
        return noClasses().should().dependOnClassesThat().resideInAnyPackage("java.net.http..",
                        "org.springframework.web.reactive.function.client..", "reactor.netty.http.client..")
                .because("every call to another process goes through sluice-internal-client (InternalHttp)");
    }

    /**
     * Services never build HTTP responses, problem documents or SSE frames: they return values and typed errors, and
     * the routes and the web adapters write them.
     */
    public static ArchRule servicesBuildNoHttpResponses() {
        return noClasses().that().areAnnotatedWith(Service.class)
                .should().dependOnClassesThat().haveNameMatching(anyOf(HTTP_RESPONSE_TYPES))
                .because("a service returns values; routes and the web adapters write HTTP");
    }

    /** Every error becomes HTTP in one place, sluice-web's ProblemHandler. */
    public static ArchRule problemsRenderedByTheOneHandler() {
        return noClasses().should().beAnnotatedWith(RestControllerAdvice.class)
                .orShould(new ArchCondition<>("declare exception handlers") {
                    @Override
                    public void check(JavaClass javaClass, ConditionEvents events) {
                        javaClass.getMethods().stream().filter(m -> m.isAnnotatedWith(ExceptionHandler.class))
                                .forEach(m -> events.add(SimpleConditionEvent.satisfied(javaClass,
                                        m.getFullName() + " is an exception handler")));
                    }
                })
                .because("sluice-web's ProblemHandler renders every error");
    }

    /**
     * A class is package-private unless a class of another package (a test's included) uses it or one of its nested
     * classes, or Spring instantiates it by name (an application class, a class in {@code META-INF/spring.factories}). Check it on {@link #mainAndTestClasses}: only main classes are held to it.
     */
    public static ArchRule publicOnlyWhenUsedElsewhere(String root) {
        return publicOnlyWhenUsedElsewhere(root, DescribedPredicate.describe("are main classes",
                ServiceArchitecture::isMain));
    }

    /** {@link #publicOnlyWhenUsedElsewhere(String)} for the classes {@code heldToIt} picks. */
    public static ArchRule publicOnlyWhenUsedElsewhere(String root, DescribedPredicate<JavaClass> heldToIt) {
        return classes().that().resideInAPackage(root + "..").and().areTopLevelClasses()
                .and(heldToIt)
                .and().areNotAnnotatedWith(SpringBootApplication.class)
                .and(DescribedPredicate.not(DescribedPredicate.describe("are named in META-INF/spring.factories",
                        (JavaClass c) -> SPRING_FACTORIES.contains(c.getName()))))
                .should(new ArchCondition<>("be package-private unless another package uses them") {
                    @Override
                    public void check(JavaClass javaClass, ConditionEvents events) {
                        if (javaClass.getModifiers().contains(JavaModifier.PUBLIC) && !usedElsewhere(javaClass)) {
                            events.add(SimpleConditionEvent.violated(javaClass, javaClass.getName()
                                    + " is public, but no class outside " + javaClass.getPackageName() + " uses it"));
                        }
                    }
                });
    }

    private static boolean usedElsewhere(JavaClass javaClass) {
        String pkg = javaClass.getPackageName();
        return javaClass.getDirectDependenciesToSelf().stream().map(Dependency::getOriginClass)
                .anyMatch(origin -> !origin.getPackageName().equals(pkg))
                || javaClass.getAllSubclasses().stream().anyMatch(sub -> !sub.getPackageName().equals(pkg))
                || nested(javaClass).stream().anyMatch(ServiceArchitecture::usedElsewhere);
    }

    private static List<JavaClass> nested(JavaClass javaClass) {
        return javaClass.getPackage().getClasses().stream()
                .filter(c -> c.getEnclosingClass().map(javaClass::equals).orElse(false)).toList();
    }

    private static boolean isMain(JavaClass javaClass) {
        return javaClass.getSource().map(source -> !source.getUri().toString().contains("/test-classes/"))
                .orElse(true);
    }

    private static String anyOf(List<String> names) {
        return String.join("|", names.stream().map(name -> name.replace(".", "\\.").replace("$", "\\$")).toList());
    }

    private static Set<String> springFactories() {
        Set<String> names = new TreeSet<>();
        try {
            Enumeration<URL> files = ServiceArchitecture.class.getClassLoader().getResources("META-INF/spring.factories");
            while (files.hasMoreElements()) {
                Properties factories = new Properties();
                try (InputStream in = files.nextElement().openStream()) {
                    factories.load(in);
                }
                factories.values().forEach(value -> Arrays.stream(value.toString().split(","))
                        .map(String::strip).filter(name -> !name.isEmpty()).forEach(names::add));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read META-INF/spring.factories", e);
        }
        return Set.copyOf(names);
    }
}
