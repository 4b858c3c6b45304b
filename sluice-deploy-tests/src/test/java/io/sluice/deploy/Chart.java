package io.sluice.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The chart at {@code helm/sluice}, rendered by Helm's own library (helm-java) as {@code helm template} would. */
final class Chart {

    static final String RELEASE = "sluice";
    static final String NAMESPACE = "streaming";
    private static final Pattern LOOKUP = Pattern.compile("\\(lookup [^)]*\\)");
    private static Path clientOnly;

    private Chart() {
    }

    static Path dir() {
        return Repo.root().resolve("helm").resolve("sluice");
    }

    static Path valuesFile(String name) {
        return Repo.root().resolve("sluice-deploy-tests/src/test/resources/values").resolve(name);
    }

    /**
     * Renders with the default values, then {@code valuesFile} (when not null), then {@code set}, as {@code helm
     * template} does: client-only. Helm's library would ask a cluster for the objects the chart looks up (the security
     * Secret it keeps across upgrades), so it renders a copy of the chart in which every {@code lookup} finds nothing,
     * which is what {@code helm template} and a first install see.
     */
    static String render(String valuesFile, Map<String, Object> set) {
        return renderLayered(valuesFile == null ? List.of() : List.of(valuesFile), set);
    }

    /** As {@link #render(String, Map)}, with {@code valuesFiles} one over the other, in order. */
    static String renderLayered(List<String> valuesFiles, Map<String, Object> set) {
        TemplateCommand template = template(clientOnly());
        for (String valuesFile : valuesFiles) {
            template = template.withValuesFile(valuesFile(valuesFile));
        }
        for (Map.Entry<String, Object> entry : set.entrySet()) {
            template = template.set(entry.getKey(), entry.getValue());
        }
        return template.call();
    }

    private static synchronized Path clientOnly() {
        if (clientOnly == null) {
            clientOnly = copy(Path.of("target", "chart-client-only").toAbsolutePath(), false);
        }
        return clientOnly;
    }

    /** Helm's library assumes Kubernetes 1.20 unless told; the chart needs 1.27 or newer. */
    private static TemplateCommand template(Path chart) {
        return new Helm(chart).template().withName(RELEASE).withNamespace(NAMESPACE).withKubeVersion("1.31.0");
    }

    static Manifests manifests(String valuesFile) {
        return manifests(valuesFile, Map.of());
    }

    static Manifests manifests(String valuesFile, Map<String, Object> set) {
        return Manifests.parse(render(valuesFile, set));
    }

    /** The manifests of {@code valuesFiles}, one over the other, in order. */
    static Manifests layered(List<String> valuesFiles) {
        return Manifests.parse(renderLayered(valuesFiles, Map.of()));
    }

    /**
     * The pods of {@code helm test} with {@code valuesFile} (null: the defaults), from {@link #withHooks}.
     */
    static List<Pod> testPods(Path workDir, String valuesFile) {
        return withHooks(workDir, valuesFile, Map.of()).all(Pod.class);
    }

    /**
     * The release's manifests and its hooks (tests, the scale-down Job) as manifests. Helm's library returns the release
     * manifest without its hooks, so the chart is copied to {@code workDir} with every hook annotation removed, and
     * rendered there; what the annotations say is read from the templates.
     */
    static Manifests withHooks(Path workDir, String valuesFile, Map<String, Object> set) {
        TemplateCommand template = template(copy(workDir.resolve("sluice"), true));
        if (valuesFile != null) {
            template = template.withValuesFile(valuesFile(valuesFile));
        }
        for (Map.Entry<String, Object> entry : set.entrySet()) {
            template = template.set(entry.getKey(), entry.getValue());
        }
        return Manifests.parse(template.call());
    }

    static List<Pod> testPods(Path workDir) {
        return testPods(workDir, null);
    }

    /** The chart copied to {@code copy} (emptied first), every lookup finding nothing, hooks made manifests if asked. */
    private static Path copy(Path copy, boolean hooksAsManifests) {
        try {
            if (Files.exists(copy)) {
                try (Stream<Path> old = Files.walk(copy)) {
                    for (Path file : old.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(file);
                    }
                }
            }
            try (Stream<Path> files = Files.walk(dir())) {
                for (Path file : files.toList()) {
                    Path target = copy.resolve(dir().relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(target);
                    } else if (file.getParent().endsWith("templates") || file.getParent().endsWith("tests")) {
                        String text = LOOKUP.matcher(Files.readString(file)).replaceAll("(dict)");
                        if (hooksAsManifests) {
                            text = text.replaceAll("(?m)^\\s*helm\\.sh/hook.*$", "");
                        }
                        Files.writeString(target, text);
                    } else {
                        Files.copy(file, target);
                    }
                }
            }
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
