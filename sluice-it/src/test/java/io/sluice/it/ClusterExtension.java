package io.sluice.it;

import io.sluice.testing.SharedCluster;
import io.sluice.testing.SharedClusters;
import io.sluice.testing.SluiceCluster;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands test classes one {@link TestCluster}, as a parameter of their {@code @BeforeAll} method or test (or the same
 * cluster as a {@link SluiceCluster}, for the classes that test through the gateway): started by the first class that
 * asks, stopped (with its data deleted) when the run ends or another kind of shared cluster is asked for
 * ({@link SharedClusters}), because starting five JVMs costs far more than most tests here. Each class uses topics of
 * its own; after each test every service is running and unpaused again ({@link TestCluster#heal}), whatever the test
 * did to it. The classes that use it run after all others ({@link io.sluice.testing.SharedClusterLast}).
 */
final class ClusterExtension implements SharedCluster, ParameterResolver, AfterEachCallback {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == TestCluster.class || type == SluiceCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        TestCluster cluster = SharedClusters.get(context, TestCluster.class, TestCluster::start);
        return parameter.getParameter().getType() == SluiceCluster.class ? cluster.sluice() : cluster;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        SharedClusters.open(context, TestCluster.class).ifPresent(TestCluster::heal);
    }
}
