package io.sluice.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The e2e run's own transport against an HTTP server on loopback that answers produce requests and sends every
 * produced record on an SSE stream, as the gateway does: every record is sent, acknowledged and delivered once, in
 * both modes, a record sent twice by the server is counted as a duplicate, not as a second delivery, and warm-up
 * records are sent and delivered before the run and counted in no figure.
 */
class EndToEndRunTest {

    private static final Pattern VALUE = Pattern.compile("\"value\":\"([^\"]*)\"");

    private final Sinks.Many<String> stream = Sinks.many().multicast().onBackpressureBuffer();
    private final AtomicInteger produced = new AtomicInteger();

    @Test
    void oneInFlightDeliversEveryRecordOnce() throws Exception {
        EndToEndReport report;
        try (LoopbackGateway gateway = start(false)) {
            report = run(gateway, "0");
        }

        assertThat(report.streamFailure()).isNull();
        assertThat(report.sent()).isEqualTo(40);
        assertThat(report.acked()).isEqualTo(40);
        assertThat(report.delivered()).isEqualTo(40);
        assertThat(report.missing()).isZero();
        assertThat(report.duplicates()).isZero();
        assertThat(report.endToEnd().count()).isEqualTo(40);
    }

    @Test
    void atARateDuplicatesAreCountedApart() throws Exception {
        EndToEndReport report;
        try (LoopbackGateway gateway = start(true)) {
            report = run(gateway, "200");
        }

        assertThat(report.streamFailure()).isNull();
        assertThat(report.acked()).isEqualTo(40);
        assertThat(report.delivered()).isEqualTo(40);
        assertThat(report.missing()).isZero();
        // the run ends once every acknowledged record was delivered: the last record's copy may come after that
        assertThat(report.duplicates()).isBetween(39L, 40L);
    }

    @Test
    void warmUpRecordsAreSentAndDeliveredFirstAndCountedInNoFigure() throws Exception {
        EndToEndReport report;
        try (LoopbackGateway gateway = start(false)) {
            report = run(gateway, "200", "--warmup-records", "25");
        }

        assertThat(report.streamFailure()).isNull();
        assertThat(produced.get()).as("probes, the warm-up and the run, all produced").isGreaterThanOrEqualTo(65);
        assertThat(report.sent()).isEqualTo(40);
        assertThat(report.acked()).isEqualTo(40);
        assertThat(report.delivered()).isEqualTo(40);
        assertThat(report.missing()).isZero();
        assertThat(report.endToEnd().count()).isEqualTo(40);
        assertThat(report.ack().count()).isEqualTo(40);
    }

    @Test
    void aRefusedStreamFailsTheRunWithTheGatewaysReason() {
        try (LoopbackGateway gateway = LoopbackGateway.start(routes -> routes
                .get("/v1/topics/t", (request, response) -> response.header("Content-Type", "application/json")
                        .sendString(Mono.just(LoopbackGateway.topic("t", 0))))
                .get("/v1/topics/t/records", (request, response) -> response.status(403)
                        .header("Content-Type", "application/problem+json")
                        .sendString(Mono.just("{\"error_code\":\"TOPIC_AUTHORIZATION_FAILED\",\"detail\":\"no READ\"}")))
                .post("/v1/topics/t/records", (request, response) -> response.status(500).send()))) {
            assertThatThrownBy(() -> run(gateway, "0"))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("HTTP 403")
                    .hasMessageContaining("TOPIC_AUTHORIZATION_FAILED");
        }
    }

    private static EndToEndReport run(LoopbackGateway gateway, String rate, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("e2e", "--topic", "t", "--gateway", gateway.url(),
                "--num-records", "40", "--rate", rate, "--record-size", "64", "--timeout-ms", "10000"));
        args.addAll(List.of(more));
        LoadOptions options = LoadOptions.parse(args.toArray(String[]::new));
        try (GatewayClient client = LoopbackGateway.client(options)) {
            return new EndToEndRun(options, client, LoopbackGateway.quiet()).run();
        }
    }

    /** A one-partition topic whose produced records go out on every open stream (each twice if told so). */
    private LoopbackGateway start(boolean twice) {
        return LoopbackGateway.start(routes -> routes
                .get("/v1/topics/t", (request, response) -> response.header("Content-Type", "application/json")
                        .sendString(Mono.just(LoopbackGateway.topic("t", 0))))
                .get("/v1/topics/t/records", (request, response) -> response.header("Content-Type", "text/event-stream")
                        .sendString(Flux.just(": stream open\n\n").concatWith(stream.asFlux()), StandardCharsets.UTF_8))
                .post("/v1/topics/t/records", (request, response) -> request.receive().aggregate().asString()
                        .flatMap(body -> produced(body, response, twice))));
    }

    private Mono<Void> produced(String body, HttpServerResponse response, boolean twice) {
        Matcher value = VALUE.matcher(body);
        if (!value.find()) {
            return response.status(400).send();
        }
        int offset = produced.getAndIncrement();
        String event = "id: c" + offset + "\nevent: record\ndata: {\"partition\":0,\"offset\":" + offset
                + ",\"value\":\"" + value.group(1) + "\"}\n\n";
        synchronized (stream) { // requests in flight at once answer on several threads; a sink takes one at a time
            stream.tryEmitNext(twice ? event + event : event);
        }
        return response.header("Content-Type", "application/json")
                .sendString(Mono.just("{\"results\":[{\"partition\":0,\"offset\":" + offset + "}]}")).then();
    }
}
