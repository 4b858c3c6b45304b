package io.sluice.gateway.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.gateway.GatewayProperties;
import io.micrometer.core.instrument.Timer;
import io.sluice.kafka.KafkaErrors;
import io.sluice.kafka.KafkaRequest;
import io.sluice.kafka.SupportedApis;
import io.sluice.protocol.SluiceException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Routes each Kafka request to the {@link KafkaApi} of its API key and answers ApiVersions from the set of them, with
 * the features Kafka's clients look for ({@link #features}).
 * Every request gets an answer: one for an API no bean answers is UNSUPPORTED_VERSION (it was not offered in
 * ApiVersions either), and a handler's failure is Kafka's error response for the request, with the Sluice error's
 * Kafka counterpart ({@link KafkaErrors}). Admin requests the principal may not make are refused here
 * ({@link AdminAccess}); the data APIs check their topics themselves ({@link TopicAccess}).
 *
 * <p>Metrics: {@code sluice.gateway.kafka.requests} (a timer per {@code api}).
 */
@Component
class KafkaApis {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaApis.class);

    private final Map<ApiKeys, KafkaApi> handlers = new EnumMap<>(ApiKeys.class);
    private final SupportedApis supported;
    private final AdminAccess access;
    private final MeterRegistry meters;

    KafkaApis(List<KafkaApi> apis, AdminAccess access, MeterRegistry meters, GatewayProperties properties) {
        Map<ApiKeys, SupportedApis.Versions> versions = new EnumMap<>(ApiKeys.class);
        for (KafkaApi api : apis) {
            if (handlers.put(api.key(), api) != null) {
                throw new IllegalStateException("Two beans answer " + api.key());
            }
            versions.put(api.key(), api.versions());
        }
        this.supported = new SupportedApis(versions, features(properties.kafka()));
        this.access = access;
        this.meters = meters;
    }

    SupportedApis supported() {
        return supported;
    }

    /**
     * The features ApiVersions names, at the levels Kafka gives them: {@code transaction.version} at the configured
     * level (2: Kafka 4 producers end every transaction with an epoch bump and add partitions and groups implicitly),
     * {@code group.version} 1 (KIP-848's consumer groups), {@code share.version} 1 (share groups) and
     * {@code streams.version} 1 (KIP-1071's streams groups).
     */
    static List<SupportedApis.Feature> features(GatewayProperties.Kafka kafka) {
        return List.of(
                new SupportedApis.Feature("group.version", (short) 0, (short) 1, (short) 1),
                new SupportedApis.Feature("share.version", (short) 0, (short) 1, (short) 1),
                new SupportedApis.Feature("streams.version", (short) 0, (short) 1, (short) 1),
                new SupportedApis.Feature("transaction.version", (short) 0, (short) 2,
                        (short) kafka.transactionVersion()));
    }

    Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        long started = System.nanoTime();
        return answer(request, session).doOnTerminate(() -> Timer.builder("sluice.gateway.kafka.requests")
                .description("Kafka requests answered by the listener").tag("api", request.apiKey().name)
                .register(meters).record(System.nanoTime() - started, TimeUnit.NANOSECONDS));
    }

    private Mono<ApiMessage> answer(KafkaRequest request, KafkaSession session) {
        if (request.apiKey() == ApiKeys.API_VERSIONS) {
            return Mono.just(supported.apiVersions(request));
        }
        KafkaApi api = handlers.get(request.apiKey());
        if (api == null || !supported.supports(request)) {
            return Mono.just(request.errorResponse(new UnsupportedVersionException("Sluice does not answer "
                    + request.apiKey().name + " v" + request.version() + " (see ApiVersions)")));
        }
        return Mono.defer(() -> {
                    var refused = access.refusal(request, session);
                    return refused.isPresent() ? Mono.just(request.errorResponse(refused.get()))
                            : api.handle(request, session);
                })
                .onErrorResume(e -> {
                    if (!(e instanceof SluiceException) && !(e instanceof ApiException)) {
                        LOG.error("{} failed on {}", request, session, e);
                    }
                    return Mono.just(request.errorResponse(KafkaErrors.exception(e)));
                });
    }
}
