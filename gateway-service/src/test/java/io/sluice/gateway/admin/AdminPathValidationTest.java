package io.sluice.gateway.admin;

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
 * A topic name in an admin path is checked by the gateway before it builds the coordinator's URL from it: a name
 * with '?', '#', '/' or a space, or '..', is INVALID_TOPIC_NAME (400) and no coordinator call is made (this gateway's
 * coordinator is unreachable, which would be a 503).
 */
@GatewayWebTest
class AdminPathValidationTest {

    static final List<BadRequest> NAMES = BadRequests.adminPathNames();

    @Autowired
    WebTestClient client;

    @LocalServerPort
    int port;

    @ParameterizedTest(name = "{0}")
    @FieldSource("NAMES")
    void topicNameInAPathIsValidatedBeforeTheCoordinatorIsCalled(BadRequest request) {
        request.sendAndExpectProblem(client, "http://127.0.0.1:" + port, "unused");
    }
}
