package io.sluice.gateway.testing;

import static io.sluice.gateway.testing.BadRequest.get;
import static io.sluice.gateway.testing.BadRequest.post;
import static io.sluice.protocol.ErrorCode.INVALID_CONFIG;
import static io.sluice.protocol.ErrorCode.INVALID_GROUP_ID;
import static io.sluice.protocol.ErrorCode.INVALID_OFFSET;
import static io.sluice.protocol.ErrorCode.INVALID_PARTITIONS;
import static io.sluice.protocol.ErrorCode.INVALID_RECORD;
import static io.sluice.protocol.ErrorCode.INVALID_REPLICATION_FACTOR;
import static io.sluice.protocol.ErrorCode.INVALID_REQUEST;
import static io.sluice.protocol.ErrorCode.INVALID_TIMESTAMP;
import static io.sluice.protocol.ErrorCode.INVALID_TOPIC_NAME;
import static io.sluice.protocol.ErrorCode.OFFSET_OUT_OF_RANGE;
import static io.sluice.protocol.ErrorCode.RECORD_TOO_LARGE;
import static io.sluice.protocol.ErrorCode.REQUEST_TOO_LARGE;
import static io.sluice.protocol.ErrorCode.TOPIC_ALREADY_EXISTS;
import static io.sluice.protocol.ErrorCode.UNKNOWN_PARTITION;
import static io.sluice.protocol.ErrorCode.UNKNOWN_TOPIC;
import static io.sluice.protocol.ErrorCode.UNSUPPORTED_MEDIA_TYPE;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

/**
 * The client mistakes the gateway must refuse with a clear 4xx problem, by route. The produce cases that need no
 * metadata run in-process ({@code ProduceRequestValidationTest}) and against a real cluster, where they must also
 * leave the topic untouched ({@code BadInputIT}); the others need a real topic. Sizes assume
 * {@code sluice.gateway.produce.max-request-size} = {@link #MAX_REQUEST_SIZE} bytes and a topic of
 * {@link #PARTITIONS} partitions.
 */
public final class BadRequests {

    /** The gateway's produce limit the tests configure. */
    public static final int MAX_REQUEST_SIZE = 64 * 1024;
    public static final String MAX_REQUEST_SIZE_SETTING = "sluice.gateway.produce.max-request-size=64KB";
    public static final int PARTITIONS = 3;
    private static final String RECORDS = "/v1/topics/%s/records";

    private BadRequests() {
    }

