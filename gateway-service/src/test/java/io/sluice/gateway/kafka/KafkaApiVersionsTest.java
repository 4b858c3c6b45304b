package io.sluice.gateway.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testing.FakeClusterWebTest;
import io.sluice.kafka.KafkaRequest;
import io.sluice.kafka.SupportedApis;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.DescribeAclsRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * What ApiVersions offers is a golden table: docs/kafka.md's "APIs and versions" lists every API and version range the
 * listener serves, and this test holds the listener to it, so that a kafka-clients upgrade that would offer clients a
 * new version (and with it fields nobody reads) fails here instead of in a user's client. No version Kafka marks
 * unstable is ever offered.
 */
@FakeClusterWebTest
class KafkaApiVersionsTest {

    /** A row of the table: API names, then versions such as {@code 0–5}, {@code 0}, or {@code 0–0, 0–2} for two APIs. */
    private static final Pattern ROW = Pattern.compile("^\\| ([A-Z][A-Za-z, ]+) \\| ([0-9–, ]+) \\|");

    @Autowired
    KafkaApis apis;

    @Test
    void apiVersionsOffersExactlyTheTableInDocsKafkaMd() throws IOException {
        Map<String, String> offered = new TreeMap<>();
        SupportedApis supported = apis.supported();
        for (ApiKeys api : supported.apis()) {
            SupportedApis.Versions versions = supported.versions(api);
            offered.put(api.name, range(versions.oldest(), versions.newest()));
        }

        assertThat(offered).isEqualTo(documented());
    }

    @Test
    void noVersionKafkaMarksUnstableIsOffered() {
        SupportedApis supported = apis.supported();
        for (ApiKeys api : supported.apis()) {
            assertThat(supported.versions(api).newest()).as("%s", api.name).isLessThanOrEqualTo(api.latestVersion(false));
        }
        assertThat(supported.versions(ApiKeys.INIT_PRODUCER_ID).newest()).as("v6 (KIP-939) is unstable in 4.4")
                .isEqualTo((short) 5);
    }

    /**
     * Every API answers a request (an empty one: its fields at their defaults) at its oldest and newest offered version,
     * with an answer that can be written in that version: no offered version falls through to UNSUPPORTED_VERSION or
     * fails to be written — but for the one refusal docs/kafka.md states: a version 0 SaslHandshake, offered because
     * librdkafka signs in only with a broker that lists it. What each answers is its own tests' business.
     */
    @Test
    void everyApiAnswersAtItsOldestAndNewestOfferedVersion() {
        SupportedApis supported = apis.supported();
        KafkaSession session = new KafkaSession(1, new InetSocketAddress("127.0.0.1", 1), false);
        List<String> failures = new ArrayList<>();
        for (ApiKeys api : supported.apis()) {
            SupportedApis.Versions versions = supported.versions(api);
            for (short version : new short[] {versions.oldest(), versions.newest()}) {
                String where = api.name + " v" + version;
                try {
                    ApiMessage body = api == ApiKeys.DESCRIBE_ACLS ? anyAcl() : api.messageType.newRequest();
                    AbstractRequest parsed = AbstractRequest.parseRequest(api, version,
                            MessageUtil.toByteBufferAccessor(body, version)).request;
                    KafkaRequest request = new KafkaRequest(new RequestHeader(api, version, "versions", 1), parsed,
                            version);
                    ApiMessage answer = apis.handle(request, session).block(Duration.ofSeconds(30));
                    if (answer == null) {
                        continue; // a request with no answer (a produce with acks=0)
                    }
                    Errors error = AbstractResponse.parseResponse(api,
                            MessageUtil.toByteBufferAccessor(answer, version), version).errorCounts().keySet()
                            .stream().filter(e -> e == Errors.UNSUPPORTED_VERSION).findFirst().orElse(Errors.NONE);
                    if (error != Errors.NONE) {
                        failures.add(where + ": " + error);
                    }
                } catch (RuntimeException e) {
                    failures.add(where + ": " + e);
                }
            }
        }
        assertThat(failures).containsExactly("SaslHandshake v0: UNSUPPORTED_VERSION");
    }

