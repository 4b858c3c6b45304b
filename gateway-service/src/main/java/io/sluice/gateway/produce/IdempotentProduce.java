package io.sluice.gateway.produce;

import io.sluice.gateway.GatewayProperties;
import io.sluice.internal.SluiceJson;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.internal.producer.IdempotenceApi;
import io.sluice.internal.producer.IdempotencyClaim;
import io.sluice.internal.producer.IdempotencyClaimRequest;
import io.sluice.internal.producer.IdempotencyReleaseRequest;
import io.sluice.internal.producer.StoredResponse;
import io.sluice.protocol.Acks;
import io.sluice.protocol.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * A produce request with an {@code Idempotency-Key}: written once however often it is sent, through any gateway,
 * before or after a leader failover.
 *
 * <ol>
 *   <li>The coordinator claims the key for this attempt with the request's fingerprint (SHA-256 of topic, formats and
 *       body): a key first seen gets a producer id of its own and stores the partition of each record; a key used
 *       with another fingerprint is IDEMPOTENCY_KEY_REUSED (422); a key another attempt holds is
 *       IDEMPOTENCY_KEY_IN_USE (409, retriable); a key whose response was stored answers that response, and nothing
 *       is sent.</li>
 *   <li>Otherwise the records are encoded to the stored partitions as the key's producer (epoch 0, sequences from 0
 *       per partition) and sent: a leader that holds a batch already answers the offsets it was first written at and
 *       appends nothing — so re-sending after an unknown outcome (a timeout, NOT_LEADER_AFTER_APPEND, a gateway that
 *       died) cannot write twice, and the gateway's own re-routing cannot either.</li>
 *   <li>The key is released: with the response when every record was written (acks 1 or all), so later retries get
 *       it back verbatim; without it otherwise, so the next retry sends the same batches again.</li>
 * </ol>
 */
@Service
class IdempotentProduce {

    private static final Logger LOG = LoggerFactory.getLogger(IdempotentProduce.class);
    /** The hold outlives the request's own timeout by this much: the key is not taken over while it still runs. */
    private static final Duration HOLD_MARGIN = Duration.ofSeconds(5);

    private final ProduceService produce;
    private final IdempotenceApi coordinator;
    private final Duration keyRetention;
    private final JsonMapper json = SluiceJson.mapper();

    IdempotentProduce(ProduceService produce, IdempotenceApi coordinator, GatewayProperties properties) {
        this.produce = produce;
        this.coordinator = coordinator;
        this.keyRetention = properties.produce().idempotency().keyRetention();
    }

    /** What a keyed request answers: this attempt's results, or the response stored by an earlier one. */
    sealed interface Answer permits Fresh, Stored {
    }

    record Fresh(ProduceAnswer answer) implements Answer {
    }

    record Stored(StoredResponse response) implements Answer {
    }

    /**
     * @param formats the request's format parameters as sent (part of the fingerprint: they change what is written)
     */
    Mono<Answer> produce(IdempotencyKey key, String topicName, byte[] body, List<String> formats,
                         List<ProduceRecord> records, Acks acks, Duration timeout) {
        return produce.metadata(topicName).flatMap(topic -> {
            List<Integer> assigned = produce.assign(topic, records);
            String token = UUID.randomUUID().toString();
            IdempotencyClaimRequest claim = new IdempotencyClaimRequest(key.value(),
                    fingerprint(topic.name(), formats, body), token, assigned, keyRetention.toMillis(),
                    timeout.plus(HOLD_MARGIN).toMillis());
            return coordinator.claimIdempotencyKey(claim).flatMap(claimed ->
                    claimed.status() == IdempotencyClaim.Status.COMPLETED
                            ? Mono.just(new Stored(claimed.response()))
                            : send(key, token, topic, records, claimed, acks, timeout));
        });
    }

    private Mono<Answer> send(IdempotencyKey key, String token, TopicMetadata topic, List<ProduceRecord> records,
                              IdempotencyClaim claim, Acks acks, Duration timeout) {
        if (claim.assignment().size() != records.size()) {
            // Same fingerprint, same body: this cannot happen unless the stored key is damaged.
            return release(key, token, null).then(Mono.error(ErrorCode.UNKNOWN_SERVER_ERROR.exception(
                    "The stored partitions of Idempotency-Key '" + key.value() + "' do not match its request")));
        }
        RecordEncoder.IdempotentProducer producer = new RecordEncoder.IdempotentProducer(claim.producerId(),
                claim.producerEpoch(), false);
        return produce.produce(topic, records, claim.assignment(), producer, acks, timeout)
                .map(ProduceAnswer::new)
                .flatMap(answer -> release(key, token, storable(answer, acks))
                        .thenReturn((Answer) new Fresh(answer)))
                .onErrorResume(error -> release(key, token, null).then(Mono.error(error)))
                .doOnCancel(() -> release(key, token, null).subscribe());
    }

    /** The response later retries get: only one where every record was written and its offset is known. */
    private StoredResponse storable(ProduceAnswer answer, Acks acks) {
        if (acks == Acks.NONE || answer.failed() > 0) {
            return null;
        }
        return new StoredResponse(200, json.writeValueAsString(answer));
    }

    private Mono<Void> release(IdempotencyKey key, String token, StoredResponse response) {
        return coordinator.releaseIdempotencyKey(new IdempotencyReleaseRequest(key.value(), token, response))
                .onErrorResume(e -> {
                    // Its hold expires on its own; a retry until then is IDEMPOTENCY_KEY_IN_USE, after it a re-send.
                    LOG.warn("Could not release Idempotency-Key '{}': {}", key.value(), e.toString());
                    return Mono.empty();
                });
    }

    static String fingerprint(String topic, List<String> formats, byte[] body) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(topic.getBytes(StandardCharsets.UTF_8));
            for (String format : formats) {
                sha.update((byte) '\n');
                sha.update((format == null ? "" : format).getBytes(StandardCharsets.UTF_8));
            }
            sha.update((byte) '\n');
            sha.update(body);
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
