package io.sluice.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The containers a rendered chart runs, with their environment resolved as the kubelet resolves it: the image's ENV,
 * then the container's {@code env} in order, {@code fieldRef}s filled from the pod (name, namespace, IP) and
 * {@code $(VAR)} references expanded from the variables defined before them; HOSTNAME is the pod's name. Each pod is
 * reachable by its IP, a StatefulSet pod also by its DNS name under its headless Service, and the first pod of a
 * component by the name of every Service that selects it. Secret and ConfigMap volumes become the files the kubelet
 * would mount, from the release's own Secrets and ConfigMaps and from {@code secrets} (those an operator creates); a
 * volume naming a Secret that neither holds fails, as the pod would not start.
 */
final class ChartContainers {

    private static final Pattern REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");
    private static final String CLUSTER_DOMAIN = "cluster.local";

    private ChartContainers() {
    }

    static List<ContainerConfig> of(Manifests manifests, Dockerfile dockerfile) {
        return of(manifests, dockerfile, Map.of());
    }

    /** {@code secrets}: Secrets that are not part of the release, by name: key → value. */
    static List<ContainerConfig> of(Manifests manifests, Dockerfile dockerfile,
                                    Map<String, Map<String, String>> secrets) {
        Map<String, Map<String, String>> sources = new LinkedHashMap<>();
        for (Secret secret : manifests.all(Secret.class)) {
            Map<String, String> data = new LinkedHashMap<>();
            secret.getData().forEach((key, value) -> data.put(key,
                    new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8)));
            sources.put("secret/" + secret.getMetadata().getName(), data);
        }
        secrets.forEach((name, data) -> sources.put("secret/" + name, data));
        for (ConfigMap map : manifests.all(ConfigMap.class)) {
            sources.put("configmap/" + map.getMetadata().getName(), map.getData());
        }
        List<ContainerConfig> containers = new ArrayList<>();
        int podIndex = 0;
        for (Deployment deployment : manifests.all(Deployment.class)) {
            for (int i = 0; i < deployment.getSpec().getReplicas(); i++) {
                String pod = deployment.getMetadata().getName() + "-7d4b9c8f6-" + "abcdefghij".charAt(i) + "x9z2";
                containers.add(container(manifests, dockerfile, deployment.getSpec().getTemplate(), pod,
                        "10.42.0." + (10 + podIndex++), null, i == 0, sources));
            }
        }
        for (StatefulSet set : manifests.all(StatefulSet.class)) {
            if (!isSluiceImage(set.getSpec().getTemplate())) {
                continue;
            }
            for (int i = 0; i < set.getSpec().getReplicas(); i++) {
                String pod = set.getMetadata().getName() + "-" + i;
                containers.add(container(manifests, dockerfile, set.getSpec().getTemplate(), pod,
                        "10.42.0." + (10 + podIndex++), set.getSpec().getServiceName(), i == 0, sources));
            }
        }
        return containers;
    }

    /** The names of the bundled Redis: its Services. */
    static List<String> redisHosts(Manifests manifests) {
        return manifests.all(Service.class).stream().map(s -> s.getMetadata().getName())
                .filter(name -> name.endsWith("-redis")).toList();
    }

    private static boolean isSluiceImage(PodTemplateSpec template) {
        return !template.getSpec().getContainers().getFirst().getImage().startsWith("redis:");
    }

    private static ContainerConfig container(Manifests manifests, Dockerfile dockerfile, PodTemplateSpec template,
                                             String pod, String podIp, String headlessService, boolean first,
                                             Map<String, Map<String, String>> sources) {
        Container container = template.getSpec().getContainers().getFirst();
        String image = container.getImage();
        String module = image.substring(image.lastIndexOf('/') + 1, image.lastIndexOf(':'));
        Map<String, String> env = new LinkedHashMap<>(dockerfile.image(module).env());
        env.put("HOSTNAME", pod);
        Map<String, String> defined = new LinkedHashMap<>();
        for (EnvVar variable : container.getEnv()) {
            String value;
            if (variable.getValueFrom() != null) {
                String field = variable.getValueFrom().getFieldRef().getFieldPath();
                value = switch (field) {
                    case "metadata.name" -> pod;
                    case "metadata.namespace" -> Chart.NAMESPACE;
                    case "status.podIP" -> podIp;
                    default -> throw new AssertionError(pod + ": unsupported fieldRef " + field);
                };
            } else {
                value = expand(variable.getValue(), defined);
            }
            defined.put(variable.getName(), value);
        }
        env.putAll(defined);
        List<String> hostNames = new ArrayList<>(List.of(podIp));
        if (headlessService != null) {
            hostNames.add(pod + "." + headlessService + "." + Chart.NAMESPACE + ".svc." + CLUSTER_DOMAIN);
        }
        if (first) {
            Map<String, String> labels = template.getMetadata().getLabels();
            for (Service service : manifests.all(Service.class)) {
                Map<String, String> selector = service.getSpec().getSelector();
                if (selector != null && labels.entrySet().containsAll(selector.entrySet())) {
                    hostNames.add(service.getMetadata().getName());
                }
            }
        }
        List<String> args = container.getArgs() == null ? List.of() : container.getArgs().stream()
                .map(arg -> expand(arg, defined)).toList();
        if (container.getCommand() != null && !container.getCommand().isEmpty()) {
            throw new AssertionError(pod + ": a command replaces the image's ENTRYPOINT: " + container.getCommand());
        }
        Map<String, Map<String, String>> mounts = new LinkedHashMap<>();
        for (VolumeMount mount : container.getVolumeMounts()) {
            // A StatefulSet's claim (the partition services' data) is no volume of the pod's template.
            template.getSpec().getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst()
                    .map(volume -> files(pod, volume, sources))
                    .ifPresent(files -> mounts.put(mount.getMountPath(), files));
        }
        return new ContainerConfig(pod, module, hostNames, env, args, mounts);
    }

    /** The files of a Secret, ConfigMap or projected volume (path → content); null for any other kind. */
    private static Map<String, String> files(String pod, Volume volume, Map<String, Map<String, String>> sources) {
        Map<String, String> files = new LinkedHashMap<>();
        if (volume.getSecret() != null) {
            project(pod, "secret/" + volume.getSecret().getSecretName(), volume.getSecret().getItems(), sources, files);
        } else if (volume.getConfigMap() != null) {
            project(pod, "configmap/" + volume.getConfigMap().getName(), volume.getConfigMap().getItems(), sources,
                    files);
        } else if (volume.getProjected() != null) {
            for (VolumeProjection projection : volume.getProjected().getSources()) {
                project(pod, "secret/" + projection.getSecret().getName(), projection.getSecret().getItems(), sources,
                        files);
            }
        } else {
            return null;
        }
        return files;
    }

    private static void project(String pod, String source, List<KeyToPath> items,
                                Map<String, Map<String, String>> sources, Map<String, String> files) {
        Map<String, String> data = sources.get(source);
        if (data == null) {
            throw new AssertionError(pod + " mounts " + source + ", which does not exist");
        }
        if (items == null || items.isEmpty()) {
            files.putAll(data);
            return;
        }
        for (KeyToPath item : items) {
            if (!data.containsKey(item.getKey())) {
                throw new AssertionError(pod + " mounts the key " + item.getKey() + " of " + source + ", which has "
                        + data.keySet());
            }
            files.put(item.getPath(), data.get(item.getKey()));
        }
    }

    /** Kubernetes' $(VAR) expansion: a reference to a variable not defined before stays as it is. */
    static String expand(String value, Map<String, String> defined) {
        if (value == null) {
            return "";
        }
        Matcher reference = REFERENCE.matcher(value);
        StringBuilder expanded = new StringBuilder();
        while (reference.find()) {
            String replacement = defined.getOrDefault(reference.group(1), reference.group());
            reference.appendReplacement(expanded, Matcher.quoteReplacement(replacement));
        }
        reference.appendTail(expanded);
        return expanded.toString();
    }
}