    /** Produce requests that are wrong whatever the topic: refused before any metadata is consulted. */
    public static List<BadRequest> produce() {
        return List.of(
                post("malformed JSON names line and column", RECORDS).json("[{\"value\": 1},\n {\"value\": }]")
                        .is(400, INVALID_REQUEST, "Malformed JSON at line 2, column 12"),
                post("trailing garbage after the array", RECORDS).json("[{\"value\": 1}] xx")
                        .is(400, INVALID_REQUEST, "Malformed JSON at line 1, column"),
                post("truncated body", RECORDS).json("[{\"value\": ")
                        .is(400, INVALID_REQUEST, "Malformed JSON"),
                post("invalid UTF-8", RECORDS).body(MediaType.APPLICATION_JSON, bytes("[{\"value\": \"\u00ff\"}]", 12))
                        .is(400, INVALID_REQUEST, "Invalid UTF-8"),
                post("nesting deeper than the parser allows", RECORDS)
                        .json("[{\"value\": " + "[".repeat(2000) + "]".repeat(2000) + "}]")
                        .is(400, INVALID_REQUEST, "nesting depth"),
                post("empty records array", RECORDS).json("[]").is(400, INVALID_REQUEST, "no records"),
                post("empty records in the object form", RECORDS).json("{\"records\": []}")
                        .is(400, INVALID_REQUEST, "no records"),
                post("object without records", RECORDS).json("{\"value\": 1}")
                        .is(400, INVALID_REQUEST, "The request body has an unknown field 'value'"),
                post("object whose records are not an array", RECORDS).json("{\"records\": {\"value\": 1}}")
                        .is(400, INVALID_REQUEST, "JSON array of records"),
                post("a bare number", RECORDS).json("5").is(400, INVALID_REQUEST, "JSON array of records"),
                post("no body", RECORDS).body(MediaType.APPLICATION_JSON, null)
                        .is(400, INVALID_REQUEST, "needs a body"),
                post("a record that is not an object", RECORDS).json("[{\"value\": 1}, 5]")
                        .is(400, INVALID_RECORD, "Record 1 must be a JSON object"),
                post("string format given a number", RECORDS + "?value_format=string")
                        .json("[{\"value\": \"ok\"}, {\"value\": 42}]")
                        .is(400, INVALID_RECORD, "value of record 1 must be a JSON string"),
                post("string key format given an object", RECORDS + "?key_format=string")
                        .json("[{\"key\": {\"a\": 1}, \"value\": 1}]")
                        .is(400, INVALID_RECORD, "key of record 0 must be a JSON string"),
                post("binary format given bad base64", RECORDS).json("{\"value_format\": \"binary\", \"records\": "
                        + "[{\"value\": \"aGVsbG8=\"}, {\"value\": \"not*base64\"}]}")
                        .is(400, INVALID_RECORD, "value of record 1 is not valid base64"),
                post("binary format given a number", RECORDS + "?key_format=binary").json("[{\"key\": 7}]")
                        .is(400, INVALID_RECORD, "key of record 0 must be a base64 string"),
                post("unknown value_format parameter", RECORDS + "?value_format=xml").json("[{\"value\": 1}]")
                        .is(400, INVALID_REQUEST, "value_format must be json, string, binary, avro, protobuf, json_schema or schema, was 'xml'"),
                post("unknown key_format in the body", RECORDS).json("{\"key_format\": \"xml\", \"records\": "
                        + "[{\"value\": 1}]}")
                        .is(400, INVALID_REQUEST, "key_format must be json, string, binary, avro, protobuf, json_schema or schema, was 'xml'"),
                post("a schema's format in the body without a schema", RECORDS).json("{\"key_format\": \"avro\", "
                        + "\"records\": [{\"value\": 1}]}")
                        .is(400, INVALID_REQUEST, "The key format avro needs a schema: give key_schema_id or "
                                + "key_subject"),
                post("a schema and a conflicting format", RECORDS + "?value_schema_id=1&value_format=string")
                        .json("[{\"value\": \"x\"}]")
                        .is(400, INVALID_REQUEST, "The value format string conflicts with value_schema_id 1"),
                post("a schema by id and by subject", RECORDS + "?value_schema_id=1&value_subject=s-value")
                        .json("[{\"value\": 1}]")
                        .is(400, INVALID_REQUEST, "Give value_schema_id or value_subject, not both"),
                post("a schema version without a subject", RECORDS + "?key_schema_version=2")
                        .json("[{\"value\": 1}]")
                        .is(400, INVALID_REQUEST, "key_schema_version needs key_subject"),
                post("a schema version that is none", RECORDS + "?value_subject=s-value&value_schema_version=0")
                        .json("[{\"value\": 1}]")
                        .is(400, INVALID_REQUEST, "value_schema_version must be latest or a version from 1, was '0'"),
                post("a schema id in the body that is no integer", RECORDS)
                        .json("{\"value_schema_id\": \"7\", \"records\": [{\"value\": 1}]}")
                        .is(400, INVALID_REQUEST, "value_schema_id must be an integer"),
                post("negative partition", RECORDS).json("[{\"value\": 1, \"partition\": -1}]")
                        .is(400, INVALID_RECORD, "partition of record 0 must be an integer >= 0"),
                post("partition as a string", RECORDS).json("[{\"value\": 1, \"partition\": \"0\"}]")
                        .is(400, INVALID_RECORD, "partition of record 0 must be an integer >= 0"),
                post("partition beyond the int range", RECORDS).json("[{\"value\": 1, \"partition\": 99999999999}]")
                        .is(400, INVALID_RECORD, "partition of record 0 must be an integer >= 0"),
                post("negative timestamp", RECORDS).json("[{\"value\": 1}, {\"value\": 2, \"timestamp\": -5}]")
                        .is(400, INVALID_RECORD, "timestamp of record 1 must be milliseconds since the epoch"),
                post("fractional timestamp", RECORDS).json("[{\"value\": 1, \"timestamp\": 1.5}]")
                        .is(400, INVALID_RECORD, "timestamp of record 0"),
                post("timestamp beyond the long range", RECORDS)
                        .json("[{\"value\": 1, \"timestamp\": 99999999999999999999999}]")
                        .is(400, INVALID_RECORD, "timestamp of record 0"),
                post("headers neither object nor array", RECORDS).json("[{\"value\": 1, \"headers\": 5}]")
                        .is(400, INVALID_RECORD, "headers of record 0 must be an object or an array"),
                post("header without a key", RECORDS).json("[{\"value\": 1, \"headers\": [{\"value\": \"v\"}]}]")
                        .is(400, INVALID_RECORD, "needs a string \"key\""),
                post("header value a number", RECORDS).json("[{\"value\": 1, \"headers\": {\"h\": 1}}]")
                        .is(400, INVALID_RECORD, "Header 'h' of record 0 must be a string or null"),
                post("acks=2", RECORDS + "?acks=2").json("[{\"value\": 1}]")
                        .is(400, INVALID_REQUEST, "acks must be 0, 1 or all, was '2'"),
                post("negative timeout_ms", RECORDS + "?timeout_ms=-1").json("[{\"value\": 1}]")
                        .is(400, INVALID_REQUEST, "timeout_ms must be between 0 and 300000, was -1"),
                post("timeout_ms not a number", RECORDS + "?timeout_ms=soon").json("[{\"value\": 1}]")
                        .is(400, INVALID_REQUEST, "soon"),
                post("unsupported content type", RECORDS).body(MediaType.TEXT_PLAIN, bytes("hello", -1))
                        .is(415, UNSUPPORTED_MEDIA_TYPE, "text/plain"),
                post("body over the limit by Content-Length", RECORDS).json(oversizeArray())
                        .is(413, REQUEST_TOO_LARGE, "at most " + MAX_REQUEST_SIZE),
                post("body over the limit while streaming (chunked)", RECORDS).json(oversizeArray()).withoutContentLength()
                        .is(413, REQUEST_TOO_LARGE, "larger than " + MAX_REQUEST_SIZE + " bytes"),
                post("NDJSON with acks=many", RECORDS + "?acks=many").ndjson("{\"value\": 1}\n")
                        .is(400, INVALID_REQUEST, "acks must be 0, 1 or all"),
                post("NDJSON with negative timeout_ms", RECORDS + "?timeout_ms=-5").ndjson("{\"value\": 1}\n")
                        .is(400, INVALID_REQUEST, "timeout_ms must be between 0 and 300000, was -5"),
                post("NDJSON with unknown value_format", RECORDS + "?value_format=csv").ndjson("{\"value\": 1}\n")
                        .is(400, INVALID_REQUEST, "value_format must be json, string, binary, avro, protobuf, json_schema or schema"));
    }

