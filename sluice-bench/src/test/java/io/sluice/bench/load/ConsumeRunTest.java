package io.sluice.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.sluice.protocol.record.CompressionType;
import io.sluice.protocol.record.RecordBatchBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The consume run's readers against an HTTP server on loopback that answers as the gateway's read resource does:
 * every partition is read page by page from its earliest offset, each record counted once with its value bytes, and
 * a failed read is counted by cause and tried again at the same offset. The raw reader sends its next read before it
 * decodes a page, never with two reads of one partition in flight.
 */
class ConsumeRunTest {

    private static final Map<Integer, Integer> END_OFFSETS = Map.of(0, 50, 1, 30);
    private static final int BATCH = 5;

    private final Map<String, AtomicInteger> served = new ConcurrentHashMap<>();
    private final AtomicInteger reads = new AtomicInteger();
    private final Map<Integer, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final AtomicInteger maxInFlight = new AtomicInteger();

    @Test
    void readsEveryPartitionToItsEndOnceAndCountsFailedReads() throws Exception {
        ConsumeReport report;
        try (LoopbackGateway gateway = LoopbackGateway.start(routes -> routes
                .get("/v1/topics/t", (request, response) -> response.header("Content-Type", "application/json")
                        .sendString(Mono.just(LoopbackGateway.topic("t", END_OFFSETS.get(0), END_OFFSETS.get(1)))))
                .get("/v1/topics/t/partitions/{partition}/records", this::read))) {
            LoadOptions options = LoadOptions.parse("consume", "--topic", "t", "--gateway", gateway.url(),
                    "--max-records", "7", "--timeout-ms", "10000");
            try (GatewayClient client = LoopbackGateway.client(options)) {
                report = new ConsumeRun(options, client, LoopbackGateway.quiet()).run();
            }
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

    @Test
    void rawReaderDecodesEveryBatchOnceWithOneReadInFlightPerPartition() throws Exception {
        ConsumeReport warmup;
        ConsumeReport report;
        try (LoopbackGateway gateway = LoopbackGateway.start(routes -> routes
                .get("/v1/topics/t", (request, response) -> response.header("Content-Type", "application/json")
                        .sendString(Mono.just(LoopbackGateway.topic("t", END_OFFSETS.get(0), END_OFFSETS.get(1)))))
                .get("/v1/topics/t/partitions/{partition}/records", this::rawRead))) {
            LoadOptions options = LoadOptions.parse("consume", "--topic", "t", "--gateway", gateway.url(), "--raw",
                    "--timeout-ms", "10000");
            try (GatewayClient client = LoopbackGateway.client(options)) {
                warmup = new ConsumeRun(options, client, LoopbackGateway.quiet()).run(20);
                served.clear();
                reads.set(0);
                report = new ConsumeRun(options, client, LoopbackGateway.quiet()).run();
            }
        }

        assertThat(warmup.throughput().records()).isGreaterThanOrEqualTo(20);
        assertThat(report.stalled()).isFalse();
        assertThat(report.throughput().records()).isEqualTo(80);
        assertThat(report.throughput().bytes()).isEqualTo(80 * 5);
        assertThat(report.errors().snapshot()).containsOnlyKeys("NOT_LEADER_OR_FOLLOWER");
        assertThat(maxInFlight).hasValue(1);
        for (int partition : END_OFFSETS.keySet()) {
            for (int offset = 0; offset < END_OFFSETS.get(partition); offset += BATCH) {
                assertThat(served.get(partition + "@" + offset)).as("partition %d batch at %d", partition, offset)
                        .hasValue(1);
            }
        }
    }

    /**
     * Stored v2 batches of {@link #BATCH} records from the batch holding offset, at most two per answer, with the
     * position in headers; answered after a pause, so a second read of the same partition would overlap it. The
     * fourth read of all is refused once.
     */
    private Mono<Void> rawRead(HttpServerRequest request, HttpServerResponse response) {
        if (reads.incrementAndGet() == 4) {
            return response.status(503).header("Content-Type", "application/problem+json")
                    .sendString(Mono.just("{\"error_code\":\"NOT_LEADER_OR_FOLLOWER\",\"detail\":\"moved\"}")).then();
        }
        int partition = Integer.parseInt(request.param("partition"));
        String offsetParam = new QueryStringDecoder(request.uri()).parameters().get("offset").getFirst();
        int from = offsetParam.equals("earliest") ? 0 : Integer.parseInt(offsetParam);
        int end = END_OFFSETS.get(partition);
        AtomicInteger current = inFlight.computeIfAbsent(partition, k -> new AtomicInteger());
        maxInFlight.accumulateAndGet(current.incrementAndGet(), Math::max);
        ByteBuf body = Unpooled.buffer();
        int next = from - from % BATCH;
        for (int batch = 0; batch < 2 && next < end; batch++, next += BATCH) {
            served.computeIfAbsent(partition + "@" + next, k -> new AtomicInteger()).incrementAndGet();
            RecordBatchBuilder builder = RecordBatchBuilder.of(CompressionType.NONE).baseOffset(next);
            for (int offset = next; offset < next + BATCH; offset++) {
                builder.append(0, null, String.format("v%04d", offset).getBytes(StandardCharsets.US_ASCII));
            }
            body.writeBytes(builder.build());
        }
        String nextOffset = Integer.toString(Math.min(next, end));
        return Mono.delay(Duration.ofMillis(20))
                .then(Mono.defer(() -> {
                    current.decrementAndGet();
                    return response.header("Content-Type", ReadCounter.RAW_MEDIA_TYPE)
                            .header("Sluice-Next-Offset", nextOffset)
                            .header("Sluice-High-Watermark", Integer.toString(end))
                            .send(Mono.just(body)).then();
                }));
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
