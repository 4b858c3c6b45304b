package io.sluice.testing;

import java.util.Arrays;
import java.util.Comparator;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the classes that share a cluster (extended with a {@link SharedCluster}) after every other class, grouped by
 * their extension so that each kind of shared cluster starts once ({@link SharedClusters} closes one kind before the
 * next starts), each group by name. A shared cluster lives until its group ends: started early, its idle JVMs took
 * about half a core from every cluster the later classes started on a two-core machine. Registered in a module's
 * {@code junit-platform.properties}.
 */
public final class SharedClusterLast implements ClassOrderer {

    /** Sorts before every extension's name: the classes without a shared cluster. */
    private static final String NONE = "";

    @Override
    public void orderClasses(ClassOrdererContext context) {
        context.getClassDescriptors().sort(Comparator
                .comparing((ClassDescriptor descriptor) -> sharedCluster(descriptor))
                .thenComparing(descriptor -> descriptor.getTestClass().getName()));
    }

    private static String sharedCluster(ClassDescriptor descriptor) {
        return descriptor.findRepeatableAnnotations(ExtendWith.class).stream()
                .flatMap(extendWith -> Arrays.stream(extendWith.value()))
                .filter(SharedCluster.class::isAssignableFrom)
                .map(Class::getName).findFirst().orElse(NONE);
    }
}
