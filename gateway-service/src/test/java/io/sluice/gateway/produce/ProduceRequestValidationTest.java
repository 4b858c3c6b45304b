package io.sluice.gateway.produce;

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
 * Produce requests a client got wrong are refused by the gateway itself, before it looks for the topic: each gets a
 * 4xx problem with its error code and a detail naming the fault (line and column for malformed JSON, the record's
 * index, the parameter), never a 500. Oversize bodies are refused by Content-Length and, without one, while read.
 */
@GatewayWebTest
class ProduceRequestValidationTest {

    static final List<BadRequest> REQUESTS = BadRequests.produce();
    static final List<BadRequest> UNKNOWN_TOPIC = BadRequests.produceToUnknownTopic();

    @Autowired
    WebTestClient client;

    @LocalServerPort
    int port;

    @ParameterizedTest(name = "{0}")
    @FieldSource("REQUESTS")
    void badProduceRequestIsAClientErrorNamingTheFault(BadRequest request) {
        request.sendAndExpectProblem(client, "http://127.0.0.1:" + port, "any-topic");
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("UNKNOWN_TOPIC")
    void produceToATopicNotInTheMetadataIsUnknownTopic(BadRequest request) {
        request.sendAndExpectProblem(client, "http://127.0.0.1:" + port, "any-topic");
    }
}
