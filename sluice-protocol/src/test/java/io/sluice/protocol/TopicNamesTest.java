package io.sluice.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Kafka's topic-name rule: 1..249 of [a-zA-Z0-9._-], never "." or "..". */
class TopicNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "orders", "my-topic", "my_topic", "my.topic", "Orders.v2_EU-west", "...", "-", "_",
            ".hidden", "0123456789"})
    void legalNamesAreValid(String name) {
        assertThat(TopicNames.isValid(name)).isTrue();
        TopicNames.validate(name);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {".", "..", "my topic", "a/b", "a\\b", "topic:1", "t*", "tópico", "主题", "emoji😀",
            "tab\t", "new\nline", " ", "a,b", "a+b", "a@b", "a#b"})
    void illegalNamesAreRejectedWithInvalidTopicName(String name) {
        assertThat(TopicNames.isValid(name)).isFalse();
        assertThatThrownBy(() -> TopicNames.validate(name))
                .isInstanceOfSatisfying(SluiceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_TOPIC_NAME))
                .hasMessageContaining("Topic name");
    }

    @Test
    void aNameOf249CharactersIsValidAndOf250IsNot() {
        assertThat(TopicNames.isValid("t".repeat(TopicNames.MAX_LENGTH))).isTrue();
        assertThat(TopicNames.isValid("t".repeat(TopicNames.MAX_LENGTH + 1))).isFalse();
        assertThatThrownBy(() -> TopicNames.validate("t".repeat(250))).hasMessageContaining("250");
    }

    @Test
    void theReasonNamesTheOffendingCharacter() {
        assertThatThrownBy(() -> TopicNames.validate("bad/name")).hasMessageContaining("'/'");
    }
}
