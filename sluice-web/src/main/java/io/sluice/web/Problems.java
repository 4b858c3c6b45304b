package io.sluice.web;

import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import java.net.URI;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/** RFC 9457 problem bodies for {@link ErrorCode}s, with the {@code error_code} and {@code retriable} members. */
public final class Problems {

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

    public static ResponseEntity<ProblemDetail> response(SluiceException e) {
        return ResponseEntity.status(e.errorCode().httpStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(of(e));
    }

    public static ResponseEntity<ProblemDetail> response(ErrorCode code, String detail) {
        return ResponseEntity.status(code.httpStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(of(code, detail));
    }
}
