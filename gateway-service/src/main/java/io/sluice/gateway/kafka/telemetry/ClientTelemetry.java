package io.sluice.gateway.kafka.telemetry;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.sluice.gateway.GatewayProperties;
import io.sluice.security.SluicePrincipal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32C;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.TelemetryTooLargeException;
import org.apache.kafka.common.errors.ThrottlingQuotaExceededException;
import org.apache.kafka.common.errors.UnknownSubscriptionIdException;
import org.apache.kafka.common.errors.UnsupportedCompressionTypeException;
import org.apache.kafka.common.message.GetTelemetrySubscriptionsResponseData;
import org.apache.kafka.common.message.PushTelemetryRequestData;
import org.apache.kafka.common.record.internal.CompressionType;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Client telemetry (KIP-714): what Kafka clients are asked to push, and what becomes of a push. Every client instance
 * gets the one configured subscription ({@code sluice.gateway.kafka.telemetry}: metric name prefixes and a push
 * interval; none when turned off), in cumulative values (each push holds every subscribed metric's total), with the
 * accepted compression types in Kafka's order of preference. A subscription's id is a checksum of the subscription
 * and the instance id, so every gateway with the same settings accepts an instance's pushes, whichever one it asked:
 * a client pushes to whichever broker it is least busy with, a partition service's listener among them (which forwards
 * telemetry requests to a gateway as it is).
 *
 * <p>A push is refused with Kafka's error, and nothing of it kept, when its client instance id is none
 * (INVALID_REQUEST), its subscription id is not the instance's current one (UNKNOWN_SUBSCRIPTION_ID: the client asks
 * for its subscription again), its compression type is not offered (UNSUPPORTED_COMPRESSION_TYPE), it is larger than
 * {@code max-bytes} (TELEMETRY_TOO_LARGE), it comes less than half an interval after the instance's last one, unless it
 * is the client's last (THROTTLING_QUOTA_EXCEEDED; a client spreads its pushes over 0.5 to 1.5 intervals), or its
 * payload does not decode (INVALID_RECORD). The pushed metrics whose names start with a subscribed prefix are kept for
 * the Prometheus endpoint ({@link ClientMetricsStore}), labelled with the request's client id and the connection's
 * principal; a new instance beyond {@code max-clients} is THROTTLING_QUOTA_EXCEEDED until another expires.
 *
 * <p>Thread-safe.
 */
@Component
class ClientTelemetry {

    /** Kafka's codecs, best first, as a broker offers them. */
    private static final List<Byte> ACCEPTED_COMPRESSION = List.of(CompressionType.ZSTD.id, CompressionType.LZ4.id,
            CompressionType.GZIP.id, CompressionType.SNAPPY.id, CompressionType.NONE.id);

    private final GatewayProperties.Kafka.Telemetry settings;
    private final Clock clock;
    private final ClientMetricsStore store;
    private final int subscriptionChecksum;
    /** By client instance, when its last push was accepted (millis); forgotten with its metrics. */
    private final Map<Uuid, Long> lastPush = new ConcurrentHashMap<>();

    @Autowired
    ClientTelemetry(GatewayProperties properties, ObjectProvider<PrometheusRegistry> prometheus) {
        this(properties.kafka().telemetry(), Clock.systemUTC());
        prometheus.ifAvailable(registry -> registry.register(store));
    }

    ClientTelemetry(GatewayProperties.Kafka.Telemetry settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.store = new ClientMetricsStore(clock, settings.expiry(), settings.maxClients(),
                settings.maxSeriesPerClient());
        CRC32C crc = new CRC32C();
        crc.update((requestedMetrics() + "@" + settings.pushInterval().toMillis()).getBytes(StandardCharsets.UTF_8));
        this.subscriptionChecksum = (int) crc.getValue();
    }

    /** The store of pushed metrics (the Prometheus endpoint's collector). */
    ClientMetricsStore store() {
        return store;
    }

