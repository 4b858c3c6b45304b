package io.sluice.gateway;

import io.sluice.gateway.testing.BadRequest;
import io.sluice.gateway.testing.BadRequests;
import io.sluice.gateway.testing.GatewayWebTest;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Consumer-group routes read their input strictly before they ask anyone (the coordinator here is unreachable, which
 * would answer 503): a malformed body, an unknown field or query parameter, a bad group id, topic, cursor or reset
 * target is a 400 naming the fault.
 */
@GatewayWebTest
class GroupInputTest {

    static final List<BadRequest> REQUESTS = BadRequests.groups();

    @Autowired
    WebTestClient client;

    @LocalServerPort
    int port;

    @ParameterizedTest(name = "{0}")
    @FieldSource("REQUESTS")
    void groupInputOutsideTheContractIsAClientErrorNamingTheFault(BadRequest request) {
        request.sendAndExpectProblem(client, "http://127.0.0.1:" + port, "any-topic");
    }
}
