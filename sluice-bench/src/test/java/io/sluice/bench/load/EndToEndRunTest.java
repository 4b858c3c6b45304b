package io.sluice.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The e2e run's own transport against an HTTP server on loopback that answers produce requests and sends every
 * produced record on an SSE stream, as the gateway does: every record is sent, acknowledged and delivered once, in
 * both modes, and a record sent twice by the server is counted as a duplicate, not as a second delivery.
 */
class EndToEndRunTest {

    private static final Pattern VALUE = Pattern.compile("\"value\":\"([^\"]*)\"");

    private final Sinks.Many<String> stream = Sinks.many().multicast().onBackpressureBuffer();
    private final AtomicInteger produced = new AtomicInteger();
    private DisposableServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.disposeNow(Duration.ofSeconds(5));
        }
    }

    @Test
    void oneInFlightDeliversEveryRecordOnce() throws Exception {
        start(false);

        EndToEndReport report = run("0");

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
        start(true);

        EndToEndReport report = run("200");

        assertThat(report.streamFailure()).isNull();
        assertThat(report.acked()).isEqualTo(40);
        assertThat(report.delivered()).isEqualTo(40);
        assertThat(report.missing()).isZero();
        // the run ends once every acknowledged record was delivered: the last record's copy may come after that
        assertThat(report.duplicates()).isBetween(39L, 40L);
    }

    private EndToEndReport run(String rate) throws Exception {
        LoadOptions options = LoadOptions.parse("e2e", "--topic", "t", "--gateway", "http://127.0.0.1:" + server.port(),
                "--num-records", "40", "--rate", rate, "--record-size", "64", "--timeout-ms", "10000");
        try (GatewayClient gateway = new GatewayClient(options.gateway(), Duration.ofSeconds(10), 1)) {
            return new EndToEndRun(options, gateway, new PrintStream(new ByteArrayOutputStream(), true,
                    StandardCharsets.UTF_8)).run();
        }
    }

    /** A one-partition topic whose produced records go out on every open stream (each twice if told so). */
    private void start(boolean twice) {
        server = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes
                        .get("/v1/topics/t", (request, response) -> response.header("Content-Type", "application/json")
                                .sendString(Mono.just("{\"name\":\"t\",\"partitions\":[{\"partition\":0,\"leader\":1,"
                                        + "\"log_start_offset\":0,\"high_watermark\":0}]}")))
                        .get("/v1/topics/t/records", (request, response) -> response
                                .header("Content-Type", "text/event-stream")
                                .sendString(Flux.just(": stream open\n\n").concatWith(stream.asFlux()),
                                        StandardCharsets.UTF_8))
                        .post("/v1/topics/t/records", (request, response) -> request.receive().aggregate()
                                .asString().flatMap(body -> produced(body, response, twice))))
                .bindNow();
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
