package io.sluice.launcher;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The command line behind {@code bin/sluice}: {@code up}, {@code down}, {@code status}, {@code logs}. Each call is a
 * short-lived process; the services it starts outlive it, and later calls find them through their pid files.
 *
 * <p>System properties set by {@code bin/sluice}: {@code sluice.home}, the checkout (else found upwards from the
 * working directory), and {@code sluice.cwd}, the directory the user called it from, against which a relative
 * {@code --base-dir} is resolved.
 */
public final class Main {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    /** {@code status}: nothing is running (the LSB convention for status commands). */
    static final int NOT_RUNNING = 3;

    private static final int LOG_LINES = 50;

    private Main() {
    }

    public static void main(String[] args) {
        Path cwd = Path.of(System.getProperty("sluice.cwd", System.getProperty("user.dir")));
        Optional<Path> root = Optional.ofNullable(System.getProperty("sluice.home")).map(Path::of)
                .or(() -> RepoRoot.find(Path.of(System.getProperty("user.dir"))));
        if (root.isEmpty()) {
            System.err.println("Not inside a Sluice checkout (no pom.xml of sluice-parent above "
                    + System.getProperty("user.dir") + "); run bin/sluice from the repository.");
            System.exit(FAILED);
        }
        System.exit(run(List.of(args), System.getenv(), root.get(), cwd, System.out, System.err));
    }

    static int run(List<String> args, Map<String, String> environment, Path repoRoot, Path cwd, PrintStream out,
                   PrintStream err) {
        CommandLine commandLine;
        ClusterConfig config;
        try {
            commandLine = CommandLine.parse(args);
            Map<Setting, String> settings = new EnumMap<>(Setting.class);
            settings.putAll(Setting.fromEnvironment(environment));
            settings.putAll(commandLine.settings());
            config = ClusterConfig.fromSettings(repoRoot, cwd, settings).withSecure(commandLine.secure());
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println("Usage: bin/sluice up|down|status|logs [service] [-f] [options]; bin/sluice --help for more.");
            return USAGE;
        }
        LocalCluster cluster = new LocalCluster(config, out::println);
        return switch (commandLine.command()) {
            case HELP -> {
                out.print(usage());
                yield OK;
            }
            case UP -> up(cluster, out, err);
            case DOWN -> {
                cluster.down();
                yield OK;
            }
            case STATUS -> status(cluster, out);
            case LOGS -> logs(cluster, commandLine, out, err);
        };
    }

    private static int up(LocalCluster cluster, PrintStream out, PrintStream err) {
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
        boolean gateway = status.service(LocalCluster.GATEWAY).map(s -> s.state().isRunning()).orElse(false);
        // What runs decides, not this call's --secure: an up that found a cluster running tells how to use that one.
        boolean tls = status.service(LocalCluster.GATEWAY).map(ServiceStatus::tls).orElse(false);
        if (gateway && tls) {
            printSecureTry(cluster, status.service(LocalCluster.GATEWAY).orElseThrow().url().toString(), out);
        } else if (gateway) {
            String url = status.service(LocalCluster.GATEWAY).orElseThrow().url().toString();
            int replicas = Math.max(1, Math.min(3, cluster.config().nodes()));
            out.println();
            out.println("Try it:");
            out.printf("  curl -s -X POST %s/v1/topics -H 'Content-Type: application/json' "
                    + "-d '{\"name\":\"demo\",\"partition_count\":3,\"replication_factor\":%d}'%n", url, replicas);
            out.printf("  curl -s -X POST %s/v1/topics/demo/records -H 'Content-Type: application/json' "
                    + "-d '[{\"partition\":0,\"key\":\"k1\",\"value\":\"hello\"}]'%n", url);
            out.printf("  curl -sN -H 'Accept: text/event-stream' "
                    + "'%s/v1/topics/demo/partitions/0/records?offset=earliest'%n", url);
        }
        boolean console = status.service(LocalCluster.ADMIN_UI).map(s -> s.state().isRunning()).orElse(false);
        if (console) {
            out.println();
            out.println("The web console: " + status.service(LocalCluster.ADMIN_UI).orElseThrow().url());
        }
        out.println();
        out.println("bin/sluice status shows its health, bin/sluice logs <service> [-f] its logs,"
                + " bin/sluice down stops it.");
        return OK;
    }

