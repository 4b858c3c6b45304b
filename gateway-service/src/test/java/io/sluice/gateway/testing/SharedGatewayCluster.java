package io.sluice.gateway.testing;

import io.sluice.launcher.ServiceKind;
import io.sluice.testing.SharedCluster;
import io.sluice.testing.SharedClusters;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands the gateway's cluster test classes (the public API, Kafka's clients and tools, groups, transactions, share
 * groups) one {@link GatewayCluster} (a coordinator, three partition services, a gateway) for the whole run, as a
 * parameter of their {@code @BeforeAll} method: started by the first class that asks, stopped when the run ends.
 * Starting five JVMs took 10 to 15 s a class. Each class uses topics, groups and transactional ids of its own; after
 * each test every service runs again ({@link GatewayCluster#heal}), whatever the test did to it. The classes that use
 * it run after all others ({@link io.sluice.testing.SharedClusterLast}).
 *
 * <p>The settings are those its classes need together: consumer groups rebalance without the initial delay (Connect
 * and Streams start their members one by one), the coordinator looks for timed-out transactions every 200 ms, and
 * share groups' locks last 5 s (so that a test sees one expire) and new share-partitions start at the log start; the
 * gateway masks the {@code card} and (hashed) {@code email} fields of {@code masked-.*} topics' keys and values.
 */
public final class SharedGatewayCluster implements SharedCluster, ParameterResolver, AfterEachCallback {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == GatewayCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return SharedClusters.get(context, GatewayCluster.class,
                () -> GatewayCluster.start("SharedGatewayCluster", 3, Map.of(ServiceKind.COORDINATOR, List.of(
                        "--sluice.coordinator.groups.initial-rebalance-delay=0s",
                        "--sluice.coordinator.transactions.abort-check-interval=200ms",
                        "--sluice.coordinator.share-groups.lock-duration=5s",
                        "--sluice.coordinator.share-groups.max-in-flight-records=20",
                        "--sluice.coordinator.share-groups.auto-offset-reset=earliest",
                        // A killed Kafka Streams instance's tasks move once its session ends: 6 s, not 45 s.
                        "--sluice.coordinator.streams-groups.session-timeout=6s"),
                        // RecordMaskingIT's rules: only its own topics match.
                        ServiceKind.GATEWAY, List.of(
                        // Kafka clients push their metrics every ~2 s (KafkaClientsIT scrapes them), not every 30.
                        "--sluice.gateway.kafka.telemetry.push-interval=2s",
                        "--sluice.gateway.masking.rules[0].topics=masked-.*",
                        "--sluice.gateway.masking.rules[0].fields=card",
                        "--sluice.gateway.masking.rules[1].topics=masked-.*",
                        "--sluice.gateway.masking.rules[1].fields=email",
                        "--sluice.gateway.masking.rules[1].action=hash"))));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        SharedClusters.open(context, GatewayCluster.class).ifPresent(GatewayCluster::heal);
    }
}
