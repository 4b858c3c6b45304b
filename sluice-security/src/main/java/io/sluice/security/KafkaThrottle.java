package io.sluice.security;

import io.sluice.kafka.KafkaRequest;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.time.Duration;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * The client {@link Quotas} on a Kafka listener (a gateway's, a partition service's), as Kafka's broker
 * applies its client quotas (KIP-219): a request is served whatever the principal's debt; then the request, a
 * produce's bytes (its frame) and a fetch's bytes (the record batches it answers) are counted, and the answer carries
 * the resulting {@code throttle_time_ms} — for which the listener reads nothing more from the connection, and the
 * client, seeing it, sends nothing more either. The quotas are the ones HTTP counts against: one principal's use over
 * both protocols adds up. A connection not yet signed in (ApiVersions, SASL) is not counted.
 */
public final class KafkaThrottle {

    /** Each answer type's {@code setThrottleTimeMs(int)}, or null for the few that have none. */
    private static final ClassValue<MethodHandle> SET_THROTTLE = new ClassValue<>() {
        @Override
        protected MethodHandle computeValue(Class<?> type) {
            try {
                return MethodHandles.publicLookup().findVirtual(type, "setThrottleTimeMs",
                        MethodType.methodType(type, int.class));
            } catch (ReflectiveOperationException none) {
                return null;
            }
        }
    };

    private final Quotas quotas;

    public KafkaThrottle(Quotas quotas) {
        this.quotas = quotas;
    }

    /**
     * Counts a served request against {@code principal} (null: the connection has not signed in, and nothing is
     * counted) and sets the throttle time on {@code answer} (null: none was sent); how long the connection now waits.
     */
    public Duration served(SluicePrincipal principal, KafkaRequest request, int frameBytes, ApiMessage answer) {
        if (principal == null) {
            return Duration.ZERO;
        }
        String clientId = request.clientId();
        quotas.charge(principal, clientId, Quotas.Kind.REQUESTS, 1);
        if (request.apiKey() == ApiKeys.PRODUCE) {
            quotas.charge(principal, clientId, Quotas.Kind.PRODUCE_BYTES, frameBytes);
        } else if (answer instanceof FetchResponseData fetched) {
            long bytes = 0;
            for (var topic : fetched.responses()) {
                for (var partition : topic.partitions()) {
                    bytes += partition.records() == null ? 0 : partition.records().sizeInBytes();
                }
            }
            quotas.charge(principal, clientId, Quotas.Kind.FETCH_BYTES, bytes);
        }
        Duration throttle = quotas.throttle(principal, clientId);
        if (!throttle.isZero() && answer != null) {
            MethodHandle setter = SET_THROTTLE.get(answer.getClass());
            if (setter != null) {
                try {
                    setter.invoke(answer, (int) Math.min(Integer.MAX_VALUE, throttle.toMillis()));
                } catch (Throwable e) {
                    throw new IllegalStateException("Could not set the throttle time of " + request, e);
                }
            }
        }
        return throttle;
    }
}
