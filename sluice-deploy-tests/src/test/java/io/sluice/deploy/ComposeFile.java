package io.sluice.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The repository's docker-compose.yml (or its override), anchors and merge keys resolved as Compose resolves them. */
record ComposeFile(Map<String, Object> root) {

    static Path path() {
        return Repo.root().resolve("docker-compose.yml");
    }

    /** The override that turns security on: {@code docker-compose -f docker-compose.yml -f <this>}. */
    static Path securePath() {
        return Repo.root().resolve("docker-compose.secure.yml");
    }

    static ComposeFile read() {
        return read(path());
    }

    static ComposeFile read(Path file) {
        try (Reader reader = Files.newBufferedReader(file)) {
            return new ComposeFile(new Yaml(new SafeConstructor(new LoaderOptions())).load(reader));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> services() {
        return (Map<String, Map<String, Object>>) root.get("services");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value == null ? Map.of() : (Map<String, Object>) value;
    }

    /** The Dockerfile target a service builds, or null for a service that runs a published image. */
    static String target(Map<String, Object> service) {
        return (String) map(service.get("build")).get("target");
    }

    /** The Redis services: the names by which the coordinators reach Redis. */
    Set<String> redisHosts() {
        Set<String> hosts = new HashSet<>();
        services().forEach((name, service) -> {
            if (String.valueOf(service.get("image")).startsWith("redis:")) {
                hosts.add(name);
            }
        });
        return hosts;
    }

    /** Every service built from the Dockerfile, with the image's ENV overlaid by the service's environment. */
    List<ContainerConfig> containers(Dockerfile dockerfile) {
        List<ContainerConfig> containers = new ArrayList<>();
        int index = 0;
        for (Map.Entry<String, Map<String, Object>> entry : services().entrySet()) {
            String target = target(entry.getValue());
            if (target == null || entry.getValue().containsKey("profiles")) {
                continue;
            }
            Map<String, String> env = new LinkedHashMap<>(dockerfile.image(target).env());
            map(entry.getValue().get("environment")).forEach((name, value) -> env.put(name, String.valueOf(value)));
            // Docker names a container's host after its id; no service may depend on it.
            env.put("HOSTNAME", "%012x".formatted(0x5111ce000000L + index++));
            List<String> args = new ArrayList<>();
            if (entry.getValue().get("command") instanceof List<?> command) {
                command.forEach(arg -> args.add(String.valueOf(arg)));
            }
            containers.add(new ContainerConfig(entry.getKey(), target, List.of(entry.getKey()), env, args));
        }
        return containers;
    }
}
