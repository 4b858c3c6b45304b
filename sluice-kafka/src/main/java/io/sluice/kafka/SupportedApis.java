package io.sluice.kafka;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * The Kafka APIs a listener answers, each from its oldest version the listener serves (by default the oldest
 * kafka-clients can read) to the newest kafka-clients can read, and the ApiVersions answer that tells clients so. An
 * API left out is one a client must not use: a request for it, or for a version below the range, is answered with
 * UNSUPPORTED_VERSION, never dropped.
 */
public final class SupportedApis {

    private final Map<ApiKeys, Short> oldest;

    /** @param oldest each API answered, with the oldest version answered */
    public SupportedApis(Map<ApiKeys, Short> oldest) {
        Map<ApiKeys, Short> all = new EnumMap<>(ApiKeys.class);
        oldest.forEach((api, version) -> all.put(api, (short) Math.max(version, api.oldestVersion())));
        all.put(ApiKeys.API_VERSIONS, ApiKeys.API_VERSIONS.oldestVersion());
        this.oldest = Collections.unmodifiableMap(all);
    }

    /** Each API at every version kafka-clients can read. */
    public static SupportedApis of(Set<ApiKeys> apis) {
        Map<ApiKeys, Short> oldest = new EnumMap<>(ApiKeys.class);
        apis.forEach(api -> oldest.put(api, api.oldestVersion()));
        return new SupportedApis(oldest);
    }

    public Set<ApiKeys> apis() {
        return oldest.keySet();
    }

    /** Whether the request's API is answered, at its version. */
    public boolean supports(KafkaRequest request) {
        Short from = oldest.get(request.apiKey());
        return from != null && (request.apiKey() == ApiKeys.API_VERSIONS || request.version() >= from);
    }

    /**
     * The answer to an ApiVersions request: the APIs and versions, with UNSUPPORTED_VERSION when the request itself
     * came in a version this build does not know (the answer is then v0, which every client reads).
     */
    public ApiVersionsResponseData apiVersions(KafkaRequest request) {
        ApiVersionsResponseData.ApiVersionCollection versions = new ApiVersionsResponseData.ApiVersionCollection();
        oldest.forEach((api, from) -> versions.add(new ApiVersionsResponseData.ApiVersion().setApiKey(api.id)
                .setMinVersion(from).setMaxVersion(api.latestVersion())));
        boolean known = request.responseVersion() == request.version();
        return new ApiVersionsResponseData()
                .setErrorCode((known ? Errors.NONE : Errors.UNSUPPORTED_VERSION).code())
                .setApiKeys(versions);
    }
}
