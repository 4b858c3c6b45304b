package io.sluice.coordinator.group;

import static io.sluice.coordinator.testing.CoordinatorApi.expectProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.coordinator.store.RedisKeys;
import io.sluice.coordinator.testing.CoordinatorTestSupport;
import io.sluice.coordinator.testing.TestNodes;
import io.sluice.coordinator.testing.TestRedis;
import io.sluice.protocol.ErrorCode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Bad group requests, written as the wire shows them: each is a typed 4xx problem, and Redis holds exactly what it
 * held before. Set-up: topic {@code orders} with 2 partitions; group {@code shop} with one member (at epoch 1, owning
 * both) and offset 5 committed for partition 0.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GroupInputValidationTest extends CoordinatorTestSupport {

    private TestNodes nodes;
    private String memberId;
    /** The group keys in Redis after the set-up; no test changes them. */
    private Map<String, Object> stored;

    @BeforeAll
    void aGroupWithOneMemberAndAnOffset() {
        nodes = newNodes();
        nodes.start(1);
        api().createTopic("orders", 2, 1);
        api().post("/internal/groups/shop/heartbeat", Map.of("member_epoch", 0,
                        "subscribed_topic_names", List.of("orders"), "owned_partitions", List.of()))
                .expectStatus().isOk()
                .expectBody().jsonPath("$.member_epoch").isEqualTo(1);
        memberId = memberIdOfTheOnlyMember();
        api().post("/internal/groups/shop/offsets", Map.of("member_id", memberId, "member_epoch", 1,
                "offsets", List.of(Map.of("topic", "orders", "partition", 0, "offset", 5)))).expectStatus().isOk();
        stored = groupKeys();
    }

    @AfterAll
    void stopNodes() {
        nodes.close();
    }

    @Test
    void whenTheGroupOrMemberIsUnknownShouldAnswerUnknownGroupOrMember() {
        assertRefused(api().web().get().uri("/internal/groups/nobody").exchange(), ErrorCode.UNKNOWN_GROUP);
        assertRefused(api().web().delete().uri("/internal/groups/nobody").exchange(), ErrorCode.UNKNOWN_GROUP);
        assertRefused(heartbeat(Map.of("member_id", "stranger", "member_epoch", 1)), ErrorCode.UNKNOWN_MEMBER);
        assertRefused(commit(Map.of("member_id", "stranger", "member_epoch", 1,
                "offsets", List.of(Map.of("topic", "orders", "partition", 0, "offset", 9)))), ErrorCode.UNKNOWN_MEMBER);
    }

    @Test
    void whenTheBodyIsMalformedOrIncompleteShouldAnswerInvalidRequest() {
        assertRefused(api().post("/internal/groups/shop/heartbeat", "{\"member_epoch\": "), ErrorCode.INVALID_REQUEST);
        assertRefused(api().post("/internal/groups/shop/offsets", "[1, 2]"), ErrorCode.INVALID_REQUEST);
        assertRefused(heartbeat(Map.of("member_id", memberId)), ErrorCode.INVALID_REQUEST);
        assertRefused(heartbeat(Map.of("member_epoch", 0)), ErrorCode.INVALID_REQUEST);
        assertRefused(heartbeat(Map.of("member_epoch", 0, "subscribed_topic_regex", "(unclosed")),
                ErrorCode.INVALID_REQUEST);
        assertRefused(heartbeat(Map.of("member_epoch", 0, "subscribed_topic_names", List.of("orders"),
                "session_timeout_ms", 1)), ErrorCode.INVALID_REQUEST);
        assertRefused(commit(Map.of("member_id", memberId, "member_epoch", 1, "offsets", List.of())),
                ErrorCode.INVALID_REQUEST);
    }

    @Test
    void whenAnOffsetIsNegativeOrForAPartitionThatDoesNotExistShouldAnswerItsCode() {
        assertRefused(commit(offset("orders", 0, -1)), ErrorCode.INVALID_OFFSET);
        assertRefused(commit(offset("orders", 2, 1)), ErrorCode.UNKNOWN_PARTITION);
        assertRefused(commit(offset("no-such-topic", 0, 1)), ErrorCode.UNKNOWN_TOPIC);
        assertRefused(commit(offset("bad/name", 0, 1)), ErrorCode.INVALID_TOPIC_NAME);
        assertRefused(api().post("/internal/groups/shop/offset-reset", Map.of("offsets",
                List.of(Map.of("topic", "orders", "partition", 0, "offset", -3)), "force", true)), ErrorCode.INVALID_OFFSET);
    }

    @Test
    void whenOneOffsetOfACommitIsRefusedNoneIsWritten() {
        assertRefused(commit(Map.of("member_id", memberId, "member_epoch", 1, "offsets", List.of(
                Map.of("topic", "orders", "partition", 1, "offset", 50),
                Map.of("topic", "orders", "partition", 0, "offset", 1)))), ErrorCode.INVALID_COMMIT_OFFSET);
    }

    @Test
    void whenTheGroupIdIsNotOneShouldAnswerInvalidGroupId() {
        assertRefused(api().web().get().uri("/internal/groups/{group}", "bad!group").exchange(),
                ErrorCode.INVALID_GROUP_ID);
    }

    private Map<String, Object> offset(String topic, int partition, long offset) {
        return Map.of("member_id", memberId, "member_epoch", 1,
                "offsets", List.of(Map.of("topic", topic, "partition", partition, "offset", offset)));
    }

    private WebTestClient.ResponseSpec heartbeat(Map<String, Object> body) {
        return api().post("/internal/groups/shop/heartbeat", body);
    }

    private WebTestClient.ResponseSpec commit(Map<String, Object> body) {
        return api().post("/internal/groups/shop/offsets", body);
    }

    private String memberIdOfTheOnlyMember() {
        return api().web().get().uri("/internal/groups/shop").exchange().expectStatus().isOk()
                .expectBody(io.sluice.internal.group.GroupDescription.class).returnResult().getResponseBody()
                .members().getFirst().memberId();
    }

    private void assertRefused(WebTestClient.ResponseSpec response, ErrorCode expected) {
        expectProblem(response, expected);
        assertThat(groupKeys()).isEqualTo(stored);
    }

    /** Every group key as stored. */
    private static Map<String, Object> groupKeys() {
        var redis = TestRedis.shared().commands();
        Map<String, Object> contents = new TreeMap<>();
        contents.put(RedisKeys.GROUPS, new TreeMap<>(redis.hgetall(RedisKeys.GROUPS)));
        contents.put(RedisKeys.groupOffsets("shop"), new TreeMap<>(redis.hgetall(RedisKeys.groupOffsets("shop"))));
        return contents;
    }
}
