package io.sluice.web;

import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/**
 * RFC 9457 problem bodies for {@link ErrorCode}s, with the {@code error_code} and {@code retriable} members. Every
 * "try again later" answer (503, and 429) carries {@code Retry-After}, so a client or proxy that knows HTTP and not
 * Sluice backs off as asked.
 */
public final class Problems {

    /** Seconds a client should wait before trying a 503 or 429 again: leader elections take about a second. */
    public static final String RETRY_AFTER_SECONDS = "1";

    /** The detail of every 500: what went wrong stays in the log, not in the answer. */
    public static final String UNEXPECTED = "An unexpected error occurred";

    private Problems() {
    }

    public static ProblemDetail of(ErrorCode code, String detail) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.valueOf(code.httpStatus()), detail);
        body.setType(URI.create("https://sluice.io/problems/" + code.name().toLowerCase(Locale.ROOT).replace('_', '-')));
        body.setTitle(code.description());
        body.setProperty("error_code", code.name());
        body.setProperty("retriable", code.retriable());
        return body;
    }

    /** The exception's problem, with its {@link SluiceException#details() details} as further members. */
    public static ProblemDetail of(SluiceException e) {
        ProblemDetail body = of(e.errorCode(), e.getMessage());
        e.details().forEach(body::setProperty);
        return body;
    }

    /**
     * The problem's members as RFC 9457 lays them out, its properties beside the standard ones: for writers that
     * serialize a map rather than rely on the mapper knowing {@link ProblemDetail}.
     */
    public static Map<String, Object> members(ProblemDetail problem) {
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("type", problem.getType().toString());
        members.put("title", problem.getTitle());
        members.put("status", problem.getStatus());
        members.put("detail", problem.getDetail());
        if (problem.getProperties() != null) {
            members.putAll(problem.getProperties());
        }
        return members;
    }

    public static ResponseEntity<ProblemDetail> response(SluiceException e) {
        return response(e.errorCode(), of(e));
    }

    public static ResponseEntity<ProblemDetail> response(ErrorCode code, String detail) {
        return response(code, of(code, detail));
    }

    /** {@code body} answered with {@code code}'s status, and Retry-After when that status asks the client to wait. */
    public static <T> ResponseEntity<T> response(ErrorCode code, T body) {
        HttpHeaders headers = headers(code.httpStatus());
        if (code == ErrorCode.IDEMPOTENCY_KEY_IN_USE) {
            headers.set(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS); // the one retriable 409
        }
        return ResponseEntity.status(code.httpStatus()).headers(headers)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }

    /** The headers an error answer of {@code status} carries: Retry-After for 503 and 429. */
    public static HttpHeaders headers(int status) {
        HttpHeaders headers = new HttpHeaders();
        if (status == HttpStatus.SERVICE_UNAVAILABLE.value() || status == HttpStatus.TOO_MANY_REQUESTS.value()) {
            headers.set(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
        }
        return headers;
    }
}
