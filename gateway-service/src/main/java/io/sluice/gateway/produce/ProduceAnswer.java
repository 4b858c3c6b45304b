package io.sluice.gateway.produce;

import java.util.List;

/**
 * What a JSON produce answers: one result per record, in the request's order. The body of a 200 (all written) and a
 * 207 (some failed), and the response an {@code Idempotency-Key} stores for its retries.
 */
record ProduceAnswer(List<RecordResult> results) {

    long failed() {
        return results.stream().filter(result -> !result.ok()).count();
    }
}