    /** How to call a secured gateway: its CA and the admin's password file, never the password itself. */
    private static void printSecureTry(LocalCluster cluster, String url, PrintStream out) {
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
        out.printf("  %s -X POST %s/v1/topics -H 'Content-Type: application/json' "
                + "-d '{\"name\":\"demo\",\"partition_count\":3,\"replication_factor\":%d}'%n", curl, url, replicas);
        out.printf("  %s -X POST %s/v1/topics/demo/records -H 'Content-Type: application/json' "
                + "-d '[{\"partition\":0,\"key\":\"k1\",\"value\":\"hello\"}]'%n", curl, url);
        out.printf("  %s '%s/v1/topics/demo/partitions/0/records?offset=earliest'%n", curl, url);
        out.println("The console signs in as admin with the same password.");
    }

    private static int status(LocalCluster cluster, PrintStream out) {
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
                    service.pid().isPresent() ? Long.toString(service.pid().getAsLong()) : "-", service.port(), note);
        }
        out.println("Metadata: " + status.metadata().map(MetadataSummary::describe)
                .orElse("unavailable (no ready coordinator)"));
        if (status.isUp()) {
            return OK;
        }
        return status.isDown() ? NOT_RUNNING : FAILED;
    }

    private static int logs(LocalCluster cluster, CommandLine commandLine, PrintStream out, PrintStream err) {
        Map<String, Path> logs = commandLine.service()
                .map(name -> Map.of(name, cluster.logFile(name)))
                .orElseGet(cluster::logFiles);
        if (logs.isEmpty() || logs.values().stream().noneMatch(Files::exists)) {
            err.println("No logs in " + cluster.config().logDir()
                    + commandLine.service().map(name -> " for " + name).orElse(""));
            return FAILED;
        }
        boolean several = logs.size() > 1;
        logs.forEach((name, log) -> {
            if (several) {
                out.println("==> " + name + " (" + log + ") <==");
            }
            LogFiles.tail(log, several ? LOG_LINES / 2 : LOG_LINES).forEach(out::println);
        });
        if (commandLine.follow()) {
            try {
                LogFiles.follow(logs, out);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return OK;
    }

    static String usage() {
        StringBuilder text = new StringBuilder("""
                Usage: bin/sluice <command> [options]

                Runs a Sluice cluster on this machine: the coordinator (with its embedded Redis), partition services,
                gateway and admin UI, each a java process on 127.0.0.1. Services whose module is not in the checkout
                are skipped. bin/sluice builds missing jars first (./mvnw -DskipTests package).

                Commands:
                  up                    start every service not yet running, coordinator first, each tier ready before
                                        the next; prints the URLs. Starts nothing when the cluster already runs.
                  up --secure           the same with security and TLS on: makes (once; later runs reuse it) a local
                                        CA, a certificate for localhost and 127.0.0.1, a cluster secret, a stream-token
                                        secret and the user admin with a random password in <base>/secure/ (files
                                        0600); every service serves HTTPS, calls between them use mutual TLS.
                  down                  stop what up started, in reverse order: SIGTERM, then SIGKILL after the stop
                                        grace. Only PIDs whose command line is still that service are signalled.
                  status                each service's state, PID and port; topics, partitions, offline partitions
                                        and live nodes from the coordinator. Exit 0 when every built service is
                                        ready, 3 when none runs, 1 otherwise.
                  logs [SERVICE] [-f]   the end of SERVICE's log (of every log without SERVICE); -f keeps following.
                  --help, -h            this text.

                Services: coordinator, partition-1 .. partition-N, gateway, admin-ui.

                Options, each also an environment variable (the option wins):
                """);
        for (Setting setting : Setting.values()) {
            String option = setting.option() + " " + setting.placeholder();
            text.append(String.format("  %-26s %-24s %s%n", option, setting.environmentVariable(), setting.meaning()));
            text.append(String.format("  %-26s %-24s default: %s%n", "", "", setting.defaultValue()));
        }
        text.append("""

                Files under the base directory: coordinator/ and node-<id>/ (data), logs/<service>.log (appended on
                every start), run/<service>.pid, secure/ (up --secure). Delete the directory after down for a fresh cluster.
                Exit status: 0 done, 1 failed, 2 bad usage, 3 (status) nothing running.
                """);
        return text.toString();
    }
}
