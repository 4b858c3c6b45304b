package io.sluice.coordinator.producer;

import static io.sluice.coordinator.testing.CoordinatorApi.expectProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.coordinator.store.RedisKeys;
import io.sluice.coordinator.testing.CoordinatorTestSupport;
import io.sluice.coordinator.testing.TestRedis;
import io.sluice.internal.producer.IdempotencyClaim;
import io.sluice.internal.producer.IdempotencyClaimRequest;
import io.sluice.internal.producer.IdempotencyReleaseRequest;
import io.sluice.internal.producer.ProducerIdBlock;
import io.sluice.internal.producer.ProducerIdsRequest;
import io.sluice.internal.producer.ProducerPaths;
import io.sluice.internal.producer.StoredResponse;
import io.sluice.protocol.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Producer id blocks never overlap; an Idempotency-Key keeps its producer id and assignment across attempts, has one
 * holder at a time, answers a stored response once released with one, and refuses another request.
 */
class IdempotencyKeysTest extends CoordinatorTestSupport {

    private static final String FINGERPRINT = "a".repeat(64);

    @Test
    void producerIdBlocksFollowEachOtherWithoutOverlap() {
        ProducerIdBlock first = allocate(100);
        ProducerIdBlock second = allocate(5);

        assertThat(first.count()).isEqualTo(100);
        assertThat(second.firstProducerId()).isEqualTo(first.lastProducerId() + 1);
    }

    @Test
    void aBlockOfNoIdsIsABadRequest() {
        expectProblem(api().post(ProducerPaths.PRODUCER_IDS, new ProducerIdsRequest(0)), ErrorCode.INVALID_REQUEST);
    }

    @Test
    void aRetryAfterAnUnfinishedAttemptGetsTheSameProducerIdAndAssignment() {
        IdempotencyClaim first = claim("order-1", FINGERPRINT, "t1", List.of(0, 2, 2));
        release("order-1", "t1", null);

        IdempotencyClaim retry = claim("order-1", FINGERPRINT, "t2", List.of(1, 1, 1));

        assertThat(first.status()).isEqualTo(IdempotencyClaim.Status.NEW);
        assertThat(retry.status()).isEqualTo(IdempotencyClaim.Status.RETRY);
        assertThat(retry.producerId()).isEqualTo(first.producerId());
        assertThat(retry.assignment()).containsExactly(0, 2, 2);
        assertThat(claim("order-2", FINGERPRINT, "t3", List.of(0)).producerId()).isNotEqualTo(first.producerId());
    }

    @Test
    void aKeyHeldByAnAttemptInProgressIsInUseAndAnotherRequestsKeyIsReused() {
        claim("order-3", FINGERPRINT, "t1", List.of(0));

        expectProblem(claimSpec("order-3", FINGERPRINT, "t2"), ErrorCode.IDEMPOTENCY_KEY_IN_USE);
        expectProblem(claimSpec("order-3", "b".repeat(64), "t2"), ErrorCode.IDEMPOTENCY_KEY_REUSED);
        // The holder asking again (its answer was lost) gets its claim back.
        assertThat(claim("order-3", FINGERPRINT, "t1", List.of(0)).status()).isEqualTo(IdempotencyClaim.Status.RETRY);
    }

    @Test
    void aReleasedResponseAnswersEveryLaterClaimAndTheKeyExpiresWithItsRetention() {
        claim("order-4", FINGERPRINT, "t1", List.of(0));
        release("order-4", "t1", new StoredResponse(200, "{\"results\":[]}"));

        IdempotencyClaim later = claim("order-4", FINGERPRINT, "t2", List.of(0));

        assertThat(later.status()).isEqualTo(IdempotencyClaim.Status.COMPLETED);
        assertThat(later.response()).isEqualTo(new StoredResponse(200, "{\"results\":[]}"));
        long ttl = TestRedis.shared().commands().pttl(RedisKeys.idempotencyKey(digest("order-4")));
        assertThat(ttl).isBetween(1L, 60_000L);
    }

    @Test
    void aReleaseByAnAttemptThatNoLongerHoldsTheKeyChangesNothing() {
        claim("order-5", FINGERPRINT, "t1", List.of(0));
        release("order-5", "someone-else", new StoredResponse(200, "{}"));

        expectProblem(claimSpec("order-5", FINGERPRINT, "t2"), ErrorCode.IDEMPOTENCY_KEY_IN_USE);
    }

    private ProducerIdBlock allocate(int count) {
        return api().post(ProducerPaths.PRODUCER_IDS, new ProducerIdsRequest(count)).expectStatus().isOk()
                .expectBody(ProducerIdBlock.class).returnResult().getResponseBody();
    }

    private IdempotencyClaim claim(String key, String fingerprint, String token, List<Integer> assignment) {
        return api().post(ProducerPaths.IDEMPOTENCY_CLAIMS, new IdempotencyClaimRequest(key, fingerprint, token,
                        assignment, 60_000, 30_000))
                .expectStatus().isOk().expectBody(IdempotencyClaim.class).returnResult().getResponseBody();
    }

    private WebTestClient.ResponseSpec claimSpec(String key, String fingerprint, String token) {
        return api().post(ProducerPaths.IDEMPOTENCY_CLAIMS, new IdempotencyClaimRequest(key, fingerprint, token,
                List.of(0), 60_000, 30_000));
    }

    private void release(String key, String token, StoredResponse response) {
        api().post(ProducerPaths.IDEMPOTENCY_RELEASES, new IdempotencyReleaseRequest(key, token, response))
                .expectStatus().isNoContent();
    }

    private static String digest(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
