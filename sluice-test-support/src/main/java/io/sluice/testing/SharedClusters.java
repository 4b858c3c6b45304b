package io.sluice.testing;

import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The one shared cluster of a test run: a {@link SharedCluster} extension asks for its kind here. A cluster of
 * another kind that is still open is closed first, so two shared clusters never run side by side in one test JVM (an
 * idle cluster's JVMs took about half a core from the other on a two-core machine); {@link SharedClusterLast} runs the classes of
 * one kind together, so each kind starts once. The last one is closed when the test JVM's launcher session ends.
 */
public final class SharedClusters {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedClusters.class);
    private static final String KEY = "open";

    private SharedClusters() {
    }

    /** The open cluster of {@code kind}, started by {@code start} if it is not open (after closing another kind). */
    public static <T extends AutoCloseable> T get(ExtensionContext context, Class<T> kind, Supplier<T> start) {
        ExtensionContext.Store store = sessionStore(context);
        Open open = store.get(KEY, Open.class);
        if (open != null && open.kind() != kind) {
            store.remove(KEY, Open.class);
            open.close();
            open = null;
        }
        if (open == null) {
            open = new Open(kind, start.get());
            store.put(KEY, open);
        }
        return kind.cast(open.cluster());
    }

    /** The open cluster of {@code kind}, if that is the one open. */
    public static <T extends AutoCloseable> Optional<T> open(ExtensionContext context, Class<T> kind) {
        Open open = sessionStore(context).get(KEY, Open.class);
        return open != null && open.kind() == kind ? Optional.of(kind.cast(open.cluster())) : Optional.empty();
    }

    /**
     * The launcher session's store: the whole run in one JVM, also when a forked test JVM runs each class as a run of
     * its own (failsafe's {@code forkCount} above 1), which the root context's store would not outlive.
     */
    private static ExtensionContext.Store sessionStore(ExtensionContext context) {
        return context.getStore(ExtensionContext.StoreScope.LAUNCHER_SESSION, NAMESPACE);
    }

    private record Open(Class<?> kind, AutoCloseable cluster) implements AutoCloseable {

        @Override
        public void close() {
            try {
                cluster.close();
            } catch (Exception e) {
                throw new IllegalStateException("could not close the shared " + kind.getSimpleName(), e);
            }
        }
    }
}
