package io.sluice.cli;

/** A call to the gateway that failed: it answered a {@link Problem}, or it could not be reached at all. */
final class GatewayException extends RuntimeException {

    private final Problem problem;

    private GatewayException(String message, Problem problem, Throwable cause) {
        super(message, cause);
        this.problem = problem;
    }

    static GatewayException answered(Problem problem) {
        return new GatewayException(problem.line(), problem, null);
    }

    static GatewayException unreachable(String what, Throwable cause) {
        return new GatewayException(what, null, cause);
    }

    /** The problem the gateway answered; null when there was no answer. */
    Problem problem() {
        return problem;
    }

    int exitCode() {
        return problem == null ? ExitCode.UNREACHABLE : problem.exitCode();
    }
}