    /**
     * The public API's one way with input, on every route: an unknown query parameter or JSON field is named, a
     * number outside its range names the range, a format or timestamp that is none is refused. All are decided
     * before any topic is looked up.
     */
    public static List<BadRequest> strictInput() {
        String p0 = "/v1/topics/%s/partitions/0/records";
        String all = "/v1/topics/%s/records";
        String sse = MediaType.TEXT_EVENT_STREAM_VALUE;
        String ndjson = BadRequest.NDJSON.toString();
        String produceParams = "this route takes acks, format, header_format, key_format, key_message, key_schema_id, "
                + "key_schema_version, key_subject, timeout_ms, value_format, value_message, value_schema_id, "
                + "value_schema_version, value_subject";
        String readParams = "this route takes clamp, cursor, format, header_format, isolation_level, key_format, last, "
                + "max_bytes, max_records, offset, timestamp, value_format, wait_ms";
        String streamParams = "this route takes cursor, format, header_format, isolation_level, key_format, last, "
                + "offset, timestamp, value_format";
        List<BadRequest> cases = new ArrayList<>(List.of(
                // Produce: parameters, envelope, record and header fields, formats, timestamps, bounds.
                post("produce with an unknown parameter", RECORDS + "?partition=2").json("[{\"value\": 1}]")
                        .is(400, INVALID_REQUEST, "Unknown query parameter 'partition'; " + produceParams),
                post("NDJSON produce with an unknown parameter", RECORDS + "?ack=1").ndjson("{\"value\": 1}\n")
                        .is(400, INVALID_REQUEST, "Unknown query parameter 'ack'; " + produceParams),
                post("produce body with an unknown field", RECORDS)
                        .json("{\"value_fromat\": \"string\", \"records\": [{\"value\": \"x\"}]}")
                        .is(400, INVALID_REQUEST, "The request body has an unknown field 'value_fromat'; the fields "
                                + "there are format, header_format, key_format, key_message, key_schema_id, "
                                + "key_schema_version, key_subject, records, value_format, value_message, "
                                + "value_schema_id, value_schema_version, value_subject"),
                post("record with a misspelt field", RECORDS).json("[{\"value\": 1}, {\"value\": 2, \"partiton\": 2}]")
                        .is(400, INVALID_REQUEST, "Record 1 has an unknown field 'partiton'; the fields there are "
                                + "headers, key, partition, timestamp, value"),
                post("header with an unknown field", RECORDS)
                        .json("[{\"value\": 1, \"headers\": [{\"key\": \"h\", \"value\": \"v\", \"type\": \"x\"}]}]")
                        .is(400, INVALID_REQUEST, "A header of record 0 has an unknown field 'type'"),
                post("timeout_ms over its maximum", RECORDS + "?timeout_ms=300001").json("[{\"value\": 1}]")
                        .is(400, INVALID_REQUEST, "timeout_ms must be between 0 and 300000, was 300001"),
                post("produce format that is none", RECORDS + "?format=xml").json("[{\"value\": 1}]")
                        .is(400, INVALID_REQUEST, "format must be json, string, binary, avro, protobuf, json_schema or schema, was 'xml'"),
                post("NDJSON produce format that is none", RECORDS + "?format=xml").ndjson("{\"value\": 1}\n")
                        .is(400, INVALID_REQUEST, "format must be json, string, binary, avro, protobuf, json_schema or schema, was 'xml'"),
                post("NDJSON produce in a schema's format without a schema", RECORDS + "?format=avro")
                        .ndjson("{\"value\": 1}\n")
                        .is(400, INVALID_REQUEST, "The key format avro needs a schema"),
                post("produce header_format json", RECORDS + "?header_format=json").json("[{\"value\": 1}]")
                        .is(400, INVALID_REQUEST, "header_format must be string or binary, was 'json'"),
                post("header_format in the body that is none", RECORDS)
                        .json("{\"header_format\": \"hex\", \"records\": [{\"value\": 1}]}")
                        .is(400, INVALID_REQUEST, "header_format must be string or binary, was 'hex'"),
                post("binary header that is not base64", RECORDS + "?header_format=binary")
                        .json("[{\"value\": 1, \"headers\": {\"h\": \"not*base64\"}}]")
                        .is(400, INVALID_RECORD, "value of header 'h' of record 0 is not valid base64"),
                post("timestamp string that is no time", RECORDS).json("[{\"value\": 1, \"timestamp\": \"tomorrow\"}]")
                        .is(400, INVALID_RECORD, "The timestamp of record 0: timestamp must be milliseconds"),
                post("ISO timestamp without an offset", RECORDS)
                        .json("[{\"value\": 1, \"timestamp\": \"2026-01-01T00:00:00\"}]")
                        .is(400, INVALID_RECORD, "was '2026-01-01T00:00:00'"),
                // Reads: each bound, on pages of a partition and of a topic.
                get("timestamp without an offset", p0 + "?timestamp=2026-01-01T00:00:00")
                        .is(400, INVALID_TIMESTAMP, "with an offset such as 2026-01-01T00:00:00Z"),
                get("cursor and offset both", all + "?cursor=AQEAAA&offset=0")
                        .is(400, INVALID_REQUEST, "Give cursor or one of offset, timestamp and last, not both"),
                get("offsets by time without a timestamp", "/v1/topics/%s/partitions/0/offsets")
                        .is(400, INVALID_REQUEST, "timestamp"),
                get("offsets by a time that is none", "/v1/topics/%s/partitions/0/offsets?timestamp=noon")
                        .is(400, INVALID_TIMESTAMP, "was 'noon'"),
                get("offsets by time with an unknown parameter", "/v1/topics/%s/partitions/0/offsets?timestamp=0&isolation=x")
                        .is(400, INVALID_REQUEST, "Unknown query parameter 'isolation'; this route takes timestamp"),
                get("SSE asked for a page's max_records", all + "?max_records=5").accepting(sse)
                        .is(400, INVALID_REQUEST, "Unknown query parameter 'max_records'; " + streamParams),
                get("SSE last 0", p0 + "?last=0").accepting(sse).is(400, INVALID_REQUEST, "last must be between 1 and 10000"),
                // Admin: the old names are unknown fields now, and a body's types are strict.
                get("list topics with an unknown parameter", "/v1/topics?prefix=a")
                        .is(400, INVALID_REQUEST, "Unknown query parameter 'prefix'; this route takes name"),
                get("describe a topic with a parameter", "/v1/topics/%s?verbose=true")
                        .is(400, INVALID_REQUEST,
                                "Unknown query parameter 'verbose'; this route takes include_authorized_operations"),
                post("create with the old partitions field", "/v1/topics")
                        .json("{\"name\": \"old\", \"partitions\": 1, \"replication_factor\": 1}")
                        .is(400, INVALID_REQUEST, "Unknown field 'partitions'; the fields here are configs, name, "
                                + "partition_count, replication_factor, validate_only"),
                post("create with a config entry's unknown field", "/v1/topics")
                        .json("{\"name\": \"x\", \"partition_count\": 1, \"replication_factor\": 1, \"configs\": "
                                + "[{\"name\": \"retention.ms\", \"value\": \"1\", \"is_default\": false}]}")
                        .is(400, INVALID_REQUEST, "Unknown field 'configs[0].is_default'; the fields here are name, value"),
                post("create with configs as a map", "/v1/topics")
                        .json("{\"name\": \"x\", \"partition_count\": 1, \"replication_factor\": 1, \"configs\": "
                                + "{\"retention.ms\": \"1\"}}")
                        .is(400, INVALID_REQUEST, "Field 'configs' must be an array"),
                post("create with the partition count as a string", "/v1/topics")
                        .json("{\"name\": \"x\", \"partition_count\": \"3\", \"replication_factor\": 1}")
                        .is(400, INVALID_REQUEST, "Field 'partition_count' must be an integer"),
                post("create with a fractional partition count", "/v1/topics")
                        .json("{\"name\": \"x\", \"partition_count\": 1.5, \"replication_factor\": 1}")
                        .is(400, INVALID_REQUEST, "Field 'partition_count' must be an integer"),
                post("create with validate_only as a word", "/v1/topics")
                        .json("{\"name\": \"x\", \"partition_count\": 1, \"replication_factor\": 1, "
                                + "\"validate_only\": \"yes\"}")
                        .is(400, INVALID_REQUEST, "Field 'validate_only' must be true or false"),
                BadRequest.of("alter configs with the old set/delete shape", HttpMethod.PATCH, "/v1/topics/%s/configs")
                        .json("{\"set\": {\"retention.ms\": \"1\"}}")
                        .is(400, INVALID_REQUEST, "Unknown field 'set'; the fields here are configs"),
                post("add partitions with the old count field", "/v1/topics/%s/partitions").json("{\"count\": 5}")
                        .is(400, INVALID_REQUEST, "Unknown field 'count'; the fields here are partition_count")));
        // Every read route refuses an unknown parameter, a format that is none, and each bound out of range.
        for (String path : List.of(p0, all)) {
            for (String accept : List.of(MediaType.APPLICATION_JSON_VALUE, ndjson, sse)) {
                String route = path.equals(p0) ? "partition " : "topic ";
                String as = accept.equals(sse) ? "SSE" : accept.equals(ndjson) ? "NDJSON" : "JSON";
                cases.add(get(route + as + " read with an unknown parameter", path + "?max_record=5").accepting(accept)
                        .is(400, INVALID_REQUEST, "Unknown query parameter 'max_record'; "
                                + (accept.equals(sse) ? streamParams : readParams)));
                cases.add(get(route + as + " read with a format that is none", path + "?format=xml").accepting(accept)
                        .is(400, INVALID_REQUEST, "format must be json, string, binary, avro, protobuf, json_schema or schema, was 'xml'"));
                cases.add(get(route + as + " read with an isolation level that is none",
                        path + "?isolation_level=serializable").accepting(accept)
                        .is(400, INVALID_REQUEST,
                                "isolation_level must be read_uncommitted or read_committed, was 'serializable'"));
                cases.add(get(route + as + " read with value_format that is none", path + "?value_format=csv")
                        .accepting(accept).is(400, INVALID_REQUEST, "value_format must be json, string, binary, avro, protobuf, json_schema or schema"));
                cases.add(get(route + as + " read with header_format json", path + "?header_format=json")
                        .accepting(accept).is(400, INVALID_REQUEST, "header_format must be string or binary"));
                cases.add(get(route + as + " read of the last 10001", path + "?last=10001").accepting(accept)
                        .is(400, INVALID_REQUEST, "last must be between 1 and 10000, was 10001"));
                if (!accept.equals(sse)) {
                    cases.add(get(route + as + " read of 10001 records", path + "?max_records=10001").accepting(accept)
                            .is(400, INVALID_REQUEST, "max_records must be between 1 and 10000, was 10001"));
                    cases.add(get(route + as + " read of 0 records", path + "?max_records=0").accepting(accept)
                            .is(400, INVALID_REQUEST, "max_records must be between 1 and 10000, was 0"));
                    cases.add(get(route + as + " read of more than 64 MiB", path + "?max_bytes=67108865")
                            .accepting(accept)
                            .is(400, INVALID_REQUEST, "max_bytes must be between 1 and 67108864, was 67108865"));
                    cases.add(get(route + as + " read waiting longer than allowed", path + "?wait_ms=30001")
                            .accepting(accept)
                            .is(400, INVALID_REQUEST, "wait_ms must be between 0 and 30000, was 30001"));
                }
            }
        }
        return cases;
    }

