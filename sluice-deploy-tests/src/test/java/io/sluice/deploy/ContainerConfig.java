package io.sluice.deploy;

import java.util.List;
import java.util.Map;

/**
 * One container as a deployment file describes it, before anything is remapped for loopback.
 *
 * @param name      the container's (or pod's) name
 * @param module    the service its image runs: the Dockerfile target and the Maven module of the jar
 * @param hostNames the names by which other containers reach it (compose service name; pod DNS name, pod IP and the
 *                  Services that select it)
 * @param env       its environment: the image's ENV overlaid with the file's, in the container's own terms
 * @param args      arguments after the image's ENTRYPOINT
 * @param mounts    the files mounted from Secrets and ConfigMaps: mount path (a directory in the container) → the files
 *                  in it (relative path → content)
 */
record ContainerConfig(String name, String module, List<String> hostNames, Map<String, String> env,
                       List<String> args, Map<String, Map<String, String>> mounts) {

    ContainerConfig {
        hostNames = List.copyOf(hostNames);
        env = Map.copyOf(env);
        args = List.copyOf(args);
        mounts = Map.copyOf(mounts);
    }

    ContainerConfig(String name, String module, List<String> hostNames, Map<String, String> env, List<String> args) {
        this(name, module, hostNames, env, args, Map.of());
    }

    /** The port the service listens at inside the container ({@code SERVER_PORT}). */
    int port() {
        return Integer.parseInt(env.get("SERVER_PORT"));
    }

    /** The management port inside the container ({@code MANAGEMENT_SERVER_PORT}, else the HTTP port). */
    int managementPort() {
        return Integer.parseInt(env.getOrDefault("MANAGEMENT_SERVER_PORT", env.get("SERVER_PORT")));
    }
}
