package io.sluice.gateway.kafka;

import io.sluice.kafka.KafkaRequest;
import io.sluice.kafka.SupportedApis;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import reactor.core.publisher.Mono;

/**
 * One Kafka API the listener answers, a bean of its family's package ({@code produce}, {@code fetch}, {@code groups},
 * {@code share}, {@code transactions}, {@code admin}, {@code security}): {@link KafkaApis} routes the requests of its
 * {@link #key} to it and lists it in ApiVersions. Like a controller it composes the gateway's services (the same ones
 * the HTTP API uses) and says nothing of framing.
 */
public interface KafkaApi {

    ApiKeys key();

    /**
     * The versions of the API this bean serves, all of which it reads and answers in full; ApiVersions offers exactly
     * these. By default every stable version kafka-clients knows: an API that cannot serve one narrows the range, so
     * that a client never picks a version whose fields would be ignored.
     */
    default SupportedApis.Versions versions() {
        return SupportedApis.Versions.stable(key());
    }

    /**
     * The response body for {@code request} ({@code *ResponseData}), or empty when the request gets none (a produce
     * with acks=0). A failure of the whole request is answered with Kafka's error response for it.
     */
    Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session);
}
