package io.sluice.partition.txn;

import static io.sluice.partition.txn.MarkerLeader.ALONE;
import static io.sluice.partition.txn.MarkerLeader.FOLLOWED;
import static io.sluice.partition.txn.MarkerLeader.marker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.internal.SluiceJson;
import io.sluice.internal.client.InternalClientSettings;
import io.sluice.internal.client.InternalHttp;
import io.sluice.internal.client.PartitionDataClient;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.metadata.NodeStatus;
import io.sluice.internal.partition.PartitionPaths;
import io.sluice.internal.partition.WriteMarkersRequest;
import io.sluice.internal.partition.WriteMarkersResponse;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.web.ProblemHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.ProblemDetail;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.http.codec.json.JacksonJsonDecoder;
import org.springframework.http.codec.json.JacksonJsonEncoder;
import org.springframework.http.converter.json.ProblemDetailJacksonMixin;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.reactive.config.EnableWebFlux;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The route over real HTTP: the controller and the shared problem handler in a WebFlux server on loopback, in front of
 * {@link MarkerLeader}'s real service and logs, called by the internal client the transaction coordinator uses. A
 * marker goes through with its JSON names intact; a request that is not well formed is a 400 INVALID_REQUEST problem
 * and writes nothing.
 */
class WriteMarkersRouteTest {

    private static final JsonMapper JSON = SluiceJson.configure(JsonMapper.builder())
            .addMixIn(ProblemDetail.class, ProblemDetailJacksonMixin.class).build();

    @TempDir
    Path dataDir;
    MarkerLeader node;
    AnnotationConfigApplicationContext web;
    DisposableServer server;
    InternalHttp http;
    NodeInfo leader;

    @BeforeEach
    void serve() throws IOException {
        node = new MarkerLeader(dataDir);
        web = new AnnotationConfigApplicationContext();
        web.register(WebConfig.class);
        web.registerBean(WriteMarkersController.class, () -> new WriteMarkersController(node.markers));
        web.registerBean(ProblemHandler.class, () -> new ProblemHandler());
        web.refresh();
        server = HttpServer.create().host("127.0.0.1").port(0)
                .handle(new ReactorHttpHandlerAdapter(WebHttpHandlerBuilder.applicationContext(web).build()))
                .bindNow();
        http = new InternalHttp(InternalClientSettings.defaults(), new SimpleMeterRegistry());
        leader = new NodeInfo(1, "http://127.0.0.1:" + server.port(), null, NodeStatus.ALIVE);
    }

    @AfterEach
    void stop() throws IOException {
        http.close();
        server.disposeNow();
        web.close();
        node.close();
    }

