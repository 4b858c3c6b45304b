package io.sluice.it;

import io.sluice.internal.Problem;
import io.sluice.internal.SluiceJson;
import io.sluice.internal.partition.FetchRequest;
import io.sluice.internal.partition.FetchRequestCodec;
import io.sluice.internal.partition.FetchResponseCodec.FetchedPartition;
import io.sluice.internal.partition.FetchResponseCodec;
import io.sluice.internal.partition.PartitionBatches;
import io.sluice.internal.partition.ProduceRequestCodec;
import io.sluice.internal.partition.ProduceResponse;
import io.sluice.internal.partition.ProduceResponseCodec;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.TopicPartition;
import io.sluice.protocol.record.BufferBatchIterator;
import io.sluice.protocol.record.Record;
import io.sluice.protocol.record.RecordBatch;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import tools.jackson.databind.json.JsonMapper;

/**
 * The partition services' internal data API as a gateway uses it: binary produce, binary consumer fetch, and
 * list-offsets, each sent to one node by id. Failures come back as values (an error code, or {@link #CONNECTION}
 * when the node did not answer), so load loops can retry. Thread-safe.
 */
final class PartitionApi implements AutoCloseable {

    /** The pseudo error code of a call that got no HTTP answer (refused, reset, timed out). */
    static final String CONNECTION = "CONNECTION";

    private final IntFunction<URI> nodeUrls;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private final JsonMapper json = SluiceJson.mapper();

    PartitionApi(IntFunction<URI> nodeUrls) {
        this.nodeUrls = nodeUrls;
    }

    // ---------------------------------------------------------------- produce

    /** One partition's produce outcome: offsets, or an error code with its message. */
    record ProduceResult(String errorCode, String message, long baseOffset, long lastOffset) {

        boolean ok() {
            return errorCode == null;
        }

        /** Whether sending the same records again (after a metadata refresh) may succeed. */
        boolean retriable() {
            if (ok()) {
                return false;
            }
            if (errorCode.equals(CONNECTION)) {
                return true;
            }
            try {
                return ErrorCode.valueOf(errorCode).retriable();
            } catch (IllegalArgumentException e) {
                return false;
            }
        }

        static ProduceResult failed(String errorCode, String message) {
            return new ProduceResult(errorCode, message, -1, -1);
        }
    }

    /**
     * {@code POST /internal/produce?acks=..&timeout_ms=..} with one partition's batches, routed at
     * {@code leaderEpoch} ({@link PartitionBatches#ANY_EPOCH} to skip the check).
     */
    ProduceResult produce(int nodeId, TopicPartition tp, int leaderEpoch, ByteBuffer batches, String acks,
                          long timeoutMs) {
        ByteBuffer body = ProduceRequestCodec.encode(List.of(new PartitionBatches(tp, leaderEpoch, batches)));
        byte[] bytes = new byte[body.remaining()];
        body.get(bytes);
        URI uri = nodeUrls.apply(nodeId).resolve("/internal/produce?acks=" + acks + "&timeout_ms=" + timeoutMs);
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofMillis(timeoutMs).plusSeconds(5))
                .header("Content-Type", ProduceRequestCodec.CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            return ProduceResult.failed(CONNECTION, "node " + nodeId + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ProduceResult.failed(CONNECTION, "interrupted");
        }
        if (response.statusCode() != 200) {
            Problem problem = problem(response);
            return ProduceResult.failed(problem.errorCode() == null ? "HTTP_" + problem.status()
                    : problem.errorCode().name(), problem.detail());
        }
        ProduceResponse.PartitionResult answer =
                ProduceResponseCodec.decode(ByteBuffer.wrap(response.body())).partitions().getFirst();
        if (answer.errorCode() != null) {
            return ProduceResult.failed(answer.errorCode().name(), answer.message());
        }
        if (answer.baseOffset() == null) {
            return new ProduceResult(null, null, -1, -1); // acks=0: not waited for
        }
        return new ProduceResult(null, null, answer.baseOffset(), answer.lastOffset());
    }

    // ------------------------------------------------------------------ fetch

