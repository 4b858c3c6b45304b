package io.sluice.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rendered Kubernetes manifests in fabric8's typed model. Jackson puts a field the model does not know into a
 * resource's {@code additionalProperties} instead of failing, so {@link #parse} walks every parsed object and refuses
 * any such field: a misspelt {@code replica:} or a probe at the wrong depth fails here, as the API server would refuse
 * it.
 */
record Manifests(List<HasMetadata> resources) {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    static Manifests parse(String yaml) {
        List<HasMetadata> resources = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (String document : yaml.split("(?m)^---\\s*$")) {
            if (document.lines().allMatch(line -> line.isBlank() || line.stripLeading().startsWith("#"))) {
                continue;
            }
            HasMetadata resource = SERIALIZATION.unmarshal(document, HasMetadata.class);
            unknownFields(resource, resource.getKind() + "/" + resource.getMetadata().getName(), unknown);
            resources.add(resource);
        }
        if (!unknown.isEmpty()) {
            throw new AssertionError("Fields the Kubernetes model does not know:\n  " + String.join("\n  ", unknown));
        }
        return new Manifests(List.copyOf(resources));
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T one(Class<T> type, String nameSuffix) {
        List<T> matching = all(type).stream().filter(r -> r.getMetadata().getName().endsWith(nameSuffix)).toList();
        if (matching.size() != 1) {
            throw new AssertionError("Expected one " + type.getSimpleName() + " named *" + nameSuffix + ", found "
                    + matching.stream().map(r -> r.getMetadata().getName()).toList());
        }
        return matching.getFirst();
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String nameSuffix) {
        return all(type).stream().filter(r -> r.getMetadata().getName().endsWith(nameSuffix)).findFirst();
    }

    List<String> kinds() {
        return resources.stream().map(HasMetadata::getKind).toList();
    }

    /** Adds to {@code out} the path of every field in {@code value}'s tree that landed in additionalProperties. */
    static void unknownFields(Object value, String path, List<String> out) {
        if (value == null) {
            return;
        }
        if (value instanceof Collection<?> collection) {
            int i = 0;
            for (Object element : collection) {
                unknownFields(element, path + "[" + i++ + "]", out);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, element) -> unknownFields(element, path + "." + key, out));
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get")
                    || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object field = invoke(getter, value);
            if (getter.getName().equals("getAdditionalProperties")) {
                if (field instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    out.add(path + ": " + extra.keySet());
                }
                continue;
            }
            String name = getter.getName().substring(3);
            unknownFields(field, path + "." + Character.toLowerCase(name.charAt(0)) + name.substring(1), out);
        }
    }

    private static Object invoke(Method getter, Object target) {
        try {
            return getter.invoke(target);
        } catch (IllegalAccessException | InvocationTargetException e) {
            return null;
        }
    }
}
