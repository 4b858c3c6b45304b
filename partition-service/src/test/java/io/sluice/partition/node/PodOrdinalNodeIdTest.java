package io.sluice.partition.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

class PodOrdinalNodeIdTest {

    @Test
    void aStatefulSetPodWithoutANodeIdIsTheNodeOfItsOrdinal() {
        StandardEnvironment environment = environment(Map.of("HOSTNAME", "sluice-partition-2"));

        new PodOrdinalNodeId().postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("sluice.partition.node-id", Integer.class)).isEqualTo(2);
    }

    @Test
    void anExplicitNodeIdInTheEnvironmentWinsOverTheOrdinal() {
        StandardEnvironment environment = environment(Map.of("HOSTNAME", "sluice-partition-2",
                "SLUICE_PARTITION_NODEID", "7"));

        new PodOrdinalNodeId().postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("sluice.partition.node-id", Integer.class)).isEqualTo(7);
        assertThat(environment.getPropertySources().contains(PodOrdinalNodeId.SOURCE_NAME)).isFalse();
    }

    @Test
    void anExplicitNodeIdPropertyWinsOverTheOrdinal() {
        StandardEnvironment environment = environment(Map.of("HOSTNAME", "sluice-partition-2"));
        environment.getPropertySources().addFirst(new MapPropertySource("args", Map.of("sluice.partition.node-id", 0)));

        new PodOrdinalNodeId().postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("sluice.partition.node-id", Integer.class)).isZero();
    }

    @Test
    void aHostWithoutAnOrdinalGivesNoNodeId() {
        StandardEnvironment environment = environment(Map.of("HOSTNAME", "build-host"));

        new PodOrdinalNodeId().postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.containsProperty("sluice.partition.node-id")).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"sluice-partition-0, 0", "sluice-partition-12, 12", "my-release-sluice-partition-3, 3", "node-7, 7"})
    void theOrdinalIsTheNumberAfterTheLastDash(String hostname, int ordinal) {
        assertThat(PodOrdinalNodeId.ordinal(hostname)).contains(ordinal);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "sluice-partition", "sluice-partition-", "sluice-partition-x1", "12",
            "sluice-partition-99999999999"})
    void aNameThatIsNotAPodOfAStatefulSetHasNoOrdinal(String hostname) {
        assertThat(PodOrdinalNodeId.ordinal(hostname)).isEmpty();
    }

    private static StandardEnvironment environment(Map<String, Object> variables) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().addLast(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
        ConfigurationPropertySources.attach(environment);
        return environment;
    }
}
