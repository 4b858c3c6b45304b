package io.sluice.protocol.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.config.SchemaValidation.SubjectNaming;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A topic's schema validation rules from its configs, and the subjects they name. */
class SchemaValidationTest {

    @Test
    void aTopicWithoutTheConfigsChecksNothing() {
        assertThat(SchemaValidation.of(Map.of())).isEqualTo(SchemaValidation.NONE);
        assertThat(SchemaValidation.NONE.any()).isFalse();
    }

    @Test
    void valuesAndKeysAreCheckedEachByItsOwnConfigs() {
        SchemaValidation rules = SchemaValidation.of(Map.of(
                "confluent.value.schema.validation", "true",
                "sluice.value.schema.validation.mode", "content",
                "confluent.key.schema.validation", "true",
                "confluent.key.subject.name.strategy", SchemaValidation.RECORD_NAME_STRATEGY));

        assertThat(rules.any()).isTrue();
        assertThat(rules.value()).isEqualTo(new SchemaValidation.Side(true, SubjectNaming.TOPIC, true));
        assertThat(rules.key()).isEqualTo(new SchemaValidation.Side(true, SubjectNaming.RECORD, false));
    }

    @Test
    void aModeWithoutValidationChecksNothing() {
        assertThat(SchemaValidation.of(Map.of("sluice.value.schema.validation.mode", "content")).any()).isFalse();
    }

    @Test
    void subjectsAreNamedAsConfluentsStrategiesNameThem() {
        assertThat(SubjectNaming.TOPIC.subject("orders", false, "io.example.Order")).isEqualTo("orders-value");
        assertThat(SubjectNaming.TOPIC.subject("orders", true, "io.example.Order")).isEqualTo("orders-key");
        assertThat(SubjectNaming.RECORD.subject("orders", false, "io.example.Order")).isEqualTo("io.example.Order");
        assertThat(SubjectNaming.TOPIC_RECORD.subject("orders", false, "io.example.Order"))
                .isEqualTo("orders-io.example.Order");
    }

    @Test
    void anUnknownStrategyOrModeIsInvalidConfig() {
        for (Map<String, String> bad : new Map[] {
                Map.of("confluent.value.subject.name.strategy", "TopicNameStrategy"),
                Map.of("sluice.value.schema.validation.mode", "strict"),
                Map.of("confluent.value.schema.validation", "yes")}) {
            assertThatThrownBy(() -> SchemaValidation.of(bad)).as(bad.toString())
                    .isInstanceOfSatisfying(SluiceException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIG));
        }
    }
}
