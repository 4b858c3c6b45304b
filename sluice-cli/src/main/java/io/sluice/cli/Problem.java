package io.sluice.cli;

import tools.jackson.databind.JsonNode;

/**
 * An RFC 9457 problem as the gateway answers it ({@code application/problem+json}): the HTTP status, the stable
 * {@code error_code}, whether it is retriable and a detail for people. {@link #line()} is how the CLI prints it.
 *
 * @param body the whole answer, for members some commands read (a produce's {@code results})
 */
record Problem(int status, String errorCode, String title, String detail, boolean retriable, JsonNode body) {

    /** A problem from the gateway's answer; an answer that is not a problem keeps its status and a piece of its text. */
    static Problem of(int status, JsonNode body, String text) {
        if (body != null && body.isObject() && body.has("error_code")) {
            // The schema registry answers Confluent's errors: a numeric error_code and a message.
            return new Problem(status, body.path("error_code").asString(""), body.path("title").asString(""),
                    body.path("detail").asString(body.path("message").asString("")),
                    body.path("retriable").asBoolean(status == 429 || status >= 502 && status <= 504), body);
        }
        String excerpt = text == null ? "" : text.strip();
        if (excerpt.length() > 200) {
            excerpt = excerpt.substring(0, 200) + "...";
        }
        return new Problem(status, "HTTP_" + status, "", excerpt.isEmpty() ? "no problem document in the answer"
                : excerpt, status == 429 || status >= 502 && status <= 504, body);
    }

    /** One line: {@code UNKNOWN_TOPIC (404): Topic 'x' does not exist}, and whether a retry may help. */
    String line() {
        String text = detail.isBlank() ? title : detail;
        return errorCode + " (" + status + (retriable ? ", retriable" : "") + "): " + text;
    }

    int exitCode() {
        if (retriable) {
            return ExitCode.RETRIABLE;
        }
        return status == 404 ? ExitCode.NOT_FOUND : ExitCode.REFUSED;
    }
}