    /** A consumer fetch of one partition ({@code POST /internal/fetch}); the section as the node answered it. */
    FetchedPartition fetch(int nodeId, TopicPartition tp, long offset, int maxBytes, long maxWaitMs) {
        FetchRequest request = new FetchRequest(maxWaitMs, 1, maxBytes,
                List.of(new FetchRequest.Partition(tp.topic(), tp.partition(), offset, maxBytes)));
        byte[] body = post(nodeId, "/internal/fetch", FetchRequestCodec.CONTENT_TYPE,
                FetchRequestCodec.encode(request).array(), Duration.ofMillis(maxWaitMs).plusSeconds(10));
        return FetchResponseCodec.decode(ByteBuffer.wrap(body)).getFirst();
    }

    /** A record as a consumer sees it: its offset, value and the batch that carried it. */
    record Consumed(long offset, String value, long batchBaseOffset, int leaderEpoch) {
    }

    /**
     * Everything a consumer can read from {@code nodeId} (the leader), from the log start to the high watermark as
     * it stood at the last fetch; fails on a fetch error.
     */
    List<Consumed> readAll(int nodeId, TopicPartition tp) {
        List<Consumed> consumed = new ArrayList<>();
        long offset = 0;
        while (true) {
            FetchedPartition section = fetch(nodeId, tp, offset, 1 << 20, 0);
            if (section.error() != null) {
                throw new AssertionError("Fetch of " + tp + " at " + offset + " from node " + nodeId + " failed: "
                        + section.error());
            }
            if (!section.records().hasRemaining()) {
                if (offset < section.highWatermark()) {
                    throw new AssertionError("Fetch of " + tp + " at " + offset + " returned nothing below the high "
                            + "watermark " + section.highWatermark());
                }
                return consumed;
            }
            for (RecordBatch batch : BufferBatchIterator.batches(section.records())) {
                batch.ensureValid();
                for (Record record : batch.records()) {
                    consumed.add(new Consumed(record.offset(), new String(record.value(), StandardCharsets.UTF_8),
                            batch.baseOffset(), batch.partitionLeaderEpoch()));
                }
                offset = batch.nextOffset();
            }
        }
    }

    // ----------------------------------------------------------- list-offsets

    private record ListOffsetsAnswer(List<OffsetAnswer> partitions) {
    }

    private record OffsetAnswer(String topic, int partition, String errorCode, String message, Long offset,
                                Long timestamp) {
    }

    /** {@code POST /internal/list-offsets}: -1 latest (the high watermark), -2 earliest. */
    long listOffset(int nodeId, TopicPartition tp, long timestamp) {
        Map<String, Object> request = Map.of("partitions",
                List.of(Map.of("topic", tp.topic(), "partition", tp.partition(), "timestamp", timestamp)));
        OffsetAnswer answer = json.readValue(post(nodeId, "/internal/list-offsets", "application/json",
                json.writeValueAsBytes(request), Duration.ofSeconds(10)), ListOffsetsAnswer.class).partitions().getFirst();
        if (answer.errorCode() != null) {
            throw new AssertionError("list-offsets of " + tp + " on node " + nodeId + ": " + answer.errorCode() + " "
                    + answer.message());
        }
        return answer.offset();
    }

    // ---------------------------------------------------------------- metrics

    /** The sum over all series of a Prometheus metric on a node ({@code /actuator/prometheus}); 0 when absent. */
    double metric(int nodeId, String name) {
        HttpRequest request = HttpRequest.newBuilder(nodeUrls.apply(nodeId).resolve("/actuator/prometheus"))
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build();
        String text;
        try {
            text = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new IllegalStateException("metrics of node " + nodeId + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        double sum = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    // ---------------------------------------------------------------- plumbing

    private byte[] post(int nodeId, String path, String contentType, byte[] body, Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(nodeUrls.apply(nodeId).resolve(path))
                .timeout(timeout)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                Problem problem = problem(response);
                throw new AssertionError(path + " on node " + nodeId + " answered HTTP " + response.statusCode() + " "
                        + problem.errorCode() + ": " + problem.detail());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException(path + " on node " + nodeId + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private Problem problem(HttpResponse<byte[]> response) {
        try {
            return json.readValue(response.body(), Problem.class);
        } catch (RuntimeException e) {
            return new Problem(null, null, response.statusCode(),
                    "HTTP " + response.statusCode() + ": " + new String(response.body(), StandardCharsets.UTF_8),
                    null, null, null);
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
