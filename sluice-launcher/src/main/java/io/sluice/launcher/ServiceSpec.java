package io.sluice.launcher;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * How to launch one service instance: its name, kind, jar, the ports it binds ({@code port} is its HTTP port; an
 * embedded redis-server's port comes after it) and its application arguments ({@code --key=value}, JVM options
 * excluded).
 */
public record ServiceSpec(String name, ServiceKind kind, Path jar, List<Integer> ports, List<String> args) {

    /** The argument that makes a service serve HTTPS from an SSL bundle; its presence makes its URL https. */
    static final String TLS_ARGUMENT = "--server.ssl.bundle=";

    public ServiceSpec {
        ports = List.copyOf(ports);
        args = List.copyOf(args);
        if (ports.isEmpty()) {
            throw new IllegalArgumentException(name + " binds no port");
        }
    }

    /** The HTTP port. */
    public int port() {
        return ports.getFirst();
    }

    public URI url() {
        return ClusterConfig.loopbackUrl(port(), tls());
    }

    /** Whether it serves HTTPS. */
    public boolean tls() {
        return args.stream().anyMatch(arg -> arg.startsWith(TLS_ARGUMENT));
    }

    public URI readinessUrl() {
        return url().resolve("/actuator/health/readiness");
    }
}
