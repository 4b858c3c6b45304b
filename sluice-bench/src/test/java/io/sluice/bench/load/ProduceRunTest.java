package io.sluice.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The produce run's own transport against an HTTP server on loopback that answers as the gateway's produce resource
 * does: every record is sent exactly once, no more than {@code --concurrency} requests are in flight, and requests
 * that fail (an error answer, a connection closed before the answer) are counted by cause while the run goes on.
 */
class ProduceRunTest {

    private final AtomicLong recordsSeen = new AtomicLong();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();
    @Test
    void sendsEveryRecordOnceWithinTheConcurrency() throws Exception {
        ProduceReport report;
        try (LoopbackGateway gateway = start(n -> false, n -> false)) {
            report = run(gateway, 1_000, 7, 4);
        }

        assertThat(report.sent()).isEqualTo(1_000);
        assertThat(report.acked()).isEqualTo(1_000);
        assertThat(report.errors().total()).isZero();
        assertThat(recordsSeen).hasValue(1_000);
        assertThat(requests).hasValue(143); // 142 requests of 7 records, the last of 6
        assertThat(mostInFlight.get()).isBetween(1, 4);
    }

    @Test
    void countsFailedRequestsByCauseAndGoesOn() throws Exception {
        // every 5th request is answered 503 with a problem; every 7th loses its connection before the answer
        ProduceReport report;
        try (LoopbackGateway gateway = start(n -> n % 5 == 0, n -> n % 7 == 0 && n % 5 != 0)) {
            report = run(gateway, 500, 5, 3);
        }

        assertThat(report.sent()).isEqualTo(500);
        assertThat(report.acked() + report.errors().total()).isEqualTo(500);
        assertThat(report.errors().snapshot()).containsOnlyKeys("NOT_ENOUGH_REPLICAS", "IO_ERROR");
        assertThat(report.errors().snapshot().get("NOT_ENOUGH_REPLICAS")).isEqualTo(20L * 5);
        assertThat(report.errors().snapshot().get("IO_ERROR")).isEqualTo(12L * 5);
        assertThat(report.acked()).isEqualTo(500 - 100 - 60);
    }

    private static ProduceReport run(LoopbackGateway gateway, long records, int perRequest, int concurrency)
            throws Exception {
        LoadOptions options = LoadOptions.parse("produce", "--topic", "t", "--gateway", gateway.url(),
                "--num-records", Long.toString(records), "--record-size", "16",
                "--records-per-request", Integer.toString(perRequest), "--concurrency", Integer.toString(concurrency));
        try (GatewayClient client = LoopbackGateway.client(options)) {
            return new ProduceRun(options, client, LoopbackGateway.quiet()).run(records, 42);
        }
    }

    /** A produce resource whose n-th request (1-based) is refused or has its connection dropped as told. */
    private LoopbackGateway start(IntPredicate refused, IntPredicate dropped) {
        return LoopbackGateway.start(routes -> routes.post("/v1/topics/t/records", (request, response) -> Mono
                .fromRunnable(() -> mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max))
                .then(request.receive().aggregate().asString())
                .flatMap(body -> answer(body, response, refused, dropped))
                .doFinally(signal -> inFlight.decrementAndGet())));
    }

    private Mono<Void> answer(String body, HttpServerResponse response, IntPredicate refused, IntPredicate dropped) {
        int n = requests.incrementAndGet();
        int count = body.split("\\{\"value\":", -1).length - 1;
        recordsSeen.addAndGet(count);
        if (dropped.test(n)) {
            response.withConnection(connection -> connection.channel().close());
            return Mono.never();
        }
        if (refused.test(n)) {
            return response.status(503).header("Content-Type", "application/problem+json")
                    .sendString(Mono.just("{\"error_code\":\"NOT_ENOUGH_REPLICAS\",\"detail\":\"1 in sync\"}")).then();
        }
        StringBuilder results = new StringBuilder("{\"results\":[");
        for (int i = 0; i < count; i++) {
            results.append(i == 0 ? "" : ",").append("{\"partition\":0,\"offset\":").append(i).append('}');
        }
        return response.header("Content-Type", "application/json")
                .sendString(Mono.just(results.append("]}").toString())).then();
    }
}
