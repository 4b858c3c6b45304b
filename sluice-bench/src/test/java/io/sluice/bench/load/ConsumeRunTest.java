package io.sluice.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The consume run's JSON reader against an HTTP server on loopback that answers as the gateway's read resource does:
 * every partition is read page by page from its earliest offset, each record counted once with its value bytes, and
 * a failed read is counted by cause and tried again at the same offset.
 */
class ConsumeRunTest {

    private static final Map<Integer, Integer> END_OFFSETS = Map.of(0, 50, 1, 30);

    private final Map<String, AtomicInteger> served = new ConcurrentHashMap<>();
    private final AtomicInteger reads = new AtomicInteger();
    private DisposableServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.disposeNow(Duration.ofSeconds(5));
        }
    }

    @Test
    void readsEveryPartitionToItsEndOnceAndCountsFailedReads() throws Exception {
        server = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes.get("/v1/topics/t", (request, response) -> response
                                .header("Content-Type", "application/json")
                                .sendString(Mono.just("{\"name\":\"t\",\"partitions\":["
                                        + "{\"partition\":0,\"leader\":1,\"log_start_offset\":0,\"high_watermark\":50},"
                                        + "{\"partition\":1,\"leader\":2,\"log_start_offset\":0,\"high_watermark\":30}]}")))
                        .get("/v1/topics/t/partitions/{partition}/records", this::read))
                .bindNow();
        LoadOptions options = LoadOptions.parse("consume", "--topic", "t", "--gateway",
                "http://127.0.0.1:" + server.port(), "--max-records", "7", "--timeout-ms", "10000");

        ConsumeReport report;
        try (GatewayClient gateway = new GatewayClient(options.gateway(), Duration.ofSeconds(10), 1)) {
            report = new ConsumeRun(options, gateway, new PrintStream(new ByteArrayOutputStream(), true,
                    StandardCharsets.UTF_8)).run();
        }

        assertThat(report.stalled()).isFalse();
        assertThat(report.throughput().records()).isEqualTo(80);
        assertThat(report.throughput().bytes()).isEqualTo(80 * 5); // "v" + the offset, as 4 digits
        assertThat(report.errors().snapshot()).containsOnlyKeys("NOT_LEADER_OR_FOLLOWER");
        assertThat(report.errors().snapshot().get("NOT_LEADER_OR_FOLLOWER")).isEqualTo(1L);
        for (int partition : END_OFFSETS.keySet()) {
            for (int offset = 0; offset < END_OFFSETS.get(partition); offset++) {
                assertThat(served.get(partition + "@" + offset)).as("partition %d offset %d", partition, offset)
                        .hasValue(1);
            }
        }
    }

    /** A page of up to max_records records from offset; the fourth read of all is refused once (a leader change). */
    private Mono<Void> read(HttpServerRequest request, HttpServerResponse response) {
        if (reads.incrementAndGet() == 4) {
            return response.status(503).header("Content-Type", "application/problem+json")
                    .sendString(Mono.just("{\"error_code\":\"NOT_LEADER_OR_FOLLOWER\",\"detail\":\"moved\"}")).then();
        }
        int partition = Integer.parseInt(request.param("partition"));
        Map<String, String> query = new HashMap<>();
        for (String pair : request.uri().substring(request.uri().indexOf('?') + 1).split("&")) {
            query.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        }
        int from = query.get("offset").equals("earliest") ? 0 : Integer.parseInt(query.get("offset"));
        int end = END_OFFSETS.get(partition);
        int to = Math.min(end, from + Integer.parseInt(query.get("max_records")));
        StringBuilder body = new StringBuilder("{\"records\":[");
        for (int offset = from; offset < to; offset++) {
            served.computeIfAbsent(partition + "@" + offset, k -> new AtomicInteger()).incrementAndGet();
            body.append(offset == from ? "" : ",").append("{\"partition\":").append(partition).append(",\"offset\":")
                    .append(offset).append(",\"key\":null,\"value\":\"v").append(String.format("%04d", offset))
                    .append("\"}");
        }
        body.append("],\"next_offset\":").append(to).append(",\"high_watermark\":").append(end).append('}');
        return response.header("Content-Type", "application/json").sendString(Mono.just(body.toString())).then();
    }
}
