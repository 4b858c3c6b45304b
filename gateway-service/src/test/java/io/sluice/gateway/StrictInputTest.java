package io.sluice.gateway;

import io.sluice.gateway.testing.BadRequest;
import io.sluice.gateway.testing.BadRequests;
import io.sluice.gateway.testing.GatewayWebTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The gateway reads input one way on every route, before it looks anything up (its coordinator here is unreachable,
 * which would answer 503): an unknown query parameter or JSON field is a 400 naming it and what the route takes, a
 * number outside its range names the range, a format or a time that is none is refused.
 */
@GatewayWebTest
class StrictInputTest {

    static final List<BadRequest> REQUESTS = BadRequests.strictInput();

    @Autowired
    WebTestClient client;

    @LocalServerPort
    int port;

    @ParameterizedTest(name = "{0}")
    @FieldSource("REQUESTS")
    void inputOutsideTheContractIsAClientErrorNamingTheFault(BadRequest request) {
        request.sendAndExpectProblem(client, "http://127.0.0.1:" + port, "any-topic");
    }

    @Test
    void theActuatorKeepsItsOwnQueryParameters() {
        client.get().uri("/actuator/metrics/jvm.memory.used?tag=area:heap").exchange().expectStatus().isOk();
    }
}
