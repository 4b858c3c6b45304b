package io.sluice.kafka;

import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * One request as a Kafka client framed it: its header (API, version, correlation id, client id) and its body as
 * kafka-clients' request type. {@link #responseVersion} is the version its answer is written in — the request's own,
 * except for an ApiVersions request of a version this build does not know, which is answered in version 0 so that the
 * client can read the versions it may use (Kafka's rule, KIP-511).
 */
public record KafkaRequest(RequestHeader header, AbstractRequest body, short responseVersion) {

    public ApiKeys apiKey() {
        return header.apiKey();
    }

    public short version() {
        return header.apiVersion();
    }

    public String clientId() {
        return header.clientId();
    }

    /** The answer to this request when it failed as a whole with {@code error} (Kafka's error for its class). */
    public ApiMessage errorResponse(Throwable error) {
        return body.getErrorResponse(0, error).data();
    }

    @Override
    public String toString() {
        return apiKey() + " v" + version() + " #" + header.correlationId() + " from '" + clientId() + "'";
    }
}
