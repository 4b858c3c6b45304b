package io.sluice.launcher;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What {@code status} found: every configured or recorded service in start order, and the coordinator's metadata
 * summary when a coordinator was ready to give one.
 */
public record ClusterStatus(Path baseDir, List<ServiceStatus> services, Optional<MetadataSummary> metadata) {

    public ClusterStatus {
        services = List.copyOf(services);
    }

    /** At least one service runs, and every service whose jar is built is running and ready. */
    public boolean isUp() {
        return services.stream().anyMatch(service -> service.state().isRunning())
                && services.stream().filter(service -> service.state().isLaunchable())
                .allMatch(service -> service.state() == ServiceStatus.State.READY);
    }

    /** No service runs. */
    public boolean isDown() {
        return services.stream().noneMatch(service -> service.state().isRunning());
    }

    public Optional<ServiceStatus> service(String name) {
        return services.stream().filter(service -> service.name().equals(name)).findFirst();
    }
}
