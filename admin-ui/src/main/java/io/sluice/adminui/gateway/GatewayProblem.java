package io.sluice.adminui.gateway;

/**
 * The gateway refused a call, or could not be reached: an RFC 9457 problem as the API answered it, or one the client
 * made for a transport failure. Pages show {@link #detail} next to what caused it.
 *
 * @param status    the HTTP status (0 when the gateway did not answer)
 * @param errorCode the API's stable error code, e.g. {@code INVALID_PARTITIONS}
 * @param title     the problem's title
 * @param detail    the problem's text for people
 */
public final class GatewayProblem extends RuntimeException {

    private final int status;
    private final String errorCode;
    private final String title;
    private final String detail;

    public GatewayProblem(int status, String errorCode, String title, String detail) {
        super(errorCode + ": " + detail);
        this.status = status;
        this.errorCode = errorCode;
        this.title = title;
        this.detail = detail;
    }

    public static GatewayProblem unreachable(String gateway, Throwable cause) {
        return new GatewayProblem(0, "GATEWAY_UNREACHABLE", "Gateway unreachable",
                "The gateway at " + gateway + " did not answer: " + cause.getMessage());
    }

    public int status() {
        return status;
    }

    public String errorCode() {
        return errorCode;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return detail;
    }
}
