package io.sluice.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A service jar's start-up cache: on JDK 25 and later the build extracts each service's fat jar
 * {@code <dir>/<name>.jar} into {@code <dir>/aot/<name>.jar} with its libraries beside it, and records a training start
 * of that jar into {@code <dir>/aot/<name>.aot} (JEP 483 and 514; the parent POM's {@code aot-cache} profile). A JVM
 * started from the extracted jar with {@code -XX:AOTCache} finds its classes already loaded and linked, which takes
 * about 60 % off a service's start-up CPU (docs/benchmarks/history.md, "Service start-up with the AOT cache").
 *
 * <p>The cache is used only when it can help and cannot mislead: the java that will run the service is 25 or later,
 * and both the extracted jar and the cache are at least as new as the fat jar (a jar rebuilt without the cache, with
 * {@code -Dsluice.aot.skip=true} or on an older JDK, is started as it is). A JVM that still finds the cache unusable
 * (another JDK build, a changed library) says so in the service's log and starts without it.
 *
 * <p>That cache is trained by a start alone. A cluster started with {@code --aot-train true} runs each service from
 * the extracted jar with {@code -XX:AOTCacheOutput} instead: the JVM records what the run loads and how the JIT sees
 * the code run (JDK 25's method profiles, JEP 515), and writes {@code <dir>/aot/trained/<service>.aot} as it stops.
 * Later starts of that service, from the same build, use the trained cache before the start-up one: the JIT compiles
 * what the training load made hot without first profiling it again (docs/benchmarks/history.md, "A start-up cache
 * trained under load").
 *
 * @param extractedJar the jar to start
 * @param cache        the cache file to start with; null when training
 * @param training     the trained cache this run writes as it stops; null when not training
 */
record AotCache(Path extractedJar, Path cache, Path training) {

    /** The first JDK whose {@code -XX:AOTCache} takes a cache written in one step with {@code -XX:AOTCacheOutput}. */
    static final int FIRST_JDK = 25;

    private static final Pattern JAVA_VERSION = Pattern.compile("^JAVA_VERSION=\"(\\d+)", Pattern.MULTILINE);

    /**
     * How {@code service} starts from {@code jar}: with its trained cache, else the start-up cache, if {@code java}
     * can use it and it was made from this build of the jar; or, {@code train}, recording its trained cache.
     */
    static Optional<AotCache> of(Path jar, Path java, String service, boolean train) {
        Path extracted = extractedJarOf(jar);
        if (featureVersion(java) < FIRST_JDK || !current(extracted, jar)) {
            return Optional.empty();
        }
        Path trained = trainedCacheOf(jar, service);
        if (train) {
            try {
                Files.createDirectories(trained.getParent());
                return Optional.of(new AotCache(extracted, null, trained));
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        return current(trained, jar) ? Optional.of(new AotCache(extracted, trained, null))
                : current(cacheOf(jar), jar) ? Optional.of(new AotCache(extracted, cacheOf(jar), null))
                : Optional.empty();
    }

    /** Whether {@code file} exists and is at least as new as {@code jar} (made from this build of it). */
    private static boolean current(Path file, Path jar) {
        try {
            return Files.isRegularFile(jar) && Files.isRegularFile(file)
                    && Files.getLastModifiedTime(file).compareTo(Files.getLastModifiedTime(jar)) >= 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** Where a training run of {@code service} writes its cache: {@code <dir>/aot/trained/<service>.aot}. */
    static Path trainedCacheOf(Path jar, String service) {
        return jar.resolveSibling("aot").resolve("trained").resolve(service + ".aot");
    }

    /** Where the build extracts {@code jar}: {@code <dir>/aot/<name>.jar}. */
    static Path extractedJarOf(Path jar) {
        return jar.resolveSibling("aot").resolve(jar.getFileName());
    }

    private static Path cacheOf(Path jar) {
        String name = jar.getFileName().toString();
        return jar.resolveSibling("aot").resolve(name.substring(0, name.length() - ".jar".length()) + ".aot");
    }

    /** What the training start put on its command line besides the cache option (the parent POM's aot-train). */
    static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";

    /**
     * The JVM options that start a service with this cache, given the {@code others} already on its command line. The
     * training start granted native access on its command line; a JVM whose command line does not grant the same
     * refuses the whole cache ("Mismatched values for property jdk.module.enable.native.access") and starts as
     * slowly as without one, although the jar's manifest grants it either way.
     */
    List<String> jvmOptions(List<String> others) {
        List<String> options = new ArrayList<>();
        if (!others.contains(NATIVE_ACCESS)) {
            options.add(NATIVE_ACCESS);
        }
        options.add(training == null ? "-XX:AOTCache=" + cache : "-XX:AOTCacheOutput=" + training);
        return options;
    }

    /**
     * The feature version (21, 25, ...) of the JDK whose {@code bin/java} is {@code java}, from its {@code release}
     * file; 0 when that cannot be read.
     */
    static int featureVersion(Path java) {
        Path home = java.toAbsolutePath().getParent() == null ? null : java.toAbsolutePath().getParent().getParent();
        if (home == null) {
            return 0;
        }
        try {
            Matcher version = JAVA_VERSION.matcher(Files.readString(home.resolve("release")));
            return version.find() ? Integer.parseInt(version.group(1)) : 0;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
