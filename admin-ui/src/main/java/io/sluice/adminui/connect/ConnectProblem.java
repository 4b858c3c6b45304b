package io.sluice.adminui.connect;

/**
 * A Connect worker refused a call, or could not be reached: Connect's error as it answered it ({@code {"error_code":
 * 409, "message": "..."}}), or one the client made for a transport failure. Pages show {@link #detail} next to what
 * caused it, or in place of a page that could not be built; the accessors are those the error page reads.
 */
final class ConnectProblem extends RuntimeException {

    private final int status;
    private final String errorCode;
    private final String detail;

    ConnectProblem(int status, String errorCode, String detail) {
        super(errorCode + ": " + detail);
        this.status = status;
        this.errorCode = errorCode;
        this.detail = detail;
    }

    static ConnectProblem unreachable(String cluster, String url, Throwable cause) {
        return new ConnectProblem(0, "CONNECT_UNREACHABLE", "Connect cluster " + cluster + " at " + url
                + " did not answer: " + cause.getMessage());
    }

    static ConnectProblem unknownCluster(String cluster) {
        return new ConnectProblem(404, "UNKNOWN_CONNECT_CLUSTER", "No Connect cluster named " + cluster
                + " is configured (sluice.admin-ui.connect.clusters)");
    }

    /** The HTTP status Connect answered, 0 when it did not answer. */
    public int status() {
        return status;
    }

    /** Connect's {@code error_code} (its HTTP status, as a string), or the client's code for a transport failure. */
    public String errorCode() {
        return errorCode;
    }

    public String title() {
        return status == 0 ? "Connect unreachable" : "Kafka Connect answered " + status;
    }

    public String detail() {
        return detail;
    }

    /** The detail with its code, as a form shows it. */
    public String message() {
        return detail + " (" + errorCode + ")";
    }
}