    @Test
    void theClientWritesAMarkerAndReadsEachPartitionsOutcome() {
        node.produceTransactional(ALONE, 42, (short) 0, 0, "a");

        WriteMarkersResponse response = new PartitionDataClient(http).writeMarkers(leader,
                new WriteMarkersRequest(10_000, List.of(marker(42, 0, 0, false, ALONE, FOLLOWED))))
                .block(Duration.ofSeconds(30));

        WriteMarkersResponse.Marker answer = response.markers().getFirst();
        assertThat(answer.producerId()).isEqualTo(42);
        assertThat(answer.partitions()).extracting(WriteMarkersResponse.Partition::errorCode)
                .containsExactly(null, ErrorCode.NOT_LEADER);
        assertThat(answer.partitions().getFirst().offset()).isEqualTo(1);
        assertThat(answer.partitions().get(1).message()).contains("node 2");
        assertThat(node.log(ALONE).lastStableOffset()).isEqualTo(2);
        assertThat(node.log(ALONE).abortedTxns()).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"markers\": [{\"producer_id\": 42, \"producer_epoch\": 0, \"coordinator_epoch\": 0,",
        "{\"markers\": []}",
        "{\"markers\": \"all of them\"}",
        // No outcome: read as false, it would abort.
        "{\"markers\": [{\"producer_id\": 42, \"producer_epoch\": 0, \"coordinator_epoch\": 0,"
                + " \"partitions\": [{\"topic\": \"orders\", \"partition\": 0, \"leader_epoch\": 3}]}]}",
        // No partition number: read as 0, it would write to partition 0.
        "{\"markers\": [{\"producer_id\": 42, \"producer_epoch\": 0, \"coordinator_epoch\": 0, \"commit\": true,"
                + " \"partitions\": [{\"topic\": \"orders\", \"leader_epoch\": 3}]}]}",
        "{\"markers\": [{\"producer_id\": -1, \"producer_epoch\": 0, \"coordinator_epoch\": 0, \"commit\": true,"
                + " \"partitions\": [{\"topic\": \"orders\", \"partition\": 0, \"leader_epoch\": 3}]}]}",
        "{\"markers\": [{\"producer_id\": 42, \"producer_epoch\": 70000, \"coordinator_epoch\": 0, \"commit\": true,"
                + " \"partitions\": [{\"topic\": \"orders\", \"partition\": 0, \"leader_epoch\": 3}]}]}",
        // A well-formed marker before a malformed one: neither is written.
        "{\"markers\": [{\"producer_id\": 42, \"producer_epoch\": 0, \"coordinator_epoch\": 0, \"commit\": true,"
                + " \"partitions\": [{\"topic\": \"orders\", \"partition\": 0, \"leader_epoch\": 3}]},"
                + " {\"producer_id\": 43, \"producer_epoch\": 0, \"coordinator_epoch\": 0, \"commit\": true,"
                + " \"partitions\": []}]}",
        "{\"timeout_ms\": -1, \"markers\": [{\"producer_id\": 42, \"producer_epoch\": 0, \"coordinator_epoch\": 0,"
                + " \"commit\": true, \"partitions\": [{\"topic\": \"orders\", \"partition\": 0, \"leader_epoch\": 3}]}]}"
    })
    void aRequestThatIsNotWellFormedIsAnInvalidRequestProblemAndWritesNothing(String body) {
        node.produceTransactional(ALONE, 42, (short) 0, 0, "a");

        Answer answer = post(body);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        JsonNode problem = JSON.readTree(answer.body());
        assertThat(problem.get("error_code").asString()).isEqualTo("INVALID_REQUEST");
        assertThat(problem.get("detail").asString()).doesNotContain("io.sluice", "java.");
        assertThat(node.log(ALONE).logEndOffset()).isEqualTo(1);
        assertThat(node.log(ALONE).lastStableOffset()).isZero();
    }

    @Test
    void theClientSurfacesARefusedRequestAsItsErrorCode() {
        WriteMarkersRequest noOutcome = new WriteMarkersRequest(0, List.of(new WriteMarkersRequest.Marker(42L,
                (short) 0, 0, null, List.of(new WriteMarkersRequest.Partition("orders", 0, 3)))));

        assertThatThrownBy(() -> new PartitionDataClient(http).writeMarkers(leader, noOutcome)
                .block(Duration.ofSeconds(30)))
                .isInstanceOfSatisfying(SluiceException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_REQUEST);
                    assertThat(e.getMessage()).contains("markers[0].commit");
                });
        assertThat(node.log(ALONE).logEndOffset()).isZero();
    }

    private Answer post(String body) {
        return HttpClient.create()
                .headers(headers -> headers.set("Content-Type", "application/json"))
                .post().uri("http://127.0.0.1:" + server.port() + PartitionPaths.WRITE_MARKERS)
                .send((request, out) -> out.sendString(Mono.just(body), StandardCharsets.UTF_8))
                .responseSingle((response, content) -> content.asString().defaultIfEmpty("")
                        .map(text -> new Answer(response.status().code(),
                                response.responseHeaders().get("Content-Type"), text)))
                .block(Duration.ofSeconds(30));
    }

    private record Answer(int status, String contentType, String body) {
    }

    /** Sluice's JSON conventions on WebFlux, as the service's Boot configuration applies them. */
    @Configuration(proxyBeanMethods = false)
    @EnableWebFlux
    static class WebConfig implements WebFluxConfigurer {

        @Override
        public void configureHttpMessageCodecs(ServerCodecConfigurer codecs) {
            codecs.defaultCodecs().jacksonJsonDecoder(new JacksonJsonDecoder(JSON));
            codecs.defaultCodecs().jacksonJsonEncoder(new JacksonJsonEncoder(JSON));
        }
    }
}
