package io.sluice.launcher;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The local cluster's commands, {@code up}, {@code down}, {@code status} and {@code logs}, as picocli subcommands that
 * {@link #register} adds to a root command ({@code bin/sluice}). Each call is a short-lived process; the services it
 * starts outlive it, and later calls find them through their pid files.
 *
 * <p>The {@link Setting}s are options of every lifecycle command, and hidden options of the root too, so that
 * {@code bin/sluice --nodes 5 up} works as well as {@code bin/sluice up --nodes 5} (the subcommand's wins). Each is
 * also an environment variable; an option wins over its variable.
 *
 * <p>Exit status: {@link #OK}, {@link #FAILED}, {@link #USAGE} (picocli's own for a call it cannot parse), and for
 * {@code status} {@link #NOT_RUNNING}.
 */
public final class LifecycleCommands {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    /** {@code status}: nothing is running (the LSB convention for status commands). */
    public static final int NOT_RUNNING = 3;

    private static final int LOG_LINES = 50;

    private final Map<String, String> environment;
    private final Optional<Path> repoRoot;
    private final Path cwd;

    /**
     * @param environment the variables that {@link Setting}s are read from
     * @param repoRoot    the checkout whose jars run; empty outside one (then every lifecycle command fails, saying so)
     * @param cwd         the directory the user called from, against which a relative {@code --base-dir} resolves
     */
    public LifecycleCommands(Map<String, String> environment, Optional<Path> repoRoot, Path cwd) {
        this.environment = Map.copyOf(environment);
        this.repoRoot = repoRoot;
        this.cwd = cwd;
    }

    /** Adds {@code up}, {@code down}, {@code status} and {@code logs} to {@code root}, and the settings to it, hidden. */
    public void register(CommandLine root) {
        addSettings(root.getCommandSpec(), true);
        for (Object command : new Object[] {new Up(), new Down(), new Status(), new Logs()}) {
            CommandLine sub = new CommandLine(command);
            addSettings(sub.getCommandSpec(), false);
            root.addSubcommand(sub);
        }
    }

    /**
     * Prints a {@link LaunchException}'s message alone (it says what failed and why) and answers {@link #FAILED};
     * anything else is a bug and keeps its stack trace.
     */
    public static int handle(Exception e, CommandLine commandLine) throws Exception {
        if (e instanceof LaunchException) {
            commandLine.getErr().println(e.getMessage());
            return FAILED;
        }
        throw e;
    }

    /** The settings as a help section: each option, its environment variable and its default. */
    public static String settingsHelp() {
        StringBuilder text = new StringBuilder();
        for (Setting setting : Setting.values()) {
            String option = setting.option() + " " + setting.placeholder();
            text.append(String.format("  %-26s %-24s %s%n", option, setting.environmentVariable(), setting.meaning()));
            text.append(String.format("  %-26s default: %s%n", "", setting.defaultValue()));
        }
        return text.toString();
    }

    private static void addSettings(CommandSpec spec, boolean hidden) {
        for (Setting setting : Setting.values()) {
            spec.addOption(OptionSpec.builder(setting.option())
                    .paramLabel(setting.placeholder())
                    .type(String.class)
                    .hidden(hidden)
                    .description(setting.meaning() + " (" + setting.environmentVariable() + "; default: "
                            + setting.defaultValue() + ")")
                    .build());
        }
    }

    private static Map<Setting, String> given(CommandSpec spec) {
        Map<Setting, String> values = new EnumMap<>(Setting.class);
        for (Setting setting : Setting.values()) {
            OptionSpec option = spec.findOption(setting.option());
            if (option != null && option.getValue() != null) {
                values.put(setting, option.getValue());
            }
        }
        return values;
    }

    /** The cluster a subcommand acts on: environment, then the root's options, then its own. */
    private LocalCluster cluster(CommandSpec spec, boolean secure) {
        Path root = repoRoot.orElseThrow(() -> new LaunchException(
                "Not inside a Sluice checkout (no pom.xml of sluice-parent above " + cwd
                        + "); run bin/sluice from the repository."));
        Map<Setting, String> settings = new EnumMap<>(Setting.class);
        settings.putAll(Setting.fromEnvironment(environment));
        if (spec.parent() != null) {
            settings.putAll(given(spec.parent()));
        }
        settings.putAll(given(spec));
        ClusterConfig config;
        try {
            config = ClusterConfig.fromSettings(root, cwd, settings).withSecure(secure);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        return new LocalCluster(config, line -> {
            out.println(line);
            out.flush();
        });
    }

    @Command(name = "up", mixinStandardHelpOptions = true, versionProvider = SluiceVersion.class,
            description = "Start every service of the local cluster not yet running, coordinator first, each tier "
                    + "ready before the next; print the URLs. Starts nothing when the cluster already runs.")
    final class Up implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--secure", description = "Security and TLS on: makes (once; later runs reuse it) a local CA, "
                + "a certificate for localhost and 127.0.0.1, a cluster secret, a stream-token secret and the user "
                + "admin with a random password in <base>/secure/ (files 0600); every service serves HTTPS, calls "
                + "between them use mutual TLS.")
        boolean secure;

        @Override
        public Integer call() {
            LocalCluster cluster = cluster(spec, secure);
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                cluster.up();
            } catch (LaunchException e) {
                err.println(e.getMessage());
                err.println("Services that did start keep running: see bin/sluice status; stop them with bin/sluice down.");
                return FAILED;
            }
            ClusterStatus status = cluster.status();
            if (status.isDown()) {
                err.println("Nothing to run: no service module of this checkout has a jar (see above).");
                return FAILED;
            }
            out.println();
            out.println("Sluice is up; data, logs and pid files are in " + status.baseDir());
            for (ServiceStatus service : status.services()) {
                if (service.state().isRunning()) {
                    out.printf("  %-12s %s%n", service.name(), service.url());
                }
            }
            Optional<ServiceStatus> gateway = status.service(LocalCluster.GATEWAY).filter(s -> s.state().isRunning());
            // What runs decides, not this call's --secure: an up that found a cluster running tells how to use that one.
            if (gateway.isPresent() && gateway.get().tls()) {
                printSecureTry(cluster, gateway.get().url().toString(), out);
            } else if (gateway.isPresent()) {
                printTry(cluster, gateway.get().url().toString(), out);
            }
            status.service(LocalCluster.ADMIN_UI).filter(s -> s.state().isRunning()).ifPresent(console -> {
                out.println();
                out.println("The web console: " + console.url());
            });
            out.println();
            out.println("bin/sluice status shows its health, bin/sluice logs <service> [-f] its logs,"
                    + " bin/sluice down stops it.");
            return OK;
        }
    }

    private static void printTry(LocalCluster cluster, String url, PrintWriter out) {
        int replicas = Math.max(1, Math.min(3, cluster.config().nodes()));
        String cli = "http://127.0.0.1:8080".equals(url) ? "bin/sluice" : "bin/sluice --url " + url;
        out.println();
        out.println("Try it:");
        out.printf("  %s topic create demo --partitions 3 --replication-factor %d%n", cli, replicas);
        out.printf("  echo 'k1:hello' | %s produce demo --key-separator :%n", cli);
        out.printf("  %s consume demo --follow --offset earliest%n", cli);
        out.println("or with curl:");
        out.printf("  curl -s -X POST %s/v1/topics -H 'Content-Type: application/json' "
                + "-d '{\"name\":\"demo\",\"partition_count\":3,\"replication_factor\":%d}'%n", url, replicas);
        out.printf("  curl -s -X POST %s/v1/topics/demo/records -H 'Content-Type: application/json' "
                + "-d '[{\"partition\":0,\"key\":\"k1\",\"value\":\"hello\"}]'%n", url);
        out.printf("  curl -sN -H 'Accept: text/event-stream' "
                + "'%s/v1/topics/demo/partitions/0/records?offset=earliest'%n", url);
        out.println("or with any Kafka client or tool (docs/kafka.md):");
        out.printf("  kcat -b %s -t demo -C -e%n", cluster.config().kafkaBootstrap());
    }

    /** How to call a secured gateway: its CA and the admin's password file, never the password itself. */
    private static void printSecureTry(LocalCluster cluster, String url, PrintWriter out) {
        SecureMaterial material = cluster.config().secureMaterial();
        int replicas = Math.max(1, Math.min(3, cluster.config().nodes()));
        String curl = "curl -s --cacert " + material.caCertificate() + " -u \"" + SecureMaterial.ADMIN + ":$(cat "
                + material.passwordFile() + ")\"";
        out.println();
        out.println("Security and TLS are on: every service serves HTTPS with a certificate of the cluster's own CA,");
        out.println("calls between services use mutual TLS and the cluster secret, and the gateway signs users in.");
        out.println("  CA certificate   " + material.caCertificate());
        out.println("  user             " + SecureMaterial.ADMIN + " (a super user); password in " + material.passwordFile());
        out.println("  users file       " + material.usersFile() + " (name:bcrypt-hash lines; restart the gateway after a change)");
        out.println();
        out.println("Try it:");
        out.printf("  bin/sluice --url %s --ca-file %s --user %s --password-file %s topic list%n", url,
                material.caCertificate(), SecureMaterial.ADMIN, material.passwordFile());
        out.printf("  %s -X POST %s/v1/topics -H 'Content-Type: application/json' "
                + "-d '{\"name\":\"demo\",\"partition_count\":3,\"replication_factor\":%d}'%n", curl, url, replicas);
        out.printf("  %s -X POST %s/v1/topics/demo/records -H 'Content-Type: application/json' "
                + "-d '[{\"partition\":0,\"key\":\"k1\",\"value\":\"hello\"}]'%n", curl, url);
        out.printf("  %s '%s/v1/topics/demo/partitions/0/records?offset=earliest'%n", curl, url);
        out.println("Kafka clients and tools (SASL_SSL, PLAIN as admin) read " + material.kafkaClientProperties()
                + ", e.g.");
        out.printf("  kcat -b %s -X security.protocol=SASL_SSL -X sasl.mechanisms=PLAIN -X sasl.username=%s "
                + "-X sasl.password=\"$(cat %s)\" -X ssl.ca.location=%s -L%n", cluster.config().kafkaBootstrap(),
                SecureMaterial.ADMIN, material.passwordFile(), material.caCertificate());
        out.println("The console signs in as admin with the same password.");
    }

    @Command(name = "down", mixinStandardHelpOptions = true, versionProvider = SluiceVersion.class,
            description = "Stop what up started, in reverse order: SIGTERM, then SIGKILL after the stop grace. Only "
                    + "PIDs whose command line is still that service are signalled.")
    final class Down implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            cluster(spec, false).down();
            return OK;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, versionProvider = SluiceVersion.class,
            description = "Each service's state, PID and port; topics, partitions, offline partitions and live nodes "
                    + "from the coordinator.",
            footer = "Exit status: 0 when every built service is ready, 3 when none runs, 1 otherwise.")
    final class Status implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            LocalCluster cluster = cluster(spec, false);
            PrintWriter out = spec.commandLine().getOut();
            ClusterStatus status = cluster.status();
            out.println("Cluster in " + status.baseDir());
            out.printf("  %-12s %-16s %-8s %-6s %s%n", "SERVICE", "STATE", "PID", "PORT", "NOTE");
            for (ServiceStatus service : status.services()) {
                String note = switch (service.state()) {
                    case NOT_BUILT -> "jar not built: " + cluster.config().jar(service.kind());
                    case NOT_IN_CHECKOUT -> "module " + service.kind().module() + " is not in this checkout";
                    default -> service.detail();
                };
                out.printf("  %-12s %-16s %-8s %-6d %s%n", service.name(),
                        service.state().name().toLowerCase(Locale.ROOT).replace('_', ' '),
                        service.pid().isPresent() ? Long.toString(service.pid().getAsLong()) : "-", service.port(),
                        note);
            }
            out.println("Metadata: " + status.metadata().map(MetadataSummary::describe)
                    .orElse("unavailable (no ready coordinator)"));
            if (status.isUp()) {
                return OK;
            }
            return status.isDown() ? NOT_RUNNING : FAILED;
        }
    }

    @Command(name = "logs", mixinStandardHelpOptions = true, versionProvider = SluiceVersion.class,
            description = "The end of SERVICE's log (of every log without SERVICE).")
    final class Logs implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(arity = "0..1", paramLabel = "SERVICE",
                description = "coordinator, partition-1 .. partition-N, gateway or admin-ui")
        String service;

        @Option(names = {"-f", "--follow"}, description = "keep printing what is appended")
        boolean follow;

        @Override
        public Integer call() {
            if (service != null && ServiceKind.ofServiceName(service).isEmpty()) {
                throw new ParameterException(spec.commandLine(), "Unknown service " + service
                        + " (services: coordinator, partition-<node id>, gateway, admin-ui)");
            }
            LocalCluster cluster = cluster(spec, false);
            PrintWriter out = spec.commandLine().getOut();
            Map<String, Path> logs = service != null ? Map.of(service, cluster.logFile(service)) : cluster.logFiles();
            if (logs.isEmpty() || logs.values().stream().noneMatch(Files::exists)) {
                spec.commandLine().getErr().println("No logs in " + cluster.config().logDir()
                        + (service != null ? " for " + service : ""));
                return FAILED;
            }
            boolean several = logs.size() > 1;
            logs.forEach((name, log) -> {
                if (several) {
                    out.println("==> " + name + " (" + log + ") <==");
                }
                LogFiles.tail(log, several ? LOG_LINES / 2 : LOG_LINES).forEach(out::println);
            });
            out.flush();
            if (follow) {
                try {
                    LogFiles.follow(logs, out);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return OK;
        }
    }
}
