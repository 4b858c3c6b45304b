package io.sluice.gateway.security;

import io.sluice.internal.scram.ScramApi;
import io.sluice.internal.scram.ScramChange;
import io.sluice.internal.scram.ScramCredential;
import io.sluice.internal.scram.ScramCredentialId;
import io.sluice.internal.scram.ScramMechanism;
import io.sluice.internal.scram.ScramSnapshot;
import io.sluice.protocol.ErrorCode;
import io.sluice.security.Scram;
import io.sluice.security.ScramCredentialCache;
import java.security.SecureRandom;
import java.util.List;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * SCRAM user administration (Kafka's DescribeUserScramCredentials and AlterUserScramCredentials, and the public API's
 * {@code /v1/users/{name}/scram-credentials/{mechanism}}): the coordinator stores the credentials; this gateway signs
 * users in with a change at once, the other gateways and the partition services within their refresh interval. Both
 * the Kafka APIs and the HTTP routes go through this class. Passwords given over HTTP are salted and hashed here and
 * forgotten; only the credential reaches the coordinator.
 */
@Service
public class ScramUsers {

    /** The iterations of a credential made over HTTP without any named: Kafka's tools' default. */
    public static final int DEFAULT_ITERATIONS = ScramMechanism.MIN_ITERATIONS;

    private final ScramApi coordinator;
    private final ScramCredentialCache cache;
    private final SecureRandom random = new SecureRandom();

    ScramUsers(ScramApi coordinator, ScramCredentialCache cache) {
        this.coordinator = coordinator;
        this.cache = cache;
    }

    /** Every credential, read from the coordinator (not this gateway's copy). */
    public Mono<ScramSnapshot> credentials() {
        return coordinator.scramCredentials().doOnNext(cache::offer);
    }

    /** Applies {@code change} whole, and signs users in with it here from now on. */
    public Mono<ScramSnapshot> alter(ScramChange change) {
        return Mono.defer(() -> coordinator.alterScramCredentials(change.validated())).doOnNext(cache::offer);
    }

    /**
     * Stores a new credential of {@code mechanism} for {@code user} from {@code password}, replacing one it had.
     * UNACCEPTABLE_CREDENTIAL for an unknown mechanism, an empty user or password, iterations out of bounds.
     */
    public Mono<ScramCredential> put(String user, String mechanismName, String password, Integer iterations) {
        return Mono.fromCallable(() -> Scram.newCredential(user, mechanism(mechanismName), password,
                        iterations == null ? DEFAULT_ITERATIONS : iterations, random))
                // Up to 16384 iterations of HMAC: off the event loop.
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(credential -> alter(new ScramChange(List.of(credential), List.of())).thenReturn(credential));
    }

    /** Deletes {@code user}'s credential of {@code mechanism}; UNKNOWN_CREDENTIAL when it has none. */
    public Mono<Void> delete(String user, String mechanismName) {
        return Mono.defer(() -> alter(new ScramChange(List.of(),
                List.of(new ScramCredentialId(user, mechanism(mechanismName)))))).then();
    }

    private static ScramMechanism mechanism(String name) {
        return ScramMechanism.ofName(name).orElseThrow(() -> ErrorCode.UNACCEPTABLE_CREDENTIAL.exception(
                "The SCRAM mechanisms are " + List.of(ScramMechanism.values()).stream()
                        .map(ScramMechanism::mechanismName).toList() + ", not '" + name + "'"));
    }
}
