package io.sluice.internal.brokerconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A change of the cluster-wide broker configs: values checked and made canonical, bad changes refused whole. */
class BrokerConfigChangeTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "num.partitions             | 1     | 1",
            "num.partitions             | ' 6 ' | 6",
            "default.replication.factor | 3     | 3",
            "auto.create.topics.enable  | TRUE  | true",
            "auto.create.topics.enable  | false | false"})
    void aGoodValueShouldBeStoredInCanonicalForm(String name, String value, String stored) {
        assertThat(new BrokerConfigChange(Map.of(name, value), null, false, false).applyTo(Map.of()))
                .containsExactly(Map.entry(name, stored));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "num.partitions             | 0",
            "num.partitions             | -1",
            "num.partitions             | 2147483648",
            "default.replication.factor | two",
            "auto.create.topics.enable  | yes",
            "log.retention.ms           | 1000"})
    void aBadValueOrAConfigThatCannotChangeShouldBeInvalidConfig(String name, String value) {
        assertRefused(() -> new BrokerConfigChange(Map.of(name, value), null, false, false).applyTo(Map.of()),
                ErrorCode.INVALID_CONFIG);
    }

    @Test
    void aChangeShouldKeepTheConfigsItDoesNotNameAndAReplacingOneShouldNot() {
        Map<String, String> current = Map.of("num.partitions", "6", "default.replication.factor", "2");

        assertThat(new BrokerConfigChange(Map.of("auto.create.topics.enable", "true"), List.of("num.partitions"),
                false, false).applyTo(current)).containsExactly(Map.entry("auto.create.topics.enable", "true"),
                Map.entry("default.replication.factor", "2"));
        assertThat(new BrokerConfigChange(Map.of("auto.create.topics.enable", "true"), null, true, false)
                .applyTo(current)).containsExactly(Map.entry("auto.create.topics.enable", "true"));
    }

    @Test
    void aMalformedChangeShouldBeRefused() {
        HashMap<String, String> noValue = new HashMap<>();
        noValue.put("num.partitions", null);
        assertRefused(() -> new BrokerConfigChange(noValue, null, false, false), ErrorCode.INVALID_CONFIG);
        assertRefused(() -> new BrokerConfigChange(Map.of("num.partitions", "6"), List.of("num.partitions"), false,
                false).applyTo(Map.of()), ErrorCode.INVALID_REQUEST);
        assertRefused(() -> new BrokerConfigChange(Map.of(), List.of("num.partitions"), true, false)
                .applyTo(Map.of()), ErrorCode.INVALID_REQUEST);
    }

    private static void assertRefused(Runnable change, ErrorCode error) {
        assertThatThrownBy(change::run).isInstanceOfSatisfying(SluiceException.class,
                e -> assertThat(e.errorCode()).isEqualTo(error));
    }
}