    /**
     * The features ApiVersions names from version 3 are docs/kafka.md's "Features" table (name, supported levels,
     * finalized level); versions 0 to 2, which have no place for them, name none.
     */
    @Test
    void apiVersionsNamesTheFeaturesOfTheTableInDocsKafkaMdFromVersion3() throws IOException {
        KafkaSession session = new KafkaSession(1, new InetSocketAddress("127.0.0.1", 1), false);
        Map<String, String> named = new TreeMap<>();
        ApiVersionsResponseData v3 = apiVersions(session, (short) 3);
        v3.supportedFeatures().forEach(feature -> named.put(feature.name(),
                range(feature.minVersion(), feature.maxVersion()) + " | "
                        + (v3.finalizedFeatures().find(feature.name()) == null ? "0"
                        : Short.toString(v3.finalizedFeatures().find(feature.name()).maxVersionLevel()))));
        assertThat(v3.finalizedFeaturesEpoch()).isNotNegative();

        assertThat(named).isEqualTo(documentedFeatures());
        assertThat(apiVersions(session, (short) 2).supportedFeatures()).isEmpty();
    }

    private ApiVersionsResponseData apiVersions(KafkaSession session, short version) {
        ApiMessage body = new ApiVersionsRequestData().setClientSoftwareName("versions")
                .setClientSoftwareVersion("1");
        AbstractRequest parsed = AbstractRequest.parseRequest(ApiKeys.API_VERSIONS, version,
                MessageUtil.toByteBufferAccessor(body, version)).request;
        KafkaRequest request = new KafkaRequest(new RequestHeader(ApiKeys.API_VERSIONS, version, "versions", 1),
                parsed, version);
        ApiMessage answer = apis.handle(request, session).block(Duration.ofSeconds(30));
        return ((ApiVersionsResponse) AbstractResponse.parseResponse(ApiKeys.API_VERSIONS,
                MessageUtil.toByteBufferAccessor(answer, version), version)).data();
    }

    /** The table under "## Features": name to "supported levels | finalized level". */
    private static Map<String, String> documentedFeatures() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("../docs/kafka.md"));
        int start = lines.indexOf("## Features");
        assertThat(start).as("docs/kafka.md has its table of features").isNotNegative();
        Pattern row = Pattern.compile("^\\| `([a-z.]+)` \\| ([0-9–]+) \\| ([0-9]+) \\|");
        Map<String, String> table = new TreeMap<>();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("## ")) {
                break;
            }
            Matcher matched = row.matcher(line);
            if (matched.find()) {
                table.put(matched.group(1), normalized(matched.group(2)) + " | " + matched.group(3));
            }
        }
        return table;
    }

    /** kafka-clients parses no DescribeAcls whose filters are UNKNOWN, which the defaults are: match anything. */
    private static ApiMessage anyAcl() {
        return new DescribeAclsRequestData().setResourceTypeFilter(ResourceType.ANY.code())
                .setPatternTypeFilter(PatternType.ANY.code()).setOperation(AclOperation.ANY.code())
                .setPermissionType(AclPermissionType.ANY.code());
    }

    private static String range(short oldest, short newest) {
        return oldest == newest ? Short.toString(oldest) : oldest + "–" + newest;
    }

    /** The table under "## APIs and versions", API name to its range. */
    private static Map<String, String> documented() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("../docs/kafka.md"));
        int start = lines.indexOf("## APIs and versions");
        assertThat(start).as("docs/kafka.md has its table of APIs").isNotNegative();
        Map<String, String> table = new TreeMap<>();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("## ")) {
                break;
            }
            Matcher row = ROW.matcher(line);
            if (!row.find()) {
                continue;
            }
            List<String> names = Arrays.stream(row.group(1).split(",")).map(String::strip).toList();
            List<String> ranges = Arrays.stream(row.group(2).split(",")).map(String::strip)
                    .map(KafkaApiVersionsTest::normalized).toList();
            for (int i = 0; i < names.size(); i++) {
                table.put(names.get(i), ranges.size() == 1 ? ranges.getFirst() : ranges.get(i));
            }
        }
        return table;
    }

    /** {@code 0–0} is written {@code 0}. */
    private static String normalized(String range) {
        String[] ends = range.split("–");
        return ends.length == 2 && ends[0].equals(ends[1]) ? ends[0] : range;
    }
}
