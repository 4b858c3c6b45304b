package io.sluice.kafka;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * The Kafka APIs a listener answers, each at every version kafka-clients can read (the versions a client of this
 * build or an older one sends), and the ApiVersions answer that tells clients so. An API left out is one a client
 * must not use: a request for it is answered with UNSUPPORTED_VERSION, never dropped.
 */
public final class SupportedApis {

    private final Set<ApiKeys> apis;

    public SupportedApis(Set<ApiKeys> apis) {
        EnumSet<ApiKeys> all = EnumSet.noneOf(ApiKeys.class);
        all.addAll(apis);
        all.add(ApiKeys.API_VERSIONS);
        this.apis = Collections.unmodifiableSet(all);
    }

    public Set<ApiKeys> apis() {
        return apis;
    }

    public boolean supports(KafkaRequest request) {
        return request.apiKey() == ApiKeys.API_VERSIONS || apis.contains(request.apiKey());
    }

    /**
     * The answer to an ApiVersions request: the APIs and versions, with UNSUPPORTED_VERSION when the request itself
     * came in a version this build does not know (the answer is then v0, which every client reads).
     */
    public ApiVersionsResponseData apiVersions(KafkaRequest request) {
        ApiVersionsResponseData.ApiVersionCollection versions = new ApiVersionsResponseData.ApiVersionCollection();
        for (ApiKeys api : apis) {
            versions.add(new ApiVersionsResponseData.ApiVersion().setApiKey(api.id)
                    .setMinVersion(api.oldestVersion()).setMaxVersion(api.latestVersion()));
        }
        boolean known = request.responseVersion() == request.version();
        return new ApiVersionsResponseData()
                .setErrorCode((known ? Errors.NONE : Errors.UNSUPPORTED_VERSION).code())
                .setApiKeys(versions);
    }
}
