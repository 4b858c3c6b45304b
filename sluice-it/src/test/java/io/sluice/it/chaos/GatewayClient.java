package io.sluice.it.chaos;

import io.sluice.internal.SluiceJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gateway's public API (docs/api.md) as the chaos clients use it: produce with acks=all, stateless reads by
 * offset, polling group members, topic creation. Outcomes are values: an answer the gateway gave, or "no answer" when the call failed on
 * the way (then whatever it sent may or may not have been written). Thread-safe.
 */
final class GatewayClient implements AutoCloseable {

    /** The pseudo error code of a call that got no HTTP answer. */
    static final String NO_ANSWER = "NO_ANSWER";

    private final URI gateway;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private final JsonMapper json = SluiceJson.mapper();

    GatewayClient(URI gateway) {
        this.gateway = gateway;
    }

    // ---------------------------------------------------------------- produce

    /** One record's outcome: the offset it was acknowledged at, or an error code. */
    record RecordOutcome(long offset, String errorCode) {

        boolean acknowledged() {
            return errorCode == null;
        }
    }

    /**
     * {@code POST /v1/topics/{topic}/records?acks=all} of string values, all to {@code partition}; one outcome per
     * value, in order.
     */
    List<RecordOutcome> produce(String topic, int partition, List<String> values, Duration timeout) {
        StringBuilder body = new StringBuilder("{\"value_format\":\"string\",\"records\":[");
        for (int i = 0; i < values.size(); i++) {
            body.append(i == 0 ? "" : ",").append("{\"partition\":").append(partition).append(",\"value\":\"")
                    .append(values.get(i)).append("\"}");
        }
        body.append("]}");
        HttpRequest request = HttpRequest.newBuilder(gateway.resolve("/v1/topics/" + topic
                        + "/records?acks=all&timeout_ms=" + timeout.toMillis()))
                .timeout(timeout.plusSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return allFailed(values.size(), NO_ANSWER);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return allFailed(values.size(), NO_ANSWER);
        }
        JsonNode answer;
        try {
            answer = json.readTree(response.body());
        } catch (RuntimeException e) {
            return allFailed(values.size(), "HTTP_" + response.statusCode());
        }
        JsonNode results = answer.get("results");
        if (results == null || !results.isArray() || results.size() != values.size()) {
            // A problem for the whole request, before any record was routed.
            JsonNode code = answer.get("error_code");
            return allFailed(values.size(), code == null ? "HTTP_" + response.statusCode() : code.asString());
        }
        List<RecordOutcome> outcomes = new ArrayList<>(values.size());
        for (JsonNode result : results) {
            JsonNode offset = result.get("offset");
            outcomes.add(offset != null && !offset.isNull() ? new RecordOutcome(offset.asLong(), null)
                    : new RecordOutcome(-1, result.path("error_code").asString("UNKNOWN")));
        }
        return outcomes;
    }

