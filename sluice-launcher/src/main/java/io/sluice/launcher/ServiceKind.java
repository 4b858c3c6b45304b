package io.sluice.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The kinds of service process a local cluster runs, in start order: every coordinator is ready before any partition
 * service starts, every partition service before the gateway, the gateway before the admin UI. {@code down} stops
 * them in the reverse order.
 *
 * <p>Each kind is a Spring Boot fat jar built by the Maven module of the same name, at
 * {@code <repo>/<module>/target/<module>-<version>.jar}. Instances are named {@code coordinator},
 * {@code partition-<node id>}, {@code gateway} and {@code admin-ui}; the name picks the log and pid file.
 */
public enum ServiceKind {

    COORDINATOR("coordinator-service", "coordinator"),
    PARTITION("partition-service", "partition"),
    GATEWAY("gateway-service", "gateway"),
    ADMIN_UI("admin-ui", "admin-ui");

    /** Whether a kind's jar can be launched from a checkout. */
    public enum Availability {
        /** The jar is built. */
        BUILT,
        /** The module is in the checkout but its jar is not built. */
        NOT_BUILT,
        /** The module does not exist in this checkout (yet). */
        ABSENT
    }

    private final String module;
    private final String baseName;

    ServiceKind(String module, String baseName) {
        this.module = module;
        this.baseName = baseName;
    }

    /** The Maven module (and jar) name. */
    public String module() {
        return module;
    }

    /** The instance name: {@code partition-<nodeId>} for partition services, the bare name for the others. */
    public String serviceName(int nodeId) {
        return this == PARTITION ? baseName + "-" + nodeId : baseName;
    }

    public Path jar(Path repoRoot) {
        return repoRoot.resolve(module).resolve("target").resolve(module + "-" + BuildInfo.version() + ".jar");
    }

    public Availability availability(Path repoRoot) {
        if (Files.isRegularFile(jar(repoRoot))) {
            return Availability.BUILT;
        }
        return Files.isRegularFile(repoRoot.resolve(module).resolve("pom.xml")) ? Availability.NOT_BUILT
                : Availability.ABSENT;
    }

    /** The kind of a service instance name, e.g. {@code partition-2} → {@link #PARTITION}. */
    public static Optional<ServiceKind> ofServiceName(String name) {
        for (ServiceKind kind : values()) {
            if (kind != PARTITION && kind.baseName.equals(name)) {
                return Optional.of(kind);
            }
        }
        return nodeId(name).isPresent() ? Optional.of(PARTITION) : Optional.empty();
    }

    /** The node id in a partition service's name ({@code partition-2} → 2). */
    public static Optional<Integer> nodeId(String name) {
        String prefix = PARTITION.baseName + "-";
        if (!name.startsWith(prefix) || name.length() == prefix.length() || name.length() > prefix.length() + 4) {
            return Optional.empty();
        }
        String digits = name.substring(prefix.length());
        if (!digits.chars().allMatch(Character::isDigit) || digits.startsWith("0")) {
            return Optional.empty();
        }
        return Optional.of(Integer.parseInt(digits));
    }
}
