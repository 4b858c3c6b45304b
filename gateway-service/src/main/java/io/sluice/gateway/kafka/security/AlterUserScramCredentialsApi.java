package io.sluice.gateway.kafka.security;

import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.gateway.security.Authorizer;
import io.sluice.gateway.security.ScramUsers;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.acl.ResourceType;
import io.sluice.internal.scram.ScramChange;
import io.sluice.internal.scram.ScramCredential;
import io.sluice.internal.scram.ScramCredentialId;
import io.sluice.internal.scram.ScramMechanism;
import io.sluice.internal.scram.ScramSnapshot;
import io.sluice.kafka.KafkaErrors;
import io.sluice.kafka.KafkaRequest;
import io.sluice.security.AuditLog;
import io.sluice.security.Scram;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData.ScramCredentialDeletion;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData.ScramCredentialUpsertion;
import org.apache.kafka.common.message.AlterUserScramCredentialsResponseData;
import org.apache.kafka.common.message.AlterUserScramCredentialsResponseData.AlterUserScramCredentialsResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AlterUserScramCredentialsRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * AlterUserScramCredentials, with the rules of Kafka's controller: each user is altered at most once a request (a
 * second deletion or upsertion of it, whatever the mechanism, makes the user DUPLICATE_RESOURCE); an empty user name
 * or iterations outside 4096..16384 are UNACCEPTABLE_CREDENTIAL, a mechanism other than SCRAM-SHA-256 and -512
 * UNSUPPORTED_SASL_MECHANISM, deleting a credential that does not exist RESOURCE_NOT_FOUND. A refused user changes
 * nothing; the accepted ones are stored together in one change at the coordinator. An upsertion carries the salt and
 * the salted password the client computed; StoredKey and ServerKey are derived from it here and the salted password is
 * dropped. Each user's outcome is an audit line (with security on).
 *
 * <p>{@link io.sluice.gateway.kafka.AdminAccess AdminAccess} has checked ALTER on the cluster (without it, every user
 * is CLUSTER_AUTHORIZATION_FAILED and nothing changes).
 */
@Component
class AlterUserScramCredentialsApi implements KafkaApi {

    private final ScramUsers users;
    private final Authorizer authorizer;
    private final AuditLog audit;

    AlterUserScramCredentialsApi(ScramUsers users, Authorizer authorizer, AuditLog audit) {
        this.users = users;
        this.authorizer = authorizer;
        this.audit = audit;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.ALTER_USER_SCRAM_CREDENTIALS;
    }

