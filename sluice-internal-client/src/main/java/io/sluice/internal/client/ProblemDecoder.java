package io.sluice.internal.client;

import io.sluice.internal.Problem;
import io.sluice.internal.SluiceJson;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import tools.jackson.core.JacksonException;

/**
 * The one reader of error answers from Sluice services: an RFC 9457 problem body becomes a {@link SluiceException}
 * with the peer's error code (a code this build does not know is UNKNOWN_SERVER_ERROR); any other error answer is
 * UNKNOWN_SERVER_ERROR naming the status.
 */
final class ProblemDecoder {

    private ProblemDecoder() {
    }

    static SluiceException decode(Target target, int status, byte[] body) {
        if (body.length > 0) {
            try {
                Problem problem = SluiceJson.mapper().readValue(body, Problem.class);
                if (problem.errorCode() != null || problem.detail() != null) {
                    return problem.toException();
                }
            } catch (JacksonException e) {
                // not a problem body: described below
            }
        }
        return ErrorCode.UNKNOWN_SERVER_ERROR.exception(target + " answered HTTP " + status + " without a problem body");
    }
}
