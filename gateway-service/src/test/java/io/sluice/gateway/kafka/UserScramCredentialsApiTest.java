package io.sluice.gateway.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testing.FakeCluster;
import io.sluice.gateway.testing.FakeClusterWebTest;
import io.sluice.internal.scram.ScramMechanism;
import io.sluice.internal.scram.ScramSnapshot;
import io.sluice.kafka.KafkaRequest;
import io.sluice.security.Scram;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData.ScramCredentialDeletion;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData.ScramCredentialUpsertion;
import org.apache.kafka.common.message.AlterUserScramCredentialsResponseData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData.UserName;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * DescribeUserScramCredentials and AlterUserScramCredentials with the rules of Kafka's controller, each user's outcome
 * on its own: a refused user (altered twice, an empty name, iterations out of bounds, an unknown mechanism, deleting
 * what it does not have) changes nothing, while the others of the request are stored, with StoredKey and ServerKey
 * derived from the salted password the client sent.
 */
@FakeClusterWebTest
class UserScramCredentialsApiTest {

    private final KafkaSession session = new KafkaSession(1, new InetSocketAddress("127.0.0.1", 1), false);

    @Autowired
    KafkaApis apis;

    @Autowired
    FakeCluster cluster;

    private static ScramCredentialUpsertion upsertion(String user, byte mechanism, int iterations) {
        byte[] salt = "some-salt".getBytes(StandardCharsets.US_ASCII);
        ScramMechanism known = ScramMechanism.ofKafkaType(mechanism).orElse(ScramMechanism.SCRAM_SHA_256);
        return new ScramCredentialUpsertion().setName(user).setMechanism(mechanism).setIterations(iterations)
                .setSalt(salt).setSaltedPassword(Scram.saltedPassword(known, "pw".getBytes(StandardCharsets.UTF_8),
                        salt, ScramMechanism.MIN_ITERATIONS));
    }

    @Test
    void eachUserIsAlteredOrRefusedOnItsOwnAndARefusedOneChangesNothing() {
        Map<String, Errors> first = alter(new AlterUserScramCredentialsRequestData().setUpsertions(List.of(
                upsertion("api-ann", (byte) 2, 4096),
                upsertion("api-ben", (byte) 1, 16384),
                upsertion("api-cat", (byte) 1, 4095),
                upsertion("api-dan", (byte) 2, 16385),
                upsertion("", (byte) 1, 4096),
                upsertion("api-eve", (byte) 3, 4096),
                upsertion("api-fay", (byte) 1, 4096),
                upsertion("api-fay", (byte) 2, 4096))));

        assertThat(first).containsExactlyInAnyOrderEntriesOf(Map.of("api-ann", Errors.NONE, "api-ben", Errors.NONE,
                "api-cat", Errors.UNACCEPTABLE_CREDENTIAL, "api-dan", Errors.UNACCEPTABLE_CREDENTIAL,
                "", Errors.UNACCEPTABLE_CREDENTIAL, "api-eve", Errors.UNSUPPORTED_SASL_MECHANISM,
                "api-fay", Errors.DUPLICATE_RESOURCE));
        ScramSnapshot stored = cluster.scramCredentials().block();
        assertThat(stored.credentials()).filteredOn(c -> c.user().startsWith("api-"))
                .extracting(c -> c.user() + ":" + c.mechanism() + ":" + c.iterations())
                .containsExactlyInAnyOrder("api-ann:SCRAM_SHA_512:4096", "api-ben:SCRAM_SHA_256:16384");
        assertThat(Scram.matches(stored.find("api-ann", ScramMechanism.SCRAM_SHA_512).orElseThrow(), "pw"))
                .as("the keys derived from the client's salted password").isTrue();

        // Deleting what ann has and what ben has not: ann's goes, ben's stays.
        Map<String, Errors> second = alter(new AlterUserScramCredentialsRequestData().setDeletions(List.of(
                new ScramCredentialDeletion().setName("api-ann").setMechanism((byte) 2),
                new ScramCredentialDeletion().setName("api-ben").setMechanism((byte) 2))));
        assertThat(second).containsExactlyInAnyOrderEntriesOf(Map.of("api-ann", Errors.NONE,
                "api-ben", Errors.RESOURCE_NOT_FOUND));
        assertThat(cluster.scramCredentials().block().credentials()).filteredOn(c -> c.user().startsWith("api-"))
                .extracting(c -> c.user()).containsExactly("api-ben");
    }

    @Test
    void describeAnswersMechanismsAndIterationsOfEachUserAskedOrOfEveryUser() {
        alter(new AlterUserScramCredentialsRequestData().setUpsertions(List.of(upsertion("describe-gus", (byte) 1,
                8192))));
        alter(new AlterUserScramCredentialsRequestData().setUpsertions(List.of(upsertion("describe-gus", (byte) 2,
                4096))));

        DescribeUserScramCredentialsResponseData named = describe(List.of("describe-gus", "describe-nobody",
                "describe-twice", "describe-twice"));
        assertThat(named.errorCode()).isZero();
        Map<String, String> results = new TreeMap<>();
        named.results().forEach(result -> results.put(result.user(), Errors.forCode(result.errorCode()) + " "
                + result.credentialInfos().stream().map(i -> i.mechanism() + "/" + i.iterations()).sorted().toList()));
        assertThat(results).containsExactlyInAnyOrderEntriesOf(Map.of(
                "describe-gus", "NONE [1/8192, 2/4096]",
                "describe-nobody", "RESOURCE_NOT_FOUND []",
                "describe-twice", "DUPLICATE_RESOURCE []"));

        assertThat(describe(null).results()).extracting(r -> r.user()).contains("describe-gus");
    }

    private Map<String, Errors> alter(AlterUserScramCredentialsRequestData data) {
        AlterUserScramCredentialsResponseData answer = (AlterUserScramCredentialsResponseData) handle(
                ApiKeys.ALTER_USER_SCRAM_CREDENTIALS, data);
        Map<String, Errors> outcomes = new TreeMap<>();
        answer.results().forEach(result -> outcomes.put(result.user(), Errors.forCode(result.errorCode())));
        return outcomes;
    }

    private DescribeUserScramCredentialsResponseData describe(List<String> users) {
        return (DescribeUserScramCredentialsResponseData) handle(ApiKeys.DESCRIBE_USER_SCRAM_CREDENTIALS,
                new DescribeUserScramCredentialsRequestData().setUsers(users == null ? null
                        : users.stream().map(user -> new UserName().setName(user)).toList()));
    }

    private ApiMessage handle(ApiKeys api, ApiMessage body) {
        short version = api.latestVersion();
        AbstractRequest parsed = AbstractRequest.parseRequest(api, version,
                MessageUtil.toByteBufferAccessor(body, version)).request;
        return apis.handle(new KafkaRequest(new RequestHeader(api, version, "scram", 1), parsed, version), session)
                .block(Duration.ofSeconds(30));
    }
}