    /** A user's refusal. */
    private record Refusal(Errors error, String message) {
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        AlterUserScramCredentialsRequestData data = ((AlterUserScramCredentialsRequest) request.body()).data();
        return users.credentials().flatMap(current -> {
            Map<String, ScramCredentialId> deletions = new LinkedHashMap<>();
            Map<String, ScramCredential> upsertions = new LinkedHashMap<>();
            Map<String, Refusal> refused = new LinkedHashMap<>();
            for (ScramCredentialDeletion deletion : data.deletions()) {
                String user = deletion.name();
                if (refused.containsKey(user)) {
                    continue;
                }
                if (deletions.remove(user) != null) {
                    refused.put(user, duplicate());
                    continue;
                }
                Optional<ScramMechanism> mechanism = ScramMechanism.ofKafkaType(deletion.mechanism());
                Refusal refusal = refusal(user, mechanism);
                if (refusal == null && current.find(user, mechanism.get()).isEmpty()) {
                    refusal = new Refusal(Errors.RESOURCE_NOT_FOUND,
                            "Attempt to delete a user credential that does not exist");
                }
                if (refusal != null) {
                    refused.put(user, refusal);
                } else {
                    deletions.put(user, new ScramCredentialId(user, mechanism.get()));
                }
            }
            for (ScramCredentialUpsertion upsertion : data.upsertions()) {
                String user = upsertion.name();
                if (refused.containsKey(user)) {
                    continue;
                }
                if (deletions.remove(user) != null || upsertions.remove(user) != null) {
                    refused.put(user, duplicate());
                    continue;
                }
                Optional<ScramMechanism> mechanism = ScramMechanism.ofKafkaType(upsertion.mechanism());
                Refusal refusal = refusal(user, mechanism);
                if (refusal == null) {
                    refusal = upsertion.iterations() < ScramMechanism.MIN_ITERATIONS
                            ? new Refusal(Errors.UNACCEPTABLE_CREDENTIAL, "Too few iterations")
                            : upsertion.iterations() > ScramMechanism.MAX_ITERATIONS
                            ? new Refusal(Errors.UNACCEPTABLE_CREDENTIAL, "Too many iterations")
                            : upsertion.salt().length == 0 || upsertion.saltedPassword().length == 0
                            ? new Refusal(Errors.UNACCEPTABLE_CREDENTIAL, "A salt and a salted password are needed")
                            : null;
                }
                if (refusal != null) {
                    refused.put(user, refusal);
                } else {
                    upsertions.put(user, Scram.credential(user, mechanism.get(), upsertion.iterations(),
                            upsertion.salt(), upsertion.saltedPassword()));
                }
            }
            Mono<Optional<Refusal>> stored = deletions.isEmpty() && upsertions.isEmpty()
                    ? Mono.just(Optional.empty())
                    : users.alter(new ScramChange(List.copyOf(upsertions.values()), List.copyOf(deletions.values())))
                            .map(after -> Optional.<Refusal>empty())
                            .onErrorResume(e -> {
                                var failure = KafkaErrors.exception(e);
                                return Mono.just(Optional.of(new Refusal(Errors.forException(failure),
                                        failure.getMessage())));
                            });
            return stored.map(failure -> {
                List<AlterUserScramCredentialsResult> results = new ArrayList<>();
                for (String user : deletions.keySet()) {
                    results.add(result(user, failure.orElse(null), session, request));
                }
                for (String user : upsertions.keySet()) {
                    results.add(result(user, failure.orElse(null), session, request));
                }
                refused.forEach((user, refusal) -> results.add(result(user, refusal, session, request)));
                return new AlterUserScramCredentialsResponseData().setResults(results);
            });
        });
    }

    private AlterUserScramCredentialsResult result(String user, Refusal refusal, KafkaSession session,
                                                   KafkaRequest request) {
        if (authorizer.enabled()) {
            audit.adminAction(session.principal(), AclOperation.ALTER, ResourceType.CLUSTER, ResourceType.CLUSTER_NAME,
                    "Kafka " + request.apiKey().name + " User:" + user, refusal == null ? 200 : status(refusal.error()));
        }
        AlterUserScramCredentialsResult result = new AlterUserScramCredentialsResult().setUser(user);
        return refusal == null ? result
                : result.setErrorCode(refusal.error().code()).setErrorMessage(refusal.message());
    }

    /** The HTTP status the audit line records for a user's outcome. */
    private static int status(Errors error) {
        return switch (error) {
            case RESOURCE_NOT_FOUND -> 404;
            case UNACCEPTABLE_CREDENTIAL, UNSUPPORTED_SASL_MECHANISM, DUPLICATE_RESOURCE, INVALID_REQUEST -> 400;
            case CLUSTER_AUTHORIZATION_FAILED -> 403;
            default -> 500;
        };
    }

    private static Refusal duplicate() {
        return new Refusal(Errors.DUPLICATE_RESOURCE, "A user credential cannot be altered twice in the same request");
    }

    private static Refusal refusal(String user, Optional<ScramMechanism> mechanism) {
        if (user.isEmpty()) {
            return new Refusal(Errors.UNACCEPTABLE_CREDENTIAL, "Username must not be empty");
        }
        if (mechanism.isEmpty()) {
            return new Refusal(Errors.UNSUPPORTED_SASL_MECHANISM, "Unknown SCRAM mechanism");
        }
        return null;
    }
}