    private static List<RecordOutcome> allFailed(int count, String code) {
        List<RecordOutcome> outcomes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            outcomes.add(new RecordOutcome(-1, code));
        }
        return outcomes;
    }

    // ----------------------------------------------------------- transactions

    /** A record of a transaction: where it goes and its value. */
    record TopicValue(String topic, int partition, String value) {
    }

    /**
     * The answer to a transactional call: the HTTP status ({@code -1} without an answer), the problem's error code and
     * detail when it failed, the offsets of a write's records in request order, and a begin's transaction token.
     */
    record TxnAnswer(int status, String errorCode, String detail, List<Long> offsets, String transaction) {

        boolean ok() {
            return status / 100 == 2;
        }

        boolean answered() {
            return status > 0;
        }
    }

    /** {@code POST /v1/records}: {@code records} as one transaction (acks=all). */
    TxnAnswer produceAtomic(List<TopicValue> records, Duration timeout) {
        return txnCall("/v1/records?value_format=string&timeout_ms=" + timeout.toMillis(), recordsBody(records),
                timeout.plusSeconds(10));
    }

    /** {@code POST /v1/transactions}: begins a transaction of {@code transactionalId}. */
    TxnAnswer beginTransaction(String transactionalId, Duration timeout) {
        return txnCall("/v1/transactions", "{\"transactional_id\":\"" + transactionalId + "\",\"timeout_ms\":"
                + timeout.toMillis() + "}", Duration.ofSeconds(40));
    }

    /** {@code POST /v1/transactions/{transaction}/records}. */
    TxnAnswer writeTransaction(String transaction, List<TopicValue> records, Duration timeout) {
        return txnCall("/v1/transactions/" + transaction + "/records?value_format=string&timeout_ms="
                + timeout.toMillis(), recordsBody(records), timeout.plusSeconds(10));
    }

    /** {@code POST /v1/transactions/{transaction}/commit}, or {@code .../abort}. */
    TxnAnswer endTransaction(String transaction, boolean commit) {
        return txnCall("/v1/transactions/" + transaction + (commit ? "/commit" : "/abort"), "",
                Duration.ofSeconds(30));
    }

    private static String recordsBody(List<TopicValue> records) {
        StringBuilder body = new StringBuilder("{\"records\":[");
        for (int i = 0; i < records.size(); i++) {
            TopicValue record = records.get(i);
            body.append(i == 0 ? "" : ",").append("{\"topic\":\"").append(record.topic())
                    .append("\",\"partition\":").append(record.partition()).append(",\"value\":\"")
                    .append(record.value()).append("\"}");
        }
        return body.append("]}").toString();
    }

    private TxnAnswer txnCall(String path, String body, Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(gateway.resolve(path))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return new TxnAnswer(-1, NO_ANSWER, e.toString(), List.of(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new TxnAnswer(-1, NO_ANSWER, "interrupted", List.of(), null);
        }
        JsonNode answer;
        try {
            answer = response.body().isBlank() ? json.createObjectNode() : json.readTree(response.body());
        } catch (RuntimeException e) {
            return new TxnAnswer(response.statusCode(), "HTTP_" + response.statusCode(), response.body(), List.of(),
                    null);
        }
        if (response.statusCode() / 100 != 2) {
            return new TxnAnswer(response.statusCode(), answer.path("error_code").asString("HTTP_"
                    + response.statusCode()), answer.path("detail").asString(""), List.of(), null);
        }
        List<Long> offsets = new ArrayList<>();
        for (JsonNode result : answer.path("results")) {
            offsets.add(result.path("offset").asLong(-1));
        }
        JsonNode transaction = answer.get("transaction");
        return new TxnAnswer(response.statusCode(), null, null, offsets,
                transaction == null ? null : transaction.asString());
    }

    // ------------------------------------------------------------------- read

    /** A record as read: its offset and value. */
    record ReadRecord(long offset, String value) {
    }

    /**
     * One read's answer: records, the next offset and the partition's bounds, or an error code (for
     * OFFSET_OUT_OF_RANGE with the log end the gateway named).
     */
    record ReadAnswer(List<ReadRecord> records, long nextOffset, long highWatermark, long logStartOffset,
                      String errorCode, long logEndOffset) {

        boolean ok() {
            return errorCode == null;
        }
    }

    /** {@code GET /v1/topics/{topic}/partitions/{p}/records?offset=..} with string values, read_uncommitted. */
    ReadAnswer read(String topic, int partition, long offset, int maxRecords, Duration wait) {
        return read(topic, partition, offset, maxRecords, wait, false);
    }

    /** As the read above; with {@code readCommitted}, {@code isolation_level=read_committed}. */
    ReadAnswer read(String topic, int partition, long offset, int maxRecords, Duration wait, boolean readCommitted) {
        HttpRequest request = HttpRequest.newBuilder(gateway.resolve("/v1/topics/" + topic + "/partitions/" + partition
                        + "/records?offset=" + offset + "&max_records=" + maxRecords + "&wait_ms=" + wait.toMillis()
                        + "&value_format=string" + (readCommitted ? "&isolation_level=read_committed" : "")))
                .timeout(wait.plusSeconds(15))
                .header("Accept", "application/json")
                .GET()
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return failedRead(NO_ANSWER, -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failedRead(NO_ANSWER, -1);
        }
        JsonNode answer;
        try {
            answer = json.readTree(response.body());
        } catch (RuntimeException e) {
            return failedRead("HTTP_" + response.statusCode(), -1);
        }
        if (response.statusCode() != 200) {
            return failedRead(answer.path("error_code").asString("HTTP_" + response.statusCode()),
                    answer.path("log_end_offset").asLong(-1));
        }
        List<ReadRecord> records = new ArrayList<>();
        for (JsonNode record : answer.path("records")) {
            records.add(new ReadRecord(record.get("offset").asLong(), record.get("value").asString()));
        }
        return new ReadAnswer(records, answer.get("next_offset").asLong(), answer.get("high_watermark").asLong(),
                answer.get("log_start_offset").asLong(), null, -1);
    }

    private static ReadAnswer failedRead(String code, long logEnd) {
        return new ReadAnswer(List.of(), -1, -1, -1, code, logEnd);
    }

    // ----------------------------------------------------------------- groups

    /** A record a group member was given. */
    record GroupRecord(int partition, long offset, String value) {
    }

    /**
     * A polling member's answer (a join or a poll): its id, its next cursor and the records, or an error code
     * ({@link #NO_ANSWER} when the call failed on the way).
     */
    record MemberAnswer(String errorCode, String memberId, String cursor, List<GroupRecord> records) {

        boolean ok() {
            return errorCode == null;
        }
    }

    /**
     * {@code POST /v1/groups/{group}/members}: a polling member of {@code topic} from the earliest offsets, under a
     * member id of the caller's choosing (a join repeated after a lost answer is the same member).
     */
    MemberAnswer joinGroup(String group, String topic, String memberId) {
        return member(HttpRequest.newBuilder(gateway.resolve("/v1/groups/" + group + "/members"))
                        .timeout(Duration.ofSeconds(30)),
                "{\"topics\":[\"" + topic + "\"],\"auto_offset_reset\":\"earliest\",\"member_id\":\"" + memberId
                        + "\"}");
    }

    /** {@code POST /v1/groups/{group}/members/{member}/poll} with string values, waiting up to {@code wait}. */
    MemberAnswer pollGroup(String group, String memberId, String cursor, Duration wait) {
        return member(HttpRequest.newBuilder(gateway.resolve("/v1/groups/" + group + "/members/" + memberId + "/poll"))
                        .timeout(wait.plusSeconds(15)),
                "{\"cursor\":\"" + cursor + "\",\"wait_ms\":" + wait.toMillis()
                        + ",\"max_records\":1000,\"value_format\":\"string\"}");
    }

    /**
     * {@code DELETE /v1/groups/{group}/members/{member}?cursor=}: commits the cursor and leaves. Answers the status (204
     * when it left), or -1 when no answer came.
     */
    int leaveGroup(String group, String memberId, String cursor) {
        HttpRequest request = HttpRequest.newBuilder(gateway.resolve("/v1/groups/" + group + "/members/" + memberId
                + "?cursor=" + cursor)).timeout(Duration.ofSeconds(30)).DELETE().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The group's committed offsets by partition ({@code GET /v1/groups/{group}}), or null without an answer. */
    Map<Integer, Long> committedOffsets(String group) {
        HttpRequest request = HttpRequest.newBuilder(gateway.resolve("/v1/groups/" + group))
                .timeout(Duration.ofSeconds(15)).GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return null;
            }
            Map<Integer, Long> committed = new TreeMap<>();
            for (JsonNode partition : json.readTree(response.body()).path("partitions")) {
                if (partition.hasNonNull("committed_offset")) {
                    committed.put(partition.get("partition").asInt(), partition.get("committed_offset").asLong());
                }
            }
            return committed;
        } catch (IOException | RuntimeException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private MemberAnswer member(HttpRequest.Builder request, String body) {
        HttpResponse<String> response;
        try {
            response = http.send(request.header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return new MemberAnswer(NO_ANSWER, null, null, List.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new MemberAnswer(NO_ANSWER, null, null, List.of());
        }
        JsonNode answer;
        try {
            answer = json.readTree(response.body());
        } catch (RuntimeException e) {
            return new MemberAnswer("HTTP_" + response.statusCode(), null, null, List.of());
        }
        if (response.statusCode() / 100 != 2) {
            return new MemberAnswer(answer.path("error_code").asString("HTTP_" + response.statusCode()), null, null,
                    List.of());
        }
        List<GroupRecord> records = new ArrayList<>();
        for (JsonNode record : answer.path("records")) {
            records.add(new GroupRecord(record.get("partition").asInt(), record.get("offset").asLong(),
                    record.get("value").asString()));
        }
        return new MemberAnswer(null, answer.get("member_id").asString(), answer.get("cursor").asString(), records);
    }

    // ------------------------------------------------------------------ admin

    /** {@code POST /v1/topics}; fails the test if the gateway refuses. */
    void createTopic(String name, int partitions, int replicationFactor, Map<String, String> configs) {
        Map<String, Object> body = Map.of("name", name, "partition_count", partitions,
                "replication_factor", replicationFactor, "configs", configs.entrySet().stream()
                        .map(config -> Map.of("name", config.getKey(), "value", config.getValue())).toList());
        HttpRequest request = HttpRequest.newBuilder(gateway.resolve("/v1/topics"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new AssertionError("Creating topic " + name + ": HTTP " + response.statusCode() + " "
                        + response.body());
            }
        } catch (IOException e) {
            throw new AssertionError("Creating topic " + name + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
