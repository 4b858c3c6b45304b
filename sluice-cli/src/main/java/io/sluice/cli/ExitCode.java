package io.sluice.cli;

/**
 * What {@code sluice}'s exit status means, for scripts. The lifecycle commands keep theirs (0, 1, 2, and 3 from
 * {@code status} when nothing runs); the client commands add the kinds of failure a script tells apart: nothing
 * there, try again, no answer at all.
 */
final class ExitCode {

    /** Done. */
    static final int OK = 0;
    /** The gateway refused the call (a problem that retrying will not change), or some records of a produce failed. */
    static final int REFUSED = 1;
    /** The command line itself is wrong (picocli's own code for usage errors). */
    static final int USAGE = 2;
    /** What the call names does not exist: a topic, partition, group (404). */
    static final int NOT_FOUND = 4;
    /** The gateway answered a retriable problem (503, 504, 429, a key in use): the same call may succeed later. */
    static final int RETRIABLE = 5;
    /** No answer: the gateway could not be reached, or TLS failed. */
    static final int UNREACHABLE = 6;

    private ExitCode() {
    }
}
