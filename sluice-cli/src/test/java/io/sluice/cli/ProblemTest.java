package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProblemTest {

    @Test
    void aProblemIsOneLineWithItsCodeStatusAndDetail() {
        Problem problem = Problem.of(404, Json.MAPPER.readTree("""
                {"type":"https://sluice.io/problems/unknown-topic","title":"Unknown topic","status":404,
                 "detail":"Topic 'nope' does not exist","error_code":"UNKNOWN_TOPIC","retriable":false}"""), "");

        assertThat(problem.line()).isEqualTo("UNKNOWN_TOPIC (404): Topic 'nope' does not exist");
        assertThat(problem.exitCode()).isEqualTo(ExitCode.NOT_FOUND);
    }

    @Test
    void aRetriableProblemSaysSoAndExitsWithTheRetriableCode() {
        Problem problem = Problem.of(503, Json.MAPPER.readTree("""
                {"title":"No leader","status":503,"detail":"","error_code":"LEADER_NOT_AVAILABLE","retriable":true}"""),
                "");

        assertThat(problem.line()).isEqualTo("LEADER_NOT_AVAILABLE (503, retriable): No leader");
        assertThat(problem.exitCode()).isEqualTo(ExitCode.RETRIABLE);
    }

    @Test
    void anAnswerThatIsNotAProblemKeepsItsStatusAndText() {
        Problem problem = Problem.of(502, null, "<html>Bad Gateway</html>");

        assertThat(problem.line()).isEqualTo("HTTP_502 (502, retriable): <html>Bad Gateway</html>");
        assertThat(Problem.of(400, null, "").exitCode()).isEqualTo(ExitCode.REFUSED);
    }
}