    /** Produce requests that are wrong for a topic of {@link #PARTITIONS} partitions and max.message.bytes 2048. */
    public static List<BadRequest> produceToTopic() {
        return List.of(
                post("partition the topic does not have", RECORDS).json("[{\"value\": 1, \"partition\": 0}, "
                                + "{\"value\": 2, \"partition\": " + PARTITIONS + "}]")
                        .is(404, UNKNOWN_PARTITION, "Record 1 asks for partition " + PARTITIONS),
                post("record larger than max.message.bytes", RECORDS + "?value_format=string")
                        .json("[{\"value\": \"small\"}, {\"value\": \"" + "x".repeat(4000) + "\"}]")
                        .is(413, RECORD_TOO_LARGE, "Record 1 is about"),
                post("NDJSON without a body", RECORDS).body(BadRequest.NDJSON, null).accepting(BadRequest.NDJSON.toString())
                        .is(400, INVALID_REQUEST, "needs a body"));
    }

    /** Produce requests to a topic that does not exist, or cannot. */
    public static List<BadRequest> produceToUnknownTopic() {
        return List.of(
                post("unknown topic", "/v1/topics/no-such-topic/records").json("[{\"value\": 1}]")
                        .is(404, UNKNOWN_TOPIC, "Topic 'no-such-topic' does not exist"),
                post("NDJSON to an unknown topic", "/v1/topics/no-such-topic/records").ndjson("{\"value\": 1}\n")
                        .is(404, UNKNOWN_TOPIC, "Topic 'no-such-topic' does not exist"),
                post("invalid topic name", "/v1/topics/no%20such/records").json("[{\"value\": 1}]")
                        .is(400, INVALID_TOPIC_NAME, "contains ' '"));
    }

