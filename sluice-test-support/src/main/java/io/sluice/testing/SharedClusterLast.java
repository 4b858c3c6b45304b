package io.sluice.testing;

import java.util.Arrays;
import java.util.Comparator;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the classes that share the run's cluster (extended with a {@link SharedCluster}) after every other class, each
 * group by name. The shared cluster lives until the run ends: started early, its idle JVMs took about half a core from
 * every cluster the later classes started on a two-core machine. Registered in a module's
 * {@code junit-platform.properties}.
 */
public final class SharedClusterLast implements ClassOrderer {

    @Override
    public void orderClasses(ClassOrdererContext context) {
        context.getClassDescriptors().sort(Comparator
                .comparing((ClassDescriptor descriptor) -> usesSharedCluster(descriptor))
                .thenComparing(descriptor -> descriptor.getTestClass().getName()));
    }

    private static boolean usesSharedCluster(ClassDescriptor descriptor) {
        return descriptor.findRepeatableAnnotations(ExtendWith.class).stream()
                .flatMap(extendWith -> Arrays.stream(extendWith.value()))
                .anyMatch(SharedCluster.class::isAssignableFrom);
    }
}