    /** The subscription of {@code clientInstanceId}, or of a new instance id when the client has none yet. */
    GetTelemetrySubscriptionsResponseData subscription(Uuid clientInstanceId) {
        Uuid instance = clientInstanceId == null || Uuid.RESERVED.contains(clientInstanceId)
                ? Uuid.randomUuid() : clientInstanceId;
        return new GetTelemetrySubscriptionsResponseData()
                .setClientInstanceId(instance)
                .setSubscriptionId(subscriptionId(instance))
                .setAcceptedCompressionTypes(ACCEPTED_COMPRESSION)
                .setPushIntervalMs((int) settings.pushInterval().toMillis())
                .setTelemetryMaxBytes((int) Math.min(Integer.MAX_VALUE, settings.maxBytes().toBytes()))
                .setDeltaTemporality(false)
                .setRequestedMetrics(requestedMetrics());
    }

    /**
     * Keeps what {@code push} carries, from a client named {@code clientId} signed in as {@code principal}; fails with
     * Kafka's error for a push it refuses, having kept nothing of it.
     */
    void push(PushTelemetryRequestData push, String clientId, SluicePrincipal principal) {
        Uuid instance = push.clientInstanceId();
        if (instance == null || Uuid.RESERVED.contains(instance)) {
            throw new InvalidRequestException("A telemetry push needs the client instance id its subscription gave");
        }
        if (push.subscriptionId() != subscriptionId(instance)) {
            throw new UnknownSubscriptionIdException("Subscription " + push.subscriptionId() + " is not client "
                    + "instance " + instance + "'s current one: ask for its subscription again");
        }
        if (!ACCEPTED_COMPRESSION.contains(push.compressionType())) {
            throw new UnsupportedCompressionTypeException("Compression type " + push.compressionType()
                    + " is not one of " + ACCEPTED_COMPRESSION);
        }
        ByteBuffer metrics = push.metrics();
        int size = metrics == null ? 0 : metrics.remaining();
        if (size > settings.maxBytes().toBytes()) {
            throw new TelemetryTooLargeException("The push is " + size + " bytes, more than the "
                    + settings.maxBytes().toBytes() + " this gateway takes");
        }
        long now = clock.millis();
        forgetExpired(now);
        Long last = lastPush.get(instance);
        if (last == null && lastPush.size() >= 4 * settings.maxClients()) {
            throw new ThrottlingQuotaExceededException("This gateway tracks " + lastPush.size()
                    + " client instances' pushes already");
        }
        if (!push.terminating() && last != null && now - last < settings.pushInterval().toMillis() / 2) {
            throw new ThrottlingQuotaExceededException("Client instance " + instance + " pushed " + (now - last)
                    + " ms ago; it pushes every " + settings.pushInterval().toMillis() + " ms");
        }
        List<OtlpMetrics.Point> points = size == 0 ? List.of() : decode(metrics, push.compressionType(), size);
        List<OtlpMetrics.Point> subscribed = points.stream().filter(this::subscribed).toList();
        if (settings.enabled() && !subscribed.isEmpty() && !store.record(new ClientMetricsStore.Client(
                instance.toString(), clientId, principal.name()), subscribed)) {
            throw new ThrottlingQuotaExceededException("This gateway keeps the metrics of "
                    + settings.maxClients() + " client instances already");
        }
        lastPush.put(instance, now);
    }

    private List<OtlpMetrics.Point> decode(ByteBuffer metrics, byte compressionType, int size) {
        byte[] payload = new byte[size];
        metrics.duplicate().get(payload);
        try {
            return OtlpMetrics.decode(payload, compressionType,
                    (int) Math.min(Integer.MAX_VALUE - 8, 16 * settings.maxBytes().toBytes()));
        } catch (ApiException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new InvalidRecordException("The pushed metrics do not decode: " + e.getMessage());
        }
    }

    private boolean subscribed(OtlpMetrics.Point point) {
        return settings.metrics().stream().anyMatch(prefix -> point.name().startsWith(prefix));
    }

    private void forgetExpired(long now) {
        lastPush.values().removeIf(at -> now - at >= settings.expiry().toMillis());
    }

    private List<String> requestedMetrics() {
        return settings.enabled() ? settings.metrics() : List.of();
    }

    private int subscriptionId(Uuid instance) {
        return subscriptionChecksum ^ instance.hashCode();
    }
}