    /** Reads of a topic of {@link #PARTITIONS} partitions holding fewer than 100 records in partition 0. */
    public static List<BadRequest> read() {
        String p0 = "/v1/topics/%s/partitions/0/records";
        String sse = MediaType.TEXT_EVENT_STREAM_VALUE;
        return List.of(
                get("negative offset", p0 + "?offset=-1").is(400, INVALID_OFFSET, "offset must be >= 0, was -1"),
                get("offset not a number", p0 + "?offset=first")
                        .is(400, INVALID_OFFSET, "offset must be a number, earliest or latest, was 'first'"),
                get("offset beyond the log end", p0 + "?offset=100")
                        .is(416, OFFSET_OUT_OF_RANGE, "Offset 100 is outside"),
                get("offset and timestamp both", p0 + "?offset=0&timestamp=0")
                        .is(400, INVALID_REQUEST, "Give one of offset, timestamp and last, not several"),
                get("negative timestamp", p0 + "?timestamp=-1")
                        .is(400, INVALID_TIMESTAMP, "timestamp must be milliseconds since the epoch (>= 0)"),
                get("timestamp neither a number nor a time", p0 + "?timestamp=yesterday")
                        .is(400, INVALID_TIMESTAMP, "was 'yesterday'"),
                get("max_records 0", p0 + "?max_records=0")
                        .is(400, INVALID_REQUEST, "max_records must be between 1 and"),
                get("max_records above the maximum", p0 + "?max_records=10001")
                        .is(400, INVALID_REQUEST, "max_records must be between 1 and 10000"),
                get("max_records not a number", p0 + "?max_records=all").is(400, INVALID_REQUEST, "all"),
                get("max_records given twice", p0 + "?max_records=5&max_records=6")
                        .is(400, INVALID_REQUEST, "max_records is given 2 times; give it once"),
                get("max_bytes 0", p0 + "?max_bytes=0").is(400, INVALID_REQUEST, "max_bytes must be between 1 and"),
                get("negative wait_ms", p0 + "?wait_ms=-1").is(400, INVALID_REQUEST, "wait_ms must be between 0 and 30000, was -1"),
                get("clamp not a boolean", p0 + "?clamp=maybe").is(400, INVALID_REQUEST, "maybe"),
                get("unknown key_format", p0 + "?key_format=xml")
                        .is(400, INVALID_REQUEST, "key_format must be json, string, binary, avro, protobuf, json_schema or schema"),
                get("negative partition", "/v1/topics/%s/partitions/-1/records")
                        .is(404, UNKNOWN_PARTITION, "there is no partition -1"),
                get("partition the topic does not have", "/v1/topics/%s/partitions/" + PARTITIONS + "/records")
                        .is(404, UNKNOWN_PARTITION, "there is no partition " + PARTITIONS),
                get("partition not a number", "/v1/topics/%s/partitions/first/records")
                        .is(400, INVALID_REQUEST, "first"),
                get("unknown topic", "/v1/topics/no-such-topic/partitions/0/records")
                        .is(404, UNKNOWN_TOPIC, "Topic 'no-such-topic' does not exist"),
                get("SSE with a cursor that is not one", "/v1/topics/%s/records?cursor=not-a-cursor").accepting(sse)
                        .is(400, INVALID_REQUEST, "Not a stream cursor"),
                get("SSE with a Last-Event-ID that is not a cursor", "/v1/topics/%s/records").withLastEventId("!!")
                        .accepting(sse).is(400, INVALID_REQUEST, "Not a stream cursor: '!!'"),
                get("SSE from an offset beyond the log end", p0 + "?offset=100").accepting(sse)
                        .is(416, OFFSET_OUT_OF_RANGE, "Offset 100 is outside"),
                get("SSE with negative offset", "/v1/topics/%s/records?offset=-2").accepting(sse)
                        .is(400, INVALID_OFFSET, "offset must be >= 0"),
                get("SSE with offset and timestamp", p0 + "?offset=0&timestamp=5").accepting(sse)
                        .is(400, INVALID_REQUEST, "not several"),
                get("SSE of an unknown topic", "/v1/topics/no-such-topic/records").accepting(sse)
                        .is(404, UNKNOWN_TOPIC, "does not exist"),
                get("SSE of a partition the topic does not have", "/v1/topics/%s/partitions/9/records").accepting(sse)
                        .is(404, UNKNOWN_PARTITION, "there is no partition 9"));
    }

