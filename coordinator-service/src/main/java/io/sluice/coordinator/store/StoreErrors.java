package io.sluice.coordinator.store;

import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.web.ErrorTranslator;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.stereotype.Component;

/**
 * Redis failures as retriable errors, which the shared handler would otherwise answer as an opaque, non-retriable
 * 500: a command that did not answer within its timeout, or whose connection broke while it ran (Redis killed: Spring
 * Data Redis leaves the I/O error uncategorized), is REQUEST_TIMED_OUT (504, its outcome unknown: a script may have
 * run), and a lost connection to Redis is COORDINATOR_NOT_AVAILABLE (503), which the internal clients retry and fail
 * over on.
 */
@Component
class StoreErrors implements ErrorTranslator {

    private static final Logger LOG = LoggerFactory.getLogger(StoreErrors.class);

    @Override
    public SluiceException translate(Throwable error) {
        if (error instanceof QueryTimeoutException e) {
            LOG.warn("A Redis command timed out: {}", e.getMessage());
            return ErrorCode.REQUEST_TIMED_OUT.exception(
                    "The coordinator's store did not answer in time; the request's outcome is unknown");
        }
        if (error instanceof RedisSystemException e && e.getCause() instanceof IOException) {
            LOG.warn("The connection to Redis broke during a command: {}", e.getMessage());
            return ErrorCode.REQUEST_TIMED_OUT.exception("The connection to the coordinator's store broke during a "
                    + "command; the request's outcome is unknown");
        }
        if (error instanceof DataAccessResourceFailureException e) {
            LOG.warn("Redis is unreachable: {}", e.getMessage());
            return ErrorCode.COORDINATOR_NOT_AVAILABLE.exception("The coordinator cannot reach its store right now");
        }
        return null;
    }
}
