package io.sluice.it;

import io.sluice.testing.SharedCluster;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands test classes one {@link TestCluster} for the whole run: started by the first class that asks, stopped (with
 * its data deleted) when the run ends, because starting four JVMs costs far more than any single test here. Each
 * test uses topics of its own; after each test every node is running and unpaused again ({@link TestCluster#heal}),
 * whatever the test did to it. The classes that use it run after all others
 * ({@link io.sluice.testing.SharedClusterLast}).
 */
final class ClusterExtension implements SharedCluster, ParameterResolver, AfterEachCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ClusterExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .computeIfAbsent(TestCluster.class, key -> TestCluster.start(), TestCluster.class);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        TestCluster cluster = context.getRoot().getStore(NAMESPACE).get(TestCluster.class, TestCluster.class);
        if (cluster != null) {
            cluster.heal();
        }
    }
}