    /** Admin requests that are wrong, given an existing topic {@code %s} of {@link #PARTITIONS} partitions. */
    public static List<BadRequest> admin() {
        String topics = "/v1/topics";
        return List.of(
                post("create with a space in the name", topics)
                        .json("{\"name\": \"a b\", \"partition_count\": 1, \"replication_factor\": 1}")
                        .is(400, INVALID_TOPIC_NAME, "contains ' '"),
                post("create named ..", topics).json("{\"name\": \"..\", \"partition_count\": 1, \"replication_factor\": 1}")
                        .is(400, INVALID_TOPIC_NAME, "cannot be '.' or '..'"),
                post("create with a 250-character name", topics)
                        .json("{\"name\": \"" + "n".repeat(250) + "\", \"partition_count\": 1, \"replication_factor\": 1}")
                        .is(400, INVALID_TOPIC_NAME, "the maximum is 249"),
                post("create without a name", topics).json("{\"partition_count\": 1, \"replication_factor\": 1}")
                        .is(400, INVALID_TOPIC_NAME, "required"),
                post("create with 0 partitions", topics)
                        .json("{\"name\": \"zero\", \"partition_count\": 0, \"replication_factor\": 1}")
                        .is(400, INVALID_PARTITIONS, "partition count must be between 1 and"),
                post("create with more replicas than nodes", topics)
                        .json("{\"name\": \"too-many-replicas\", \"partition_count\": 1, \"replication_factor\": 99}")
                        .is(400, INVALID_REPLICATION_FACTOR, "Replication factor 99"),
                post("create with an unknown config", topics)
                        .json("{\"name\": \"unknown-config\", \"partition_count\": 1, \"replication_factor\": 1, "
                                + "\"configs\": [{\"name\": \"retention.msec\", \"value\": \"1000\"}]}")
                        .is(400, INVALID_CONFIG, "Unknown topic config 'retention.msec'"),
                post("create with a config value out of range", topics)
                        .json("{\"name\": \"bad-config\", \"partition_count\": 1, \"replication_factor\": 1, "
                                + "\"configs\": [{\"name\": \"retention.ms\", \"value\": \"soon\"}]}")
                        .is(400, INVALID_CONFIG, "Invalid value 'soon' for topic config 'retention.ms'"),
                post("create a topic that exists", topics)
                        .json("{\"name\": \"%s\", \"partition_count\": 1, \"replication_factor\": 1}")
                        .is(409, TOPIC_ALREADY_EXISTS, "already exists"),
                post("create with malformed JSON", topics).json("{\"name\": ")
                        .is(400, INVALID_REQUEST, "JSON"),
                post("create with partitions as a word", topics)
                        .json("{\"name\": \"words\", \"partition_count\": \"many\", \"replication_factor\": 1}")
                        .is(400, INVALID_REQUEST, "Field 'partition_count' must be an integer"),
                post("create without a body", topics).body(MediaType.APPLICATION_JSON, null)
                        .is(400, INVALID_REQUEST, "needs a body"),
                get("describe an unknown topic", "/v1/topics/no-such-topic")
                        .is(404, UNKNOWN_TOPIC, "Topic 'no-such-topic' does not exist"),
                BadRequest.of("delete an unknown topic", HttpMethod.DELETE, "/v1/topics/no-such-topic")
                        .is(404, UNKNOWN_TOPIC, "does not exist"),
                BadRequest.of("alter an unknown config", HttpMethod.PATCH, "/v1/topics/%s/configs")
                        .json("{\"configs\": [{\"name\": \"retention.msec\", \"value\": \"1\"}]}")
                        .is(400, INVALID_CONFIG, "Unknown topic config 'retention.msec'"),
                BadRequest.of("alter a config to a bad value", HttpMethod.PATCH, "/v1/topics/%s/configs")
                        .json("{\"configs\": [{\"name\": \"min.insync.replicas\", \"value\": \"0\"}]}")
                        .is(400, INVALID_CONFIG, "min.insync.replicas"),
                BadRequest.of("delete an unknown config", HttpMethod.PATCH, "/v1/topics/%s/configs")
                        .json("{\"configs\": [{\"name\": \"retention.msec\", \"value\": null}]}")
                        .is(400, INVALID_CONFIG, "retention.msec"),
                BadRequest.of("alter configs of an unknown topic", HttpMethod.PATCH, "/v1/topics/no-such-topic/configs")
                        .json("{\"configs\": [{\"name\": \"retention.ms\", \"value\": \"1000\"}]}")
                        .is(404, UNKNOWN_TOPIC, "does not exist"),
                post("add partitions without a count", "/v1/topics/%s/partitions").json("{}")
                        .is(400, INVALID_PARTITIONS, "partition_count (the new total) is required"),
                post("shrink partitions", "/v1/topics/%s/partitions").json("{\"partition_count\": 1}")
                        .is(400, INVALID_PARTITIONS, "the new count must be greater"),
                post("add partitions to an unknown topic", "/v1/topics/no-such-topic/partitions")
                        .json("{\"partition_count\": 5}")
                        .is(404, UNKNOWN_TOPIC, "does not exist"),
                BadRequest.of("alter configs with nothing to change", HttpMethod.PATCH, "/v1/topics/%s/configs")
                        .json("{\"configs\": []}").is(400, INVALID_CONFIG, "configs (a list of"),
                BadRequest.of("alter the same config twice", HttpMethod.PATCH, "/v1/topics/%s/configs")
                        .json("{\"configs\": [{\"name\": \"retention.ms\", \"value\": \"1\"}, "
                                + "{\"name\": \"retention.ms\", \"value\": null}]}")
                        .is(400, INVALID_CONFIG, "'retention.ms' is given twice"),
                post("create validate_only a topic that exists", topics)
                        .json("{\"name\": \"%s\", \"partition_count\": 1, \"replication_factor\": 1, "
                                + "\"validate_only\": true}")
                        .is(409, TOPIC_ALREADY_EXISTS, "already exists"),
                get("offsets of an unknown partition", "/v1/topics/%s/partitions/" + PARTITIONS + "/offsets?timestamp=0")
                        .is(404, UNKNOWN_PARTITION, "there is no partition " + PARTITIONS),
                get("describe an unknown partition", "/v1/topics/%s/partitions/" + PARTITIONS)
                        .is(404, UNKNOWN_PARTITION, "there is no partition " + PARTITIONS));
    }

