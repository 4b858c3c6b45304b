package io.sluice.gateway.kafka.telemetry;

import static io.sluice.gateway.kafka.telemetry.OtlpPayloads.compressed;
import static io.sluice.gateway.kafka.telemetry.OtlpPayloads.counter;
import static io.sluice.gateway.kafka.telemetry.OtlpPayloads.gauge;
import static io.sluice.gateway.kafka.telemetry.OtlpPayloads.metricsData;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.sluice.gateway.GatewayProperties;
import io.sluice.security.SluicePrincipal;
import io.sluice.testing.SteppedClock;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.TelemetryTooLargeException;
import org.apache.kafka.common.errors.ThrottlingQuotaExceededException;
import org.apache.kafka.common.errors.UnknownSubscriptionIdException;
import org.apache.kafka.common.errors.UnsupportedCompressionTypeException;
import org.apache.kafka.common.message.GetTelemetrySubscriptionsResponseData;
import org.apache.kafka.common.message.PushTelemetryRequestData;
import org.apache.kafka.common.record.internal.CompressionType;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class ClientTelemetryTest {

    private static final Duration INTERVAL = Duration.ofSeconds(30);
    private static final SluicePrincipal ALICE = new SluicePrincipal("alice");

    private final SteppedClock clock = new SteppedClock();
    private final ClientTelemetry telemetry = telemetry(true, 2);

    private ClientTelemetry telemetry(boolean enabled, int maxClients) {
        return new ClientTelemetry(new GatewayProperties.Kafka.Telemetry(enabled,
                List.of("org.apache.kafka.producer."), INTERVAL, DataSize.ofKilobytes(64), maxClients, 100), clock);
    }

    @Test
    void aNewClientIsGivenAnInstanceIdAndTheConfiguredSubscriptionInCumulativeValues() {
        GetTelemetrySubscriptionsResponseData subscription = telemetry.subscription(Uuid.ZERO_UUID);

        assertThat(subscription.clientInstanceId()).isNotEqualTo(Uuid.ZERO_UUID);
        assertThat(subscription.requestedMetrics()).containsExactly("org.apache.kafka.producer.");
        assertThat(subscription.pushIntervalMs()).isEqualTo(30_000);
        assertThat(subscription.deltaTemporality()).isFalse();
        assertThat(subscription.acceptedCompressionTypes()).contains(CompressionType.ZSTD.id, CompressionType.NONE.id);
        assertThat(telemetry.subscription(subscription.clientInstanceId()).subscriptionId())
                .isEqualTo(subscription.subscriptionId());
    }

    /** Another gateway with the same settings accepts the instance's pushes: the id is the same everywhere. */
    @Test
    void theSubscriptionIdIsTheSameAtEveryGatewayWithTheSameSettings() {
        Uuid instance = Uuid.randomUuid();

        assertThat(telemetry(true, 2).subscription(instance).subscriptionId())
                .isEqualTo(telemetry.subscription(instance).subscriptionId())
                .isNotEqualTo(telemetry(false, 2).subscription(instance).subscriptionId());
    }

    @Test
    void turnedOffEveryClientIsSubscribedToNoMetrics() {
        assertThat(telemetry(false, 2).subscription(Uuid.randomUuid()).requestedMetrics()).isEmpty();
    }

    @Test
    void aPushIsKeptWithTheClientsIdInstanceAndPrincipalOnlyForTheSubscribedMetrics() {
        Uuid instance = telemetry.subscription(null).clientInstanceId();

        telemetry.push(push(instance, CompressionType.LZ4, payload(7)), "producer-1", ALICE);

        List<MetricSnapshot> snapshots = telemetry.store().collect().stream().toList();
        assertThat(snapshots).extracting(snapshot -> snapshot.getMetadata().getName())
                .containsExactly("org_apache_kafka_producer_record_queue_time_avg",
                        "org_apache_kafka_producer_record_send");
        CounterSnapshot sent = (CounterSnapshot) snapshots.get(1);
        assertThat(sent.getDataPoints()).singleElement().satisfies(point -> {
            assertThat(point.getValue()).isEqualTo(7);
            assertThat(point.getLabels().get("client_id")).isEqualTo("producer-1");
            assertThat(point.getLabels().get("client_instance_id")).isEqualTo(instance.toString());
            assertThat(point.getLabels().get("principal")).isEqualTo("alice");
        });
        GaugeSnapshot queued = (GaugeSnapshot) snapshots.get(0);
        assertThat(queued.getDataPoints()).singleElement()
                .satisfies(point -> assertThat(point.getLabels().get("topic")).isEqualTo("orders"));
    }

    @Test
    void aPushUnderAnotherSubscriptionIdIsUnknownAndKeepsNothing() {
        Uuid instance = telemetry.subscription(null).clientInstanceId();
        PushTelemetryRequestData push = push(instance, CompressionType.NONE, payload(1))
                .setSubscriptionId(telemetry.subscription(instance).subscriptionId() + 1);

        assertThatThrownBy(() -> telemetry.push(push, "producer-1", ALICE))
                .isInstanceOf(UnknownSubscriptionIdException.class);
        assertThat(telemetry.store().collect().size()).isZero();
    }

    @Test
    void aPushWithoutAClientInstanceIdIsAnInvalidRequest() {
        assertThatThrownBy(() -> telemetry.push(push(Uuid.ZERO_UUID, CompressionType.NONE, payload(1)),
                "producer-1", ALICE)).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void anUndecodablePushIsAnInvalidRecordAndKeepsNothing() {
        Uuid instance = telemetry.subscription(null).clientInstanceId();

        assertThatThrownBy(() -> telemetry.push(push(instance, CompressionType.GZIP,
                new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2}),
                "producer-1", ALICE)).isInstanceOf(InvalidRecordException.class);
        assertThat(telemetry.store().collect().size()).isZero();
    }

    @Test
    void aPushLargerThanTheMaximumIsTooLargeAndKeepsNothing() {
        Uuid instance = telemetry.subscription(null).clientInstanceId();

        assertThatThrownBy(() -> telemetry.push(push(instance, CompressionType.NONE, new byte[65 * 1024]),
                "producer-1", ALICE)).isInstanceOf(TelemetryTooLargeException.class);
        assertThat(telemetry.store().collect().size()).isZero();
    }

    @Test
    void aCompressionTypeNotOfferedIsUnsupported() {
        Uuid instance = telemetry.subscription(null).clientInstanceId();

        assertThatThrownBy(() -> telemetry.push(push(instance, CompressionType.NONE, payload(1))
                .setCompressionType((byte) 9), "producer-1", ALICE))
                .isInstanceOf(UnsupportedCompressionTypeException.class);
    }

    @Test
    void aSecondPushWithinHalfAnIntervalIsThrottledButTheLastOneIsTaken() {
        Uuid instance = telemetry.subscription(null).clientInstanceId();
        telemetry.push(push(instance, CompressionType.NONE, payload(1)), "producer-1", ALICE);
        clock.advance(Duration.ofSeconds(10));

        assertThatThrownBy(() -> telemetry.push(push(instance, CompressionType.NONE, payload(2)), "producer-1",
                ALICE)).isInstanceOf(ThrottlingQuotaExceededException.class);
        telemetry.push(push(instance, CompressionType.NONE, payload(3)).setTerminating(true), "producer-1", ALICE);

        assertThat(sentTotals()).containsExactly(3.0);
    }

    /** A client that stops pushing is forgotten after three intervals, its series with it. */
    @Test
    void aClientsSeriesExpireThreeIntervalsAfterItsLastPush() {
        Uuid instance = telemetry.subscription(null).clientInstanceId();
        telemetry.push(push(instance, CompressionType.NONE, payload(1)), "producer-1", ALICE);

        clock.advance(INTERVAL.multipliedBy(3).minusSeconds(1));
        assertThat(sentTotals()).containsExactly(1.0);
        clock.advance(Duration.ofSeconds(1));
        assertThat(sentTotals()).isEmpty();
    }

    @Test
    void aClientBeyondTheMaximumIsThrottledUntilAnotherExpires() {
        for (int i = 0; i < 2; i++) {
            Uuid instance = telemetry.subscription(null).clientInstanceId();
            telemetry.push(push(instance, CompressionType.NONE, payload(i)), "producer-" + i, ALICE);
        }
        Uuid third = telemetry.subscription(null).clientInstanceId();

        assertThatThrownBy(() -> telemetry.push(push(third, CompressionType.NONE, payload(9)), "producer-3", ALICE))
                .isInstanceOf(ThrottlingQuotaExceededException.class);
        assertThat(sentTotals()).containsExactlyInAnyOrder(0.0, 1.0);
        clock.advance(INTERVAL.multipliedBy(3));
        telemetry.push(push(third, CompressionType.NONE, payload(9)), "producer-3", ALICE);
        assertThat(sentTotals()).containsExactly(9.0);
    }

    private List<Double> sentTotals() {
        return telemetry.store().collect().stream()
                .filter(snapshot -> snapshot.getMetadata().getName().equals("org_apache_kafka_producer_record_send"))
                .flatMap(snapshot -> ((CounterSnapshot) snapshot).getDataPoints().stream())
                .map(CounterSnapshot.CounterDataPointSnapshot::getValue).toList();
    }

    /** A producer's push: one subscribed gauge and counter, and a consumer metric it was not asked for. */
    private static byte[] payload(long sent) {
        return metricsData(
                gauge("org.apache.kafka.producer.record.queue.time.avg", 2.5, Map.of("topic", "orders")),
                counter("org.apache.kafka.producer.record.send.total", sent, Map.of()),
                gauge("org.apache.kafka.consumer.fetch.latency.avg", 1, Map.of()));
    }

    private PushTelemetryRequestData push(Uuid instance, CompressionType type, byte[] raw) {
        return new PushTelemetryRequestData()
                .setClientInstanceId(instance)
                .setSubscriptionId(Uuid.RESERVED.contains(instance) ? 0
                        : telemetry.subscription(instance).subscriptionId())
                .setCompressionType(type.id)
                .setMetrics(ByteBuffer.wrap(type == CompressionType.NONE ? raw : compressed(raw, type)));
    }
}
