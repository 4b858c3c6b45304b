package io.sluice.launcher;

/** What a service's readiness endpoint ({@code /actuator/health/readiness}) said. */
public enum Readiness {
    /** HTTP 200 with status UP. */
    READY,
    /** It answered, but not with UP (starting, or out of service). */
    NOT_READY,
    /** No answer within the probe timeout: not listening, hung, or paused (SIGSTOP). */
    NO_ANSWER
}
