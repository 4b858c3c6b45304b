package io.sluice.kafka;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * The Kafka APIs a listener answers, each with the range of versions it serves, and the ApiVersions answer that tells
 * clients so. By default an API is served from the oldest version kafka-clients can read to the newest stable one: a
 * version Kafka marks unstable (still being designed, such as InitProducerId v6 in kafka-clients 4.4) is never offered,
 * since clients that enable it would get whatever the next Kafka release makes of it. An API left out is one a client
 * must not use: a request for it, or for a version outside its range, is answered with UNSUPPORTED_VERSION, never
 * dropped.
 */
public final class SupportedApis {

    /** The versions of one API a listener serves, both ends included. */
    public record Versions(short oldest, short newest) {

        public Versions {
            if (oldest < 0 || newest < oldest) {
                throw new IllegalArgumentException("Not a version range: " + oldest + " to " + newest);
            }
        }

        /** The oldest version kafka-clients can read to its newest stable one. */
        public static Versions stable(ApiKeys api) {
            return new Versions(api.oldestVersion(), api.latestVersion(false));
        }

        boolean contains(short version) {
            return version >= oldest && version <= newest;
        }
    }

    /**
     * A feature ApiVersions names (KIP-584), such as {@code transaction.version}: the levels this listener supports,
     * and the level the cluster runs at ({@code finalizedLevel}; 0 is off and is not listed as finalized).
     */
    public record Feature(String name, short minLevel, short maxLevel, short finalizedLevel) {

        public Feature {
            if (minLevel < 0 || maxLevel < minLevel || finalizedLevel < 0 || finalizedLevel > maxLevel) {
                throw new IllegalArgumentException("Feature " + name + ": levels " + minLevel + " to " + maxLevel
                        + ", finalized " + finalizedLevel);
            }
        }
    }

    /**
     * The epoch of the finalized features: Kafka's clients take the features of the highest epoch they have seen, and
     * none below 0. Sluice's features are settings, the same at every gateway, so one epoch serves.
     */
    static final long FEATURES_EPOCH = 1;

    private final Map<ApiKeys, Versions> served;
    private final List<Feature> features;

    /**
     * @param served each API answered, with the versions answered (clipped to what kafka-clients can read); ApiVersions
     *               itself is always served, at every version
     */
    public SupportedApis(Map<ApiKeys, Versions> served) {
        this(served, List.of());
    }

    /**
     * @param served   as above
     * @param features the features ApiVersions names (from version 3, where the answer has them)
     */
    public SupportedApis(Map<ApiKeys, Versions> served, List<Feature> features) {
        this.features = List.copyOf(features);
        Map<ApiKeys, Versions> all = new EnumMap<>(ApiKeys.class);
        served.forEach((api, versions) -> all.put(api, new Versions(
                (short) Math.max(versions.oldest(), api.oldestVersion()),
                (short) Math.min(versions.newest(), api.latestVersion(true)))));
        all.put(ApiKeys.API_VERSIONS, Versions.stable(ApiKeys.API_VERSIONS));
        this.served = Collections.unmodifiableMap(all);
    }

    /** Each API at every stable version kafka-clients can read. */
    public static SupportedApis of(Set<ApiKeys> apis) {
        Map<ApiKeys, Versions> served = new EnumMap<>(ApiKeys.class);
        apis.forEach(api -> served.put(api, Versions.stable(api)));
        return new SupportedApis(served);
    }

    public List<Feature> features() {
        return features;
    }

    public Set<ApiKeys> apis() {
        return served.keySet();
    }

    /** The versions of {@code api} served, or null when it is not. */
    public Versions versions(ApiKeys api) {
        return served.get(api);
    }

    /** Whether the request's API is answered, at its version (ApiVersions at any: a newer one is answered in v0). */
    public boolean supports(KafkaRequest request) {
        Versions versions = served.get(request.apiKey());
        return versions != null && (request.apiKey() == ApiKeys.API_VERSIONS || versions.contains(request.version()));
    }

    /**
     * The answer to an ApiVersions request: the APIs and versions, with UNSUPPORTED_VERSION when the request itself
     * came in a version this build does not know (the answer is then v0, which every client reads).
     */
    public ApiVersionsResponseData apiVersions(KafkaRequest request) {
        ApiVersionsResponseData.ApiVersionCollection versions = new ApiVersionsResponseData.ApiVersionCollection();
        served.forEach((api, range) -> versions.add(new ApiVersionsResponseData.ApiVersion().setApiKey(api.id)
                .setMinVersion(range.oldest()).setMaxVersion(range.newest())));
        boolean known = request.responseVersion() == request.version();
        ApiVersionsResponseData answer = new ApiVersionsResponseData()
                .setErrorCode((known ? Errors.NONE : Errors.UNSUPPORTED_VERSION).code())
                .setApiKeys(versions);
        if (request.responseVersion() >= 3 && !features.isEmpty()) {
            ApiVersionsResponseData.SupportedFeatureKeyCollection supported =
                    new ApiVersionsResponseData.SupportedFeatureKeyCollection();
            ApiVersionsResponseData.FinalizedFeatureKeyCollection finalized =
                    new ApiVersionsResponseData.FinalizedFeatureKeyCollection();
            for (Feature feature : features) {
                supported.add(new ApiVersionsResponseData.SupportedFeatureKey().setName(feature.name())
                        .setMinVersion(feature.minLevel()).setMaxVersion(feature.maxLevel()));
                if (feature.finalizedLevel() > 0) {
                    finalized.add(new ApiVersionsResponseData.FinalizedFeatureKey().setName(feature.name())
                            .setMinVersionLevel(feature.finalizedLevel()).setMaxVersionLevel(feature.finalizedLevel()));
                }
            }
            answer.setSupportedFeatures(supported).setFinalizedFeatures(finalized)
                    .setFinalizedFeaturesEpoch(FEATURES_EPOCH);
        }
        return answer;
    }
}