    /**
     * Topic names in admin paths that are not topic names: refused by the gateway itself (an unreachable coordinator
     * would otherwise answer 503), and never pasted into the coordinator's URLs.
     */
    public static List<BadRequest> adminPathNames() {
        return List.of(
                get("describe a name with a space", "/v1/topics/a%20b").is(400, INVALID_TOPIC_NAME, "contains ' '"),
                get("describe a name with a query", "/v1/topics/demo%3Fx=1").is(400, INVALID_TOPIC_NAME, "contains '?'"),
                get("configs of a name with a slash", "/v1/topics/..%2Fnodes/configs")
                        .is(400, INVALID_TOPIC_NAME, "contains '/'"),
                BadRequest.of("delete ..", HttpMethod.DELETE, "/v1/topics/..").is(400, INVALID_TOPIC_NAME, "'..'"),
                BadRequest.of("delete a name with a fragment", HttpMethod.DELETE, "/v1/topics/x%23y")
                        .is(400, INVALID_TOPIC_NAME, "contains '#'"),
                BadRequest.of("alter configs of a name with a slash", HttpMethod.PATCH,
                                "/v1/topics/x%2Fpartitions%2F0%2Fisr/configs")
                        .json("{\"configs\": [{\"name\": \"retention.ms\", \"value\": \"1\"}]}")
                        .is(400, INVALID_TOPIC_NAME, "contains '/'"),
                post("add partitions to a name with a fragment", "/v1/topics/x%23/partitions")
                        .json("{\"partition_count\": 5}")
                        .is(400, INVALID_TOPIC_NAME, "contains '#'"));
    }

    /** A JSON array of records a little over {@link #MAX_REQUEST_SIZE}. */
    private static String oversizeArray() {
        String record = "{\"value\": \"" + "x".repeat(1000) + "\"},";
        StringBuilder body = new StringBuilder("[");
        while (body.length() < MAX_REQUEST_SIZE + 1000) {
            body.append(record);
        }
        body.setLength(body.length() - 1);
        return body.append(']').toString();
    }

    /** UTF-8 of {@code text}, with the byte at {@code rawIndex} (if >= 0) replaced by 0xFF. */
    private static byte[] bytes(String text, int rawIndex) {
        byte[] bytes = text.replace('\u00ff', 'x').getBytes(StandardCharsets.UTF_8);
        if (rawIndex >= 0) {
            bytes[rawIndex] = (byte) 0xFF;
        }
        return bytes;
    }

