package io.sluice.internal.client;

import io.netty.handler.codec.http.HttpMethod;
import java.time.Duration;

/**
 * One internal request: to whom, over which pool, what, the time limit of one attempt, and which failures may be
 * retried. {@code body} is null for a call without one.
 */
record Call(Target target, Purpose purpose, HttpMethod method, String path, String contentType, byte[] body,
            Duration timeLimit, RetryPolicy retry) {

    static final String JSON = "application/json";

    static Call get(Target target, Purpose purpose, String path, Duration timeLimit) {
        return new Call(target, purpose, HttpMethod.GET, path, null, null, timeLimit, RetryPolicy.IDEMPOTENT);
    }

    Call to(Target other, String otherPath) {
        return new Call(other, purpose, method, otherPath, contentType, body, timeLimit, retry);
    }
}
