package io.sluice.launcher;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The launcher's settings, each an environment variable and a command-line option of the same meaning (the option
 * wins). This table is the one place they are named; {@code --help} prints it and {@link ClusterConfig} applies it.
 *
 * <p>The variables are removed from the environment the services inherit: Spring Boot would otherwise bind, say,
 * {@code SLUICE_COORDINATOR_PORT} to a {@code sluice.coordinator.port} property of the coordinator.
 */
enum Setting {

    BASE_DIR("SLUICE_BASE_DIR", "--base-dir", "DIR", "./var (in the repository)",
            "data, logs/<service>.log and run/<service>.pid"),
    NODES("SLUICE_NODES", "--nodes", "N", "3", "number of partition services (node ids 1..N)"),
    COORDINATOR_PORT("SLUICE_COORDINATOR_PORT", "--coordinator-port", "PORT", "9400", "coordinator HTTP port"),
    REDIS_PORT("SLUICE_REDIS_PORT", "--redis-port", "PORT", "6390", "the coordinator's embedded redis-server"),
    PARTITION_PORT("SLUICE_PARTITION_PORT", "--partition-port", "PORT", "9501",
            "node 1's port; node N listens on PORT+N-1"),
    GATEWAY_PORT("SLUICE_GATEWAY_PORT", "--gateway-port", "PORT", "8080", "gateway (public API) port"),
    ADMIN_PORT("SLUICE_ADMIN_PORT", "--admin-port", "PORT", "8088", "admin UI port"),
    KAFKA_PORT("SLUICE_KAFKA_PORT", "--kafka-port", "PORT", "9092", "the gateway's Kafka listener port"),
    DATA_PATH("SLUICE_DATA_PATH", "--data-path", "direct|gateway", "direct",
            "where Kafka clients produce and fetch: at the partition leaders' own listeners (free ports, named by "
                    + "the gateway's Metadata; not with --secure) or through the gateway"),
    // MetaspaceSize: the serial collector answers metaspace reaching its first threshold (21 MB by default, which a
    // service passes minutes into a load) with a full collection, 110-190 ms paused on a partition leader; at 128 MB
    // (a threshold, nothing reserved) no service reaches it.
    JVM_OPTS("SLUICE_JVM_OPTS", "--jvm-opts", "OPTS",
            "-XX:+UseSerialGC -Xms64m -Xmx512m -XX:MetaspaceSize=128m -XX:+ExitOnOutOfMemoryError",
            "JVM options of every service, split at spaces"),
    READY_TIMEOUT("SLUICE_READY_TIMEOUT", "--ready-timeout", "DURATION", "120s",
            "how long a service may take to become ready"),
    STOP_GRACE("SLUICE_STOP_GRACE", "--stop-grace", "DURATION", "30s",
            "how long after SIGTERM a service is killed with SIGKILL"),
    AOT_TRAIN("SLUICE_AOT_TRAIN", "--aot-train", "true|false", "false",
            "each service records a start-up cache trained by this run (its classes and the JIT's method profiles), "
                    + "written as it stops (at least 120s of stop grace); later starts of this build use it");

    private final String environmentVariable;
    private final String option;
    private final String placeholder;
    private final String defaultValue;
    private final String meaning;

    Setting(String environmentVariable, String option, String placeholder, String defaultValue, String meaning) {
        this.environmentVariable = environmentVariable;
        this.option = option;
        this.placeholder = placeholder;
        this.defaultValue = defaultValue;
        this.meaning = meaning;
    }

    String environmentVariable() {
        return environmentVariable;
    }

    String option() {
        return option;
    }

    String placeholder() {
        return placeholder;
    }

    String defaultValue() {
        return defaultValue;
    }

    String meaning() {
        return meaning;
    }

    static Optional<Setting> ofOption(String option) {
        for (Setting setting : values()) {
            if (setting.option.equals(option)) {
                return Optional.of(setting);
            }
        }
        return Optional.empty();
    }

    /** The settings given in an environment; blank variables count as unset. */
    static Map<Setting, String> fromEnvironment(Map<String, String> environment) {
        Map<Setting, String> values = new EnumMap<>(Setting.class);
        for (Setting setting : values()) {
            String value = environment.get(setting.environmentVariable);
            if (value != null && !value.isBlank()) {
                values.put(setting, value.trim());
            }
        }
        return values;
    }

    /** {@code 500ms}, {@code 30s}, {@code 2m}, or a bare number of seconds. */
    static Duration parseDuration(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            }
            if (value.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)));
            }
            if (value.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(value.substring(0, value.length() - 1)));
            }
            return Duration.ofSeconds(Long.parseLong(value));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a duration (try 500ms, 30s, 2m): " + text);
        }
    }

    /** {@code direct} (true) or {@code gateway} (false), in any case. */
    static boolean parseBoolean(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("not true or false: " + text);
        };
    }

    static boolean parseDataPath(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "direct" -> true;
            case "gateway" -> false;
            default -> throw new IllegalArgumentException("not a data path (direct or gateway): " + text);
        };
    }
}
