package io.sluice.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The command line of a service JVM, and the test that a running process's command line is one of ours.
 *
 * <pre>
 *   &lt;java&gt; &lt;jvm options&gt; -Dsluice.service=&lt;name&gt; -Dsluice.base-dir=&lt;base&gt;
 *          [-XX:AOTCache=&lt;cache&gt; | -XX:AOTCacheOutput=&lt;trained cache&gt;]
 *          -jar &lt;jar&gt; --server.port=&lt;port&gt; &lt;service arguments&gt;
 * </pre>
 *
 * With a current start-up cache beside the service's jar ({@link AotCache}), the JVM starts the extracted jar with
 * it instead of the fat jar.
 *
 * The two {@code -D} markers do nothing inside the service; they make a process recognisable from its pid file in a
 * later invocation: a PID is only signalled when its process is a {@code java} running this service's jar with this
 * service's name and this cluster's base directory. A PID reused by an unrelated process, or a service of another
 * cluster on the same machine, fails the test.
 */
final class LaunchCommand {

    static final String SERVICE_MARKER = "-Dsluice.service=";
    static final String BASE_DIR_MARKER = "-Dsluice.base-dir=";
    private static final String PORT_ARG = "--server.port=";

    private LaunchCommand() {
    }

    static List<String> of(ClusterConfig config, ServiceSpec spec) {
        List<String> command = new ArrayList<>();
        command.add(config.java().toString());
        command.addAll(config.jvmOptions());
        command.add(SERVICE_MARKER + spec.name());
        command.add(BASE_DIR_MARKER + config.baseDir());
        Optional<AotCache> aot = AotCache.of(spec.jar(), config.java(), spec.name(), config.aotTrain());
        aot.ifPresent(cache -> command.addAll(cache.jvmOptions(config.jvmOptions())));
        command.add("-jar");
        command.add(aot.map(AotCache::extractedJar).orElse(spec.jar()).toString());
        command.addAll(spec.args());
        return command;
    }

    /**
     * Whether a process ({@link ProcessHandle.Info#command()} and {@link ProcessHandle.Info#arguments()}) is the
     * launch of service {@code name} from {@code jar} (or its extracted copy, {@link AotCache}) for the cluster in
     * {@code baseDir}. Unknown command or
     * arguments (a process of another user, one that just exited) count as not ours.
     */
    static boolean isLaunchOf(Optional<String> command, Optional<String[]> arguments, String name, Path jar,
                              Path baseDir) {
        if (command.isEmpty() || arguments.isEmpty()) {
            return false;
        }
        Path executable = Path.of(command.get()).getFileName();
        if (executable == null || !executable.toString().equals("java")) {
            return false;
        }
        List<String> args = List.of(arguments.get());
        int jarFlag = args.indexOf("-jar");
        // Markers must come before -jar: after it they would be the application's arguments, not ours.
        List<String> jvmArgs = jarFlag < 0 ? List.of() : args.subList(0, jarFlag);
        return jarFlag >= 0 && jarFlag + 1 < args.size()
                && (args.get(jarFlag + 1).equals(jar.toString())
                        || args.get(jarFlag + 1).equals(AotCache.extractedJarOf(jar).toString()))
                && jvmArgs.contains(SERVICE_MARKER + name)
                && jvmArgs.contains(BASE_DIR_MARKER + baseDir);
    }

    /** The application arguments of a launch (those after {@code -jar <jar>}); empty when they are unknown. */
    static Optional<List<String>> applicationArgs(Optional<String[]> arguments) {
        if (arguments.isEmpty()) {
            return Optional.empty();
        }
        List<String> args = List.of(arguments.get());
        int jarFlag = args.indexOf("-jar");
        return jarFlag < 0 || jarFlag + 1 >= args.size() ? Optional.empty()
                : Optional.of(args.subList(jarFlag + 2, args.size()));
    }

    /** The HTTP port in a launch's arguments, which is the truth for a running process whatever the settings. */
    static OptionalInt port(Optional<String[]> arguments) {
        for (String arg : arguments.orElse(new String[0])) {
            if (arg.startsWith(PORT_ARG)) {
                try {
                    return OptionalInt.of(Integer.parseInt(arg.substring(PORT_ARG.length())));
                } catch (NumberFormatException e) {
                    return OptionalInt.empty();
                }
            }
        }
        return OptionalInt.empty();
    }
}
