package io.sluice.gateway.kafka.security;

import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.gateway.security.ScramUsers;
import io.sluice.internal.scram.ScramCredential;
import io.sluice.internal.scram.ScramSnapshot;
import io.sluice.kafka.KafkaRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData.UserName;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData.CredentialInfo;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData.DescribeUserScramCredentialsResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeUserScramCredentialsRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * DescribeUserScramCredentials, as Kafka answers it: each user named (every user with a credential when none is named)
 * with the mechanisms and iterations of its credentials — never a salt or a key — read from the coordinator; a user
 * without any is RESOURCE_NOT_FOUND, one named twice DUPLICATE_RESOURCE. {@link io.sluice.gateway.kafka.AdminAccess
 * AdminAccess} has checked DESCRIBE on the cluster (without it, the whole request is CLUSTER_AUTHORIZATION_FAILED).
 */
@Component
class DescribeUserScramCredentialsApi implements KafkaApi {

    private final ScramUsers users;

    DescribeUserScramCredentialsApi(ScramUsers users) {
        this.users = users;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.DESCRIBE_USER_SCRAM_CREDENTIALS;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        DescribeUserScramCredentialsRequestData data = ((DescribeUserScramCredentialsRequest) request.body()).data();
        return users.credentials().map(snapshot -> describe(data.users(), snapshot));
    }

    static DescribeUserScramCredentialsResponseData describe(List<UserName> named, ScramSnapshot snapshot) {
        // user -> named twice
        Map<String, Boolean> asked = new LinkedHashMap<>();
        if (named == null || named.isEmpty()) {
            new TreeSet<>(snapshot.credentials().stream().map(ScramCredential::user).toList())
                    .forEach(user -> asked.put(user, false));
        } else {
            named.forEach(user -> asked.merge(user.name(), false, (once, again) -> true));
        }
        List<DescribeUserScramCredentialsResult> results = new ArrayList<>();
        asked.forEach((user, twice) -> {
            DescribeUserScramCredentialsResult result = new DescribeUserScramCredentialsResult().setUser(user);
            List<CredentialInfo> infos = snapshot.credentials().stream().filter(c -> c.user().equals(user))
                    .map(c -> new CredentialInfo().setMechanism(c.mechanism().kafkaType())
                            .setIterations(c.iterations()))
                    .toList();
            if (twice) {
                result.setErrorCode(Errors.DUPLICATE_RESOURCE.code()).setErrorMessage(
                        "Cannot describe SCRAM credentials for the same user twice in a single request: " + user);
            } else if (infos.isEmpty()) {
                result.setErrorCode(Errors.RESOURCE_NOT_FOUND.code()).setErrorMessage(
                        "Attempt to describe a user credential that does not exist: " + user);
            } else {
                result.setCredentialInfos(new ArrayList<>(infos));
            }
            results.add(result);
        });
        return new DescribeUserScramCredentialsResponseData().setResults(results);
    }
}
