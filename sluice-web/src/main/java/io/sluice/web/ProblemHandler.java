package io.sluice.web;

import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.codec.CodecException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebInputException;
import tools.jackson.core.JacksonException;

/**
 * The one place a service's errors become HTTP: every {@link SluiceException} is a problem carrying its stable
 * {@code error_code} and {@code retriable}; unreadable requests are INVALID_REQUEST (a JSON body's fault named by
 * its field: an unknown field, a value of the wrong type, malformed JSON with line and column);
 * bodies over the size limit are REQUEST_TOO_LARGE; a service's own exceptions are what its {@link ErrorTranslator}s
 * say they are; anything else is a 500 without internals, logged here.
 */
@RestControllerAdvice
public class ProblemHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemHandler.class);
    private static final String NO_BODY = "No request body";

    private final List<ErrorTranslator> translators;

    /** With the service's {@link ErrorTranslator}s, in order. */
    @Autowired
    public ProblemHandler(ObjectProvider<ErrorTranslator> translators) {
        this(translators.orderedStream().toList());
    }

    public ProblemHandler(List<ErrorTranslator> translators) {
        this.translators = List.copyOf(translators);
    }

    /** Without translators: every error that is not a Sluice error or Spring's is an opaque 500. */
    public ProblemHandler() {
        this(List.of());
    }

    /**
     * {@code error} answered as the handler methods below answer it where it is raised, for the functional routes,
     * which no controller advice reaches: one rendering of every error, whichever way a request was routed.
     */
    public ResponseEntity<ProblemDetail> problem(Throwable error) {
        return switch (error) {
            case SluiceException e -> sluice(e);
            case ServerWebInputException e -> unreadable(e);
            case CodecException e -> unreadable(e);
            case ResponseStatusException e -> status(e);
            case Exception e -> unexpected(e);
            default -> unexpected(new IllegalStateException(error));
        };
    }

    @ExceptionHandler(SluiceException.class)
    ResponseEntity<ProblemDetail> sluice(SluiceException e) {
        return Problems.response(e);
    }

    @ExceptionHandler({ServerWebInputException.class, CodecException.class})
    ResponseEntity<ProblemDetail> unreadable(Exception e) {
        if (causedBy(e, DataBufferLimitException.class)) {
            return Problems.response(ErrorCode.REQUEST_TOO_LARGE, "The request body is larger than this service accepts");
        }
        String reason = e instanceof ServerWebInputException input ? input.getReason() : null;
        if (NO_BODY.equals(reason)) {
            // Spring's cause here names the handler method's signature: nothing a client can use.
            return Problems.response(ErrorCode.INVALID_REQUEST, "The request needs a body");
        }
        JacksonException json = cause(e, JacksonException.class);
        if (json != null) {
            return Problems.response(ErrorCode.INVALID_REQUEST, JsonInputProblems.describe(json));
        }
        String detail = reason != null ? reason : "The request body cannot be read";
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null) {
                detail = detail + ": " + cause.getMessage().lines().findFirst().orElse("");
                break;
            }
        }
        return Problems.response(ErrorCode.INVALID_REQUEST, detail);
    }

    /**
     * Spring's own refusals (no such route 404, method 405, not acceptable 406, payload too large 413, media type
     * 415) keep their status and detail and get an {@code error_code} and {@code retriable} like every other problem.
     */
    @ExceptionHandler(ResponseStatusException.class)
    ResponseEntity<ProblemDetail> status(ResponseStatusException e) {
        ErrorCode code = switch (e.getStatusCode().value()) {
            case 413 -> ErrorCode.REQUEST_TOO_LARGE;
            case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            default -> e.getStatusCode().is4xxClientError() ? ErrorCode.INVALID_REQUEST : ErrorCode.UNKNOWN_SERVER_ERROR;
        };
        ProblemDetail body = e.getBody();
        body.setProperty("error_code", code.name());
        body.setProperty("retriable", code.retriable());
        return ResponseEntity.status(e.getStatusCode()).headers(e.getHeaders())
                .headers(Problems.headers(e.getStatusCode().value()))
                .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        for (ErrorTranslator translator : translators) {
            SluiceException translated = translator.translate(e);
            if (translated != null) {
                return sluice(translated);
            }
        }
        LOG.error("Unexpected error", e);
        return Problems.response(ErrorCode.UNKNOWN_SERVER_ERROR, Problems.UNEXPECTED);
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        return cause(e, type) != null;
    }

    private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
