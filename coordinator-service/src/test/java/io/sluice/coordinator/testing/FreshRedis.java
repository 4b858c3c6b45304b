package io.sluice.coordinator.testing;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestInstanceFactoryContext;
import org.junit.jupiter.api.extension.TestInstancePreConstructCallback;

/**
 * Gives a test class an empty {@link TestRedis}: flushes it once per class, before the first test instance exists
 * (so before the class's Spring context starts a coordinator on it, also with a per-class test lifecycle), and has
 * the server stopped when the test JVM's launcher session ends.
 */
public final class FreshRedis implements BeforeAllCallback, TestInstancePreConstructCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(FreshRedis.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        flushOncePerClass(context);
    }

    @Override
    public void preConstructTestInstance(TestInstanceFactoryContext factoryContext, ExtensionContext context) {
        flushOncePerClass(context);
    }

    private static void flushOncePerClass(ExtensionContext context) {
        // The session's store, not the run's: a forked test JVM runs each class as a run of its own, and the Redis
        // (which the Spring contexts cached for later classes point at) must outlive them all.
        TestRedis redis = context.getStore(ExtensionContext.StoreScope.LAUNCHER_SESSION, NAMESPACE)
                .computeIfAbsent(TestRedis.class, key -> TestRedis.shared(), TestRedis.class);
        ExtensionContext.Store run = context.getRoot().getStore(NAMESPACE);
        String flushedFor = "flushed:" + context.getRequiredTestClass().getName();
        if (run.get(flushedFor) == null) {
            redis.flush();
            run.put(flushedFor, Boolean.TRUE);
        }
    }
}
