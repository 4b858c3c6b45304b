package io.sluice.coordinator.web;

import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.codec.CodecException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebInputException;

/**
 * The one place errors become HTTP: every {@link SluiceException} is an RFC 9457 problem carrying its stable
 * {@code error_code} and {@code retriable}; unreadable requests are INVALID_REQUEST; anything unexpected is a 500
 * without internals (logged here).
 */
@RestControllerAdvice
public class ProblemHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemHandler.class);

    @ExceptionHandler(SluiceException.class)
    ResponseEntity<ProblemDetail> sluice(SluiceException e) {
        return problem(e.errorCode(), e.getMessage());
    }

    @ExceptionHandler({ServerWebInputException.class, CodecException.class})
    ResponseEntity<ProblemDetail> unreadable(Exception e) {
        String detail = e instanceof ServerWebInputException input && input.getReason() != null
                ? input.getReason() : "The request body is not valid JSON for this operation";
        Throwable cause = e.getCause();
        while (cause != null) {
            if (cause.getMessage() != null) {
                detail = detail + ": " + cause.getMessage().lines().findFirst().orElse("");
                break;
            }
            cause = cause.getCause();
        }
        return problem(ErrorCode.INVALID_REQUEST, detail);
    }

    @ExceptionHandler(ResponseStatusException.class)
    ResponseEntity<ProblemDetail> status(ResponseStatusException e) {
        ProblemDetail body = e.getBody();
        return ResponseEntity.status(e.getStatusCode()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        LOG.error("Unexpected error", e);
        return problem(ErrorCode.UNKNOWN_SERVER_ERROR, "An unexpected error occurred");
    }

    public static ResponseEntity<ProblemDetail> problem(ErrorCode code, String detail) {
        ProblemDetail body = problemDetail(code, detail);
        return ResponseEntity.status(code.httpStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }

    public static ProblemDetail problemDetail(ErrorCode code, String detail) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.valueOf(code.httpStatus()), detail);
        body.setType(URI.create("https://sluice.io/problems/" + code.name().toLowerCase().replace('_', '-')));
        body.setTitle(code.description());
        body.setProperty("error_code", code.name());
        body.setProperty("retriable", code.retriable());
        return body;
    }
}