    /**
     * Consumer-group requests that are wrong whatever the cluster holds: refused before the coordinator or a leader
     * is asked, so they change nothing. The cases that need a real group (unknown member, fenced epoch, an offset
     * beyond the log) run in sluice-it's {@code ConsumerGroupsIT}.
     */
    public static List<BadRequest> groups() {
        String sse = MediaType.TEXT_EVENT_STREAM_VALUE;
        String records = "/v1/groups/g/records";
        String poll = "/v1/groups/g/members/m/poll";
        return List.of(
                get("group stream: an unknown query parameter", records + "?topics=a&max_records=5").accepting(sse)
                        .is(400, INVALID_REQUEST, "Unknown query parameter 'max_records'"),
                get("group stream: no topics", records).accepting(sse)
                        .is(400, INVALID_REQUEST, "Give topics or topic_pattern"),
                get("group stream: topics and a pattern", records + "?topics=a&topic_pattern=a.*").accepting(sse)
                        .is(400, INVALID_REQUEST, "Give topics or topic_pattern"),
                get("group stream: a pattern that is none", records + "?topic_pattern=(").accepting(sse)
                        .is(400, INVALID_REQUEST, "not a regular expression"),
                get("group stream: a bad topic name", records + "?topics=a,b%2Fc").accepting(sse)
                        .is(400, INVALID_TOPIC_NAME, "b/c"),
                get("group stream: a bad group id", "/v1/groups/a%20b/records?topics=a").accepting(sse)
                        .is(400, INVALID_GROUP_ID, "group id"),
                get("group stream: an unknown offset reset", records + "?topics=a&auto_offset_reset=never")
                        .accepting(sse).is(400, INVALID_REQUEST, "auto_offset_reset"),
                get("group stream: a commit interval of 0", records + "?topics=a&auto_commit_interval_ms=0")
                        .accepting(sse).is(400, INVALID_REQUEST, "auto_commit_interval_ms"),
                get("group stream: an isolation level that is none", records + "?topics=a&isolation_level=snapshot")
                        .accepting(sse).is(400, INVALID_REQUEST, "isolation_level must be read_uncommitted or "
                                + "read_committed, was 'snapshot'"),
                get("group stream: auto_commit not a boolean", records + "?topics=a&auto_commit=sometimes")
                        .accepting(sse).is(400, INVALID_REQUEST, "auto_commit must be true or false, was 'sometimes'"),
                get("group stream: a group_instance_id outside the alphabet",
                        records + "?topics=a&group_instance_id=a%2Fb").accepting(sse).is(400, INVALID_REQUEST, "group_instance_id"),
                post("join: malformed JSON", "/v1/groups/g/members").json("{\"topics\": [")
                        .is(400, INVALID_REQUEST, "Malformed JSON"),
                post("join: an unknown field", "/v1/groups/g/members").json("{\"topics\": [\"a\"], \"topic\": \"a\"}")
                        .is(400, INVALID_REQUEST, "topic"),
                post("join: no subscription", "/v1/groups/g/members").json("{}")
                        .is(400, INVALID_REQUEST, "Give topics or topic_pattern"),
                post("join: an empty topic list", "/v1/groups/g/members").json("{\"topics\": []}")
                        .is(400, INVALID_REQUEST, "names no topic"),
                post("join: a session timeout of 0", "/v1/groups/g/members")
                        .json("{\"topics\": [\"a\"], \"session_timeout_ms\": 0}")
                        .is(400, INVALID_REQUEST, "session_timeout_ms"),
                post("join: an empty group_instance_id", "/v1/groups/g/members")
                        .json("{\"topics\": [\"a\"], \"group_instance_id\": \"\"}")
                        .is(400, INVALID_REQUEST, "group_instance_id"),
                post("join: an isolation level that is none", "/v1/groups/g/members")
                        .json("{\"topics\": [\"a\"], \"isolation_level\": \"serializable\"}")
                        .is(400, INVALID_REQUEST, "isolation_level must be read_uncommitted or read_committed"),
                post("poll: no cursor", poll).json("{}").is(400, INVALID_REQUEST, "needs the cursor"),
                post("poll: a cursor that is none", poll).json("{\"cursor\": \"not-a-cursor!\"}")
                        .is(400, INVALID_REQUEST, "Not a group member cursor"),
                post("poll: a negative wait", poll).json("{\"cursor\": \"AQ\", \"wait_ms\": -1}")
                        .is(400, INVALID_REQUEST, "wait_ms"),
                post("poll: max_bytes above a page read's maximum", poll)
                        .json("{\"cursor\": \"AQ\", \"max_bytes\": 67108865}")
                        .is(400, INVALID_REQUEST, "max_bytes must be between 1 and 67108864, was 67108865"),
                post("poll: max_records 0", poll).json("{\"cursor\": \"AQ\", \"max_records\": 0}")
                        .is(400, INVALID_REQUEST, "max_records"),
                post("poll: an unknown format", poll).json("{\"cursor\": \"AQ\", \"format\": \"xml\"}")
                        .is(400, INVALID_REQUEST, "xml"),
                BadRequest.of("leave: a cursor that is none", HttpMethod.DELETE, "/v1/groups/g/members/m?cursor=zz!")
                        .is(400, INVALID_REQUEST, "cursor"),
                post("commit: nothing to commit", "/v1/groups/g/offsets").json("{}")
                        .is(400, INVALID_REQUEST, "Give a cursor or offsets"),
                post("commit: a cursor and offsets", "/v1/groups/g/offsets")
                        .json("{\"cursor\": \"AQ\", \"offsets\": []}").is(400, INVALID_REQUEST, "not both"),
                post("commit: a member without its epoch", "/v1/groups/g/offsets")
                        .json("{\"member_id\": \"m\", \"offsets\": [{\"topic\": \"a\", \"partition\": 0, \"offset\": 1}]}")
                        .is(400, INVALID_REQUEST, "member_epoch"),
                post("commit: a negative offset", "/v1/groups/g/offsets")
                        .json("{\"offsets\": [{\"topic\": \"a\", \"partition\": 0, \"offset\": -1}]}")
                        .is(400, INVALID_OFFSET, "offset must be >= 0"),
                post("commit: an offset without a partition", "/v1/groups/g/offsets")
                        .json("{\"offsets\": [{\"topic\": \"a\", \"offset\": 1}]}")
                        .is(400, INVALID_REQUEST, "topic, partition and offset"),
                post("reset: no target", "/v1/groups/g/offsets/reset").json("{\"topic\": \"a\"}")
                        .is(400, INVALID_REQUEST, "to is one of"),
                post("reset: an unknown target", "/v1/groups/g/offsets/reset")
                        .json("{\"topic\": \"a\", \"to\": \"yesterday\"}").is(400, INVALID_REQUEST, "yesterday"),
                post("reset: to an offset without one", "/v1/groups/g/offsets/reset")
                        .json("{\"topic\": \"a\", \"to\": \"offset\"}").is(400, INVALID_REQUEST, "offset is required"),
                post("reset: a shift with an offset", "/v1/groups/g/offsets/reset")
                        .json("{\"topic\": \"a\", \"to\": \"shift\", \"shift_by\": 1, \"offset\": 3}")
                        .is(400, INVALID_REQUEST, "offset is only for"),
                post("reset: a time that is none", "/v1/groups/g/offsets/reset")
                        .json("{\"topic\": \"a\", \"to\": \"timestamp\", \"timestamp\": \"soon\"}")
                        .is(400, INVALID_TIMESTAMP, "soon"),
                post("reset: an unknown field", "/v1/groups/g/offsets/reset")
                        .json("{\"topic\": \"a\", \"to\": \"earliest\", \"dryrun\": true}")
                        .is(400, INVALID_REQUEST, "dryrun"),
                get("describe: a bad group id", "/v1/groups/..").is(400, INVALID_GROUP_ID, "group id"),
                BadRequest.of("delete offsets: a bad topic name", HttpMethod.DELETE, "/v1/groups/g/topics/a%20b/offsets")
                        .is(400, INVALID_TOPIC_NAME, "a b"),
                get("list groups: an unknown query parameter", "/v1/groups?state=EMPTY")
                        .is(400, INVALID_REQUEST, "Unknown query parameter 'state'"));
    }
}
