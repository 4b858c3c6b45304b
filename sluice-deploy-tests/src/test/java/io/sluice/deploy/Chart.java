package io.sluice.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The chart at {@code helm/sluice}, rendered by Helm's own library (helm-java) as {@code helm template} would. */
final class Chart {

    static final String RELEASE = "sluice";
    static final String NAMESPACE = "streaming";

    private Chart() {
    }

    static Path dir() {
        return Repo.root().resolve("helm").resolve("sluice");
    }

    static Path valuesFile(String name) {
        return Repo.root().resolve("sluice-deploy-tests/src/test/resources/values").resolve(name);
    }

    /** Renders with the default values, then {@code valuesFile} (when not null), then {@code set}. */
    static String render(String valuesFile, Map<String, Object> set) {
        TemplateCommand template = template(dir());
        if (valuesFile != null) {
            template = template.withValuesFile(valuesFile(valuesFile));
        }
        for (Map.Entry<String, Object> entry : set.entrySet()) {
            template = template.set(entry.getKey(), entry.getValue());
        }
        return template.call();
    }

    /** Helm's library assumes Kubernetes 1.20 unless told; the chart needs 1.27 or newer. */
    private static TemplateCommand template(Path chart) {
        return new Helm(chart).template().withName(RELEASE).withNamespace(NAMESPACE).withKubeVersion("1.31.0");
    }

    static Manifests manifests(String valuesFile) {
        return Manifests.parse(render(valuesFile, Map.of()));
    }

    /**
     * The pods of {@code helm test}. Helm's library returns the release manifest without its hooks, so the chart is
     * copied to {@code workDir} with the hook annotations of {@code templates/tests} removed, and rendered there.
     */
    static List<Pod> testPods(Path workDir) {
        try {
            Path copy = workDir.resolve("sluice");
            try (Stream<Path> files = Files.walk(dir())) {
                for (Path file : files.toList()) {
                    Path target = copy.resolve(dir().relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(target);
                    } else if (file.getParent().endsWith("tests")) {
                        Files.writeString(target, Files.readString(file).replaceAll("(?m)^\\s*helm\\.sh/hook.*$", ""));
                    } else {
                        Files.copy(file, target);
                    }
                }
            }
            String yaml = template(copy).call();
            return Manifests.parse(yaml).all(Pod.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
