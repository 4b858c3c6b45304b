package io.sluice.it;

import io.sluice.testing.SharedCluster;
import io.sluice.testing.SharedClusters;
import io.sluice.testing.SluiceCluster;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands the security suites one {@link SecuredCluster}, as a {@link SluiceCluster} parameter of their
 * {@code @BeforeAll} method: started by the first class that asks, stopped when the run ends or another kind of
 * shared cluster is asked for ({@link SharedClusters}). Each class uses topics, ACLs and transactional ids of its own.
 */
final class SecuredClusterExtension implements SharedCluster, ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == SluiceCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return SharedClusters.get(context, SecuredCluster.class, SecuredCluster::start).sluice();
    }
}
