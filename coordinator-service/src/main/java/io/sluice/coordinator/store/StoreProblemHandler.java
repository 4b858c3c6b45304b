package io.sluice.coordinator.store;

import io.sluice.protocol.ErrorCode;
import io.sluice.web.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Redis failures as retriable problems, ahead of the shared handler (which answers anything it does not know with an
 * opaque, non-retriable 500): a command that did not answer within its timeout is REQUEST_TIMED_OUT (504, its outcome
 * unknown: a script may have run), and a lost connection to Redis is COORDINATOR_NOT_AVAILABLE (503), which the
 * internal clients retry and fail over on.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class StoreProblemHandler {

    private static final Logger LOG = LoggerFactory.getLogger(StoreProblemHandler.class);

    @ExceptionHandler(QueryTimeoutException.class)
    ResponseEntity<ProblemDetail> timedOut(QueryTimeoutException e) {
        LOG.warn("A Redis command timed out: {}", e.getMessage());
        return Problems.response(ErrorCode.REQUEST_TIMED_OUT,
                "The coordinator's store did not answer in time; the request's outcome is unknown");
    }

    @ExceptionHandler(DataAccessResourceFailureException.class)
    ResponseEntity<ProblemDetail> unreachable(DataAccessResourceFailureException e) {
        LOG.warn("Redis is unreachable: {}", e.getMessage());
        return Problems.response(ErrorCode.COORDINATOR_NOT_AVAILABLE,
                "The coordinator cannot reach its store right now");
    }
}
