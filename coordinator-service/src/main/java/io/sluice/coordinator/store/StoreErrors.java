package io.sluice.coordinator.store;

import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisLoadingException;
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
 * Data Redis leaves the I/O error uncategorized, and Lettuce's reactive commands raise it as it is), is
 * REQUEST_TIMED_OUT (504, its outcome unknown: a script may have run), and a lost connection to Redis is
 * COORDINATOR_NOT_AVAILABLE (503), which the internal clients retry and fail over on; so is a command Redis refused
 * without running it, while it loads its data after a restart ({@code LOADING}) or while a script runs too long
 * ({@code BUSY}). Answered 500 UNKNOWN_SERVER_ERROR, any of these reaches a Kafka consumer's group heartbeat as an
 * error Kafka's consumer treats as fatal: it reads nothing more (seen in ChaosIT with a Kafka consumer).
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
        if (error instanceof IOException
                || error instanceof RedisSystemException wrapped && wrapped.getCause() instanceof IOException) {
            LOG.warn("The connection to Redis broke during a command: {}", error.getMessage());
            return ErrorCode.REQUEST_TIMED_OUT.exception("The connection to the coordinator's store broke during a "
                    + "command; the request's outcome is unknown");
        }
        Throwable refusal = error instanceof RedisSystemException e ? e.getCause() : error;
        if (refusal instanceof RedisLoadingException || refusal instanceof RedisBusyException) {
            LOG.warn("Redis refused a command: {}", refusal.getMessage());
            return ErrorCode.COORDINATOR_NOT_AVAILABLE.exception("The coordinator's store is not taking commands right "
                    + "now (" + refusal.getMessage() + "); nothing was done");
        }
        if (error instanceof DataAccessResourceFailureException e) {
            LOG.warn("Redis is unreachable: {}", e.getMessage());
            return ErrorCode.COORDINATOR_NOT_AVAILABLE.exception("The coordinator cannot reach its store right now");
        }
        return null;
    }
}
