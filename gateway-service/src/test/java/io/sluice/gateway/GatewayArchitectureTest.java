package io.sluice.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import io.sluice.architecture.ServiceArchitecture;
import io.sluice.architecture.ServiceRules;
import org.junit.jupiter.api.Test;

/** The gateway's layering, as the build enforces it: the rules every service keeps, and the gateway's own. */
class GatewayArchitectureTest extends ServiceRules {

    GatewayArchitectureTest() {
        super("io.sluice.gateway");
    }

    @Test
    void routesNeverReachPartitionInternals() {
        noClasses().that(ServiceArchitecture.routes())
                .should().dependOnClassesThat().resideInAnyPackage("io.sluice.internal.partition..")
                .check(serviceClasses());
    }

    /**
     * The Kafka listener's packages form no cycle: the API families ({@code kafka.produce}, {@code kafka.fetch}, ...)
     * use the core ({@code kafka}: the listener, the routing, the session, the access checks), every one of them
     * through {@code KafkaApi}, so a core that used a family would close a cycle.
     */
    @Test
    void kafkaPackagesFormNoCycle() {
        ServiceArchitecture.noPackageCycles("io.sluice.gateway.kafka").check(serviceClasses());
    }
}
