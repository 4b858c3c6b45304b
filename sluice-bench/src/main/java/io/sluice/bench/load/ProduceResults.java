package io.sluice.bench.load;

import java.util.Map;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads produce answers without building trees: {@code {"results":[{partition, offset, timestamp} | {error_code,
 * detail, retriable}, …]}} (200, 207, or an error status with a problem body that may carry the results), or one
 * NDJSON result line. A record is acknowledged when its result has no {@code error_code} (with acks=0 that means the
 * gateway accepted it, not that a partition wrote it).
 */
final class ProduceResults {

    private static final JsonMapper JSON = JsonMapper.shared();

    private ProduceResults() {
    }

    /** How the records of one request ended: acknowledged, and failed by cause. */
    record Counted(int acked, Map<String, Integer> failed, String firstMessage) {
        int failedTotal() {
            return failed.values().stream().mapToInt(Integer::intValue).sum();
        }

        void addTo(ErrorCounts errors) {
            failed.forEach((code, count) -> errors.add(code, count, firstMessage));
        }
    }

    /** The outcome of {@code expected} records answered with {@code status} and {@code body}. */
    static Counted ofResponse(int status, byte[] body, int expected) {
        Map<String, Integer> failed = new TreeMap<>();
        int acked = 0;
        int results = -1;
        String topCode = null;
        String message = null;
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return allFailed("HTTP_" + status, expected, "status " + status + ", not a JSON object");
            }
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("results") && value == JsonToken.START_ARRAY) {
                    results = 0;
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        results++;
                        String[] error = result(p);
                        if (error == null) {
                            acked++;
                        } else {
                            failed.merge(error[0], 1, Integer::sum);
                            message = message == null ? error[1] : message;
                        }
                    }
                } else if (name.equals("error_code") && value == JsonToken.VALUE_STRING) {
                    topCode = p.getString();
                } else if (name.equals("detail") && value == JsonToken.VALUE_STRING) {
                    message = p.getString();
                } else {
                    p.skipChildren();
                }
            }
        } catch (JacksonException e) {
            return allFailed("HTTP_" + status, expected, "status " + status + ", unreadable body: " + e.getOriginalMessage());
        }
        if (results < 0) {
            String code = topCode != null ? topCode : status / 100 == 2 ? "NO_RESULTS" : "HTTP_" + status;
            return allFailed(code, expected, message);
        }
        if (results < expected) {
            failed.merge("MISSING_RESULT", expected - results, Integer::sum);
        }
        return new Counted(acked, failed, message);
    }

    /** The error code of one NDJSON result line, or null when the record was acknowledged. */
    static String[] ofLine(String line) {
        try (JsonParser p = JSON.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return new String[] {"UNREADABLE_RESULT", line};
            }
            return result(p);
        } catch (JacksonException e) {
            return new String[] {"UNREADABLE_RESULT", line};
        }
    }

    /** Reads one result object (the parser is on its START_OBJECT); null or {code, detail}. */
    private static String[] result(JsonParser p) {
        String code = null;
        String message = null;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (name.equals("error_code") && value == JsonToken.VALUE_STRING) {
                code = p.getString();
            } else if (name.equals("detail") && value == JsonToken.VALUE_STRING) {
                message = p.getString();
            } else {
                p.skipChildren();
            }
        }
        return code == null ? null : new String[] {code, message};
    }

    private static Counted allFailed(String code, int expected, String message) {
        return new Counted(0, Map.of(code, expected), message);
    }
}
