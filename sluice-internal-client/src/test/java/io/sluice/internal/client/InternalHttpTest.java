package io.sluice.internal.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.sluice.internal.coordinator.CoordinatorStatus;
import io.sluice.internal.metadata.ClusterMetadata;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.metadata.NodeStatus;
import io.sluice.internal.partition.FetchRequest;
import io.sluice.internal.partition.FetchResponseCodec;
import io.sluice.internal.partition.ListOffsetsRequest;
import io.sluice.internal.partition.ListOffsetsResponse;
import io.sluice.internal.partition.PartitionBatches;
import io.sluice.internal.partition.PartitionPaths;
import io.sluice.protocol.Acks;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The client stack against real HTTP servers on loopback that answer as scripted: which failures are retried, which
 * are left to the caller, how they surface, and how the coordinator client finds the active coordinator.
 */
class InternalHttpTest {

    private static final TopicPartition TP = new TopicPartition("t", 0);
    private static final String PROBLEM = "{\"status\":%d,\"detail\":\"scripted\",\"error_code\":\"%s\",\"retriable\":true}";

    // A call timeout far above any answer's time, even on a loaded CI machine that stalls for a second: only the test
    // of a timeout has a short one, on its own client.
    private static final InternalClientSettings SETTINGS = new InternalClientSettings(null, Duration.ofSeconds(10),
            null, null, null, 3, Duration.ofMillis(10), Duration.ofMillis(50), null, null, null, null);

    private final List<DisposableServer> servers = new ArrayList<>();
    private final InternalHttp http = new InternalHttp(SETTINGS, new SimpleMeterRegistry());

    @AfterEach
    void stop() {
        http.close();
        servers.forEach(DisposableServer::disposeNow);
    }

    @Test
    void whenAProduceTimesOutAfterItWasSentItIsNotRetriedAndItsOutcomeIsUnknown() {
        AtomicInteger requests = new AtomicInteger();
        NodeInfo node = node(serve(requests, (attempt, response) -> Mono.never()));

        try (InternalHttp impatient = new InternalHttp(SETTINGS.withCallTimeout(Duration.ofSeconds(1)),
                new SimpleMeterRegistry())) {
            assertThatThrownBy(() -> new PartitionDataClient(impatient).produce(node, List.of(new PartitionBatches(TP,
                    0, ByteBuffer.allocate(0))), Acks.ALL, Duration.ZERO).block())
                    .isInstanceOfSatisfying(SluiceException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.REQUEST_TIMED_OUT));
        }
        assertThat(requests).hasValue(1);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aFetchAnswerThatArrivesInManyPiecesIsReadWholeWithOrWithoutItsLength(boolean withLength) {
        byte[] records = new byte[3 * 1024 * 1024 + 17];
        for (int i = 0; i < records.length; i++) {
            records[i] = (byte) (i * 31 + i / 4096);
        }
        ByteBuffer head = ByteBuffer.allocate(256);
        head.put(FetchResponseCodec.count(1)).put(FetchResponseCodec.header(TP, null, 10, 0, 10, records.length));
        byte[] body = new byte[head.position() + records.length];
        System.arraycopy(head.array(), 0, body, 0, head.position());
        System.arraycopy(records, 0, body, head.position(), records.length);
        List<ByteBuf> pieces = new ArrayList<>();
        for (int from = 0; from < body.length; from += 65536) {
            pieces.add(Unpooled.wrappedBuffer(body, from, Math.min(65536, body.length - from)));
        }
        NodeInfo node = node(serve(new AtomicInteger(), (attempt, response) -> {
            if (withLength) {
                response.header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(body.length));
            }
            return response.send(Flux.fromIterable(pieces)).then();
        }));

        List<FetchResponseCodec.FetchedPartition> answer = new PartitionDataClient(http).fetch(node,
                new FetchRequest(0L, 1, Integer.MAX_VALUE, List.of(new FetchRequest.Partition("t", 0, 0, 1 << 30))))
                .block();

        assertThat(answer).singleElement().satisfies(section -> {
            assertThat(section.highWatermark()).isEqualTo(10);
            assertThat(section.records()).isEqualTo(ByteBuffer.wrap(records));
        });
    }

    @Test
    void whenALookupIsAnsweredWithARetriableErrorItIsRetriedUntilItSucceeds() {
        AtomicInteger requests = new AtomicInteger();
        NodeInfo node = node(serve(requests, (attempt, response) -> attempt < 3
                ? problem(response, ErrorCode.REQUEST_TIMED_OUT)
                : json(response, "{\"partitions\":[{\"topic\":\"t\",\"partition\":0,\"offset\":7}]}")));

        ListOffsetsResponse answer = new PartitionDataClient(http).listOffsets(node, lookup()).block();

        assertThat(answer.partitions().getFirst().offset()).isEqualTo(7L);
        assertThat(requests).hasValue(3);
    }

    @Test
    void whenALeaderSaysItIsNotTheLeaderTheCallerGetsThatAtOnceToRefreshItsMetadata() {
        AtomicInteger requests = new AtomicInteger();
        NodeInfo node = node(serve(requests, (attempt, response) -> problem(response, ErrorCode.NOT_LEADER)));

        assertThatThrownBy(() -> new PartitionDataClient(http).listOffsets(node, lookup()).block())
                .isInstanceOfSatisfying(SluiceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.NOT_LEADER));
        assertThat(requests).hasValue(1);
    }

    @Test
    void whenANodeCannotBeReachedTheCallerMayRerouteAndAfterRepeatedFailuresItsCircuitOpens() {
        NodeInfo down = node(URI.create("http://127.0.0.1:" + unusedPort()));
        PartitionDataClient client = new PartitionDataClient(http);

        // Three calls of three attempts each (a call that reached nobody is retried): nine failures, below the ten
        // calls the breaker needs before it judges.
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> client.listOffsets(down, lookup()).block())
                    .isInstanceOfSatisfying(SluiceException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(ErrorCode.LEADER_NOT_AVAILABLE);
                        assertThat(e.getMessage()).contains("unreachable");
                    });
        }
        assertThatThrownBy(() -> client.listOffsets(down, lookup()).block())
                .isInstanceOfSatisfying(SluiceException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.LEADER_NOT_AVAILABLE);
                    assertThat(e.getMessage()).contains("keeps failing");
                });
    }

    /**
     * Failures counted while a node was down are forgotten at its first answer once it is back: six failed attempts,
     * then answers only. Judged over the window instead, the fourth answer would complete the ten calls the breaker
     * needs, find six failures among them and open the circuit against a node that answers.
     */
    @Test
    void aNodeThatCameBackAndAnswersIsNotRefusedForTheFailuresBeforeIt() {
        PartitionDataClient client = new PartitionDataClient(http);
        NodeInfo down = node(URI.create("http://127.0.0.1:" + unusedPort()));
        for (int i = 0; i < 2; i++) { // two calls of three attempts each: six failures, below the ten calls judged
            assertThatThrownBy(() -> client.listOffsets(down, lookup()).block())
                    .hasMessageContaining("unreachable");
        }
        AtomicInteger requests = new AtomicInteger();
        NodeInfo back = node(serve(requests, (attempt, response) ->
                json(response, "{\"partitions\":[{\"topic\":\"t\",\"partition\":0,\"offset\":7}]}")));

        for (int i = 0; i < 12; i++) {
            assertThat(client.listOffsets(back, lookup()).block().partitions().getFirst().offset())
                    .as("answer %d after the node came back", i + 1).isEqualTo(7L);
        }
        assertThat(requests).hasValue(12);
    }

    /**
     * A node whose circuit opened while it was down is called again as soon as the metadata shows it back in a new
     * process, not only when the circuit's open duration (5 s here) has passed.
     */
    @Test
    void aNodeTheMetadataShowsBackInANewProcessHasItsOpenCircuitClosed() {
        PartitionDataClient client = new PartitionDataClient(http);
        NodeInfo down = new NodeInfo(1, "http://127.0.0.1:" + unusedPort(), null, NodeStatus.ALIVE, "first");
        for (int i = 0; i < 4; i++) { // twelve failed attempts: the circuit opens
            assertThatThrownBy(() -> client.listOffsets(down, lookup()).block()).isInstanceOf(SluiceException.class);
        }
        assertThatThrownBy(() -> client.listOffsets(down, lookup()).block()).hasMessageContaining("keeps failing");
        ReturningNodes returning = new ReturningNodes(http);
        returning.accept(view(1, down));
        returning.accept(view(2, down.withStatus(NodeStatus.DEAD)));
        AtomicInteger requests = new AtomicInteger();
        URI url = serve(requests, (attempt, response) ->
                json(response, "{\"partitions\":[{\"topic\":\"t\",\"partition\":0,\"offset\":7}]}"));
        NodeInfo back = new NodeInfo(1, url.toString(), null, NodeStatus.ALIVE, "second");

        returning.accept(view(3, back));

        assertThat(client.listOffsets(back, lookup()).block().partitions().getFirst().offset()).isEqualTo(7L);
        assertThat(requests).hasValue(1);
    }

    /**
     * A node whose circuit opened while its port refused connections (the process gone) is called again as soon as
     * the port accepts them, not when the circuit's open duration (a minute here) has passed.
     */
    @Test
    void aNodeWhoseCircuitOpenedWhileItsPortRefusedConnectionsIsCalledAgainOnceItListens() throws InterruptedException {
        InternalHttp ownHttp = new InternalHttp(openForAMinute(Duration.ofSeconds(10)), new SimpleMeterRegistry());
        try {
            PartitionDataClient client = new PartitionDataClient(ownHttp);
            int port = unusedPort();
            NodeInfo node = node(URI.create("http://127.0.0.1:" + port));
            for (int i = 0; i < 4; i++) { // twelve failed attempts: the circuit opens
                assertThatThrownBy(() -> client.listOffsets(node, lookup()).block()).isInstanceOf(SluiceException.class);
            }
            assertThatThrownBy(() -> client.listOffsets(node, lookup()).block()).hasMessageContaining("keeps failing");

            AtomicInteger requests = new AtomicInteger();
            servers.add(HttpServer.create().host("127.0.0.1").port(port)
                    .handle((request, response) -> request.uri().startsWith(PartitionPaths.LIST_OFFSETS)
                            ? request.receive().then(Mono.fromRunnable(requests::incrementAndGet)).then(json(response,
                                    "{\"partitions\":[{\"topic\":\"t\",\"partition\":0,\"offset\":7}]}"))
                            : response.status(404).send())
                    .bindNow());

            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            ListOffsetsResponse answer = null;
            while (answer == null) {
                try {
                    answer = client.listOffsets(node, lookup()).block();
                } catch (SluiceException refused) {
                    assertThat(refused).hasMessageContaining("keeps failing");
                    assertThat(System.nanoTime() - deadline).as("called again within 20 s of the node listening")
                            .isNegative();
                    Thread.sleep(50);
                }
            }
            assertThat(answer.partitions().getFirst().offset()).isEqualTo(7L);
            assertThat(requests).hasValue(1);
        } finally {
            ownHttp.close();
        }
    }

    /**
     * A node whose circuit opened on calls that reached its process (up, and not answering in time) is left to the open
     * duration, its port accepting connections or not: only a refused connection proves the process gone.
     */
    @Test
    void aNodeThatAcceptsConnectionsButDoesNotAnswerKeepsItsCircuitOpen() throws InterruptedException {
        InternalHttp ownHttp = new InternalHttp(openForAMinute(Duration.ofMillis(200)), new SimpleMeterRegistry());
        try {
            PartitionDataClient client = new PartitionDataClient(ownHttp);
            DisposableServer silent = HttpServer.create().host("127.0.0.1").port(0)
                    .handle((request, response) -> Mono.never()).bindNow();
            servers.add(silent);
            NodeInfo node = node(URI.create("http://127.0.0.1:" + silent.port()));
            for (int i = 0; i < 10 && !ownHttp.watchingForReturn(Target.node(node)); i++) {
                assertThatThrownBy(() -> client.listOffsets(node, lookup()).block()).isInstanceOf(SluiceException.class);
            }
            assertThatThrownBy(() -> client.listOffsets(node, lookup()).block()).hasMessageContaining("keeps failing");

            // Were the circuit watched, the watch would end once its probe found the port accepting (the barrier),
            // and the circuit would go half-open then: it is still open after.
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (ownHttp.watchingForReturn(Target.node(node))) {
                assertThat(System.nanoTime() - deadline).as("the watch ends within 20 s").isNegative();
                Thread.sleep(50);
            }
            assertThatThrownBy(() -> client.listOffsets(node, lookup()).block()).hasMessageContaining("keeps failing");
        } finally {
            ownHttp.close();
        }
    }

    private static InternalClientSettings openForAMinute(Duration callTimeout) {
        return new InternalClientSettings(null, callTimeout, null, null, Duration.ofMinutes(1), 3,
                Duration.ofMillis(10), Duration.ofMillis(50), null, null, null, null);
    }

    private static MetadataView view(long version, NodeInfo node) {
        return new MetadataView(new ClusterMetadata(version, null, List.of(node), List.of()));
    }

    @Test
    void longPollsToANodeThatCameBackDoNotHoldItsHalfOpenCircuitAgainstItsOtherCalls() throws InterruptedException {
        InternalClientSettings quickToReopen = new InternalClientSettings(null, Duration.ofSeconds(10), null, null,
                Duration.ofMillis(300), 3, Duration.ofMillis(10), Duration.ofMillis(50), null, null, null, null);
        InternalHttp ownHttp = new InternalHttp(quickToReopen, new SimpleMeterRegistry());
        List<Disposable> polls = new ArrayList<>();
        try {
            PartitionDataClient client = new PartitionDataClient(ownHttp);
            NodeInfo down = node(URI.create("http://127.0.0.1:" + unusedPort()));
            for (int i = 0; i < 4; i++) {
                assertThatThrownBy(() -> client.listOffsets(down, lookup()).block()).isInstanceOf(SluiceException.class);
            }
            assertThatThrownBy(() -> client.listOffsets(down, lookup()).block())
                    .hasMessageContaining("keeps failing");

            // The node is back (same id, so the same circuit): it answers lookups at once and holds every fetch, as
            // a leader with nothing new holds a long poll.
            DisposableServer back = HttpServer.create().host("127.0.0.1").port(0)
                    .handle((request, response) -> request.uri().startsWith(PartitionPaths.FETCH) ? Mono.never()
                            : request.receive().then(json(response,
                                    "{\"partitions\":[{\"topic\":\"t\",\"partition\":0,\"offset\":7}]}")))
                    .bindNow();
            servers.add(back);
            NodeInfo node = node(URI.create("http://127.0.0.1:" + back.port()));
            Thread.sleep(400); // past the open circuit's wait: the next calls are its trial calls
            for (int i = 0; i < 12; i++) {
                polls.add(client.fetch(node, new FetchRequest(30_000L, 1, 1 << 20,
                        List.of(new FetchRequest.Partition("t", 0, 0, 1 << 20)))).subscribe(answer -> { }, e -> { }));
            }

            ListOffsetsResponse answer = client.listOffsets(node, lookup()).block(Duration.ofSeconds(10));

            assertThat(answer.partitions().getFirst().offset()).isEqualTo(7L);
        } finally {
            polls.forEach(Disposable::dispose);
            ownHttp.close();
        }
    }

    @Test
    void whenTheFirstCoordinatorIsDownAndTheNextIsAStandbyTheCallReachesTheActiveOne() {
        AtomicInteger activeRequests = new AtomicInteger();
        URI active = serve(activeRequests, (attempt, response) ->
                json(response, "{\"instance_id\":\"a\",\"active\":true,\"metadata_version\":4}"));
        URI standby = serve(new AtomicInteger(), (attempt, response) -> response.status(307)
                .header("Location", active.resolve("/internal/coordinator").toString()).send());
        URI down = URI.create("http://127.0.0.1:" + unusedPort());

        CoordinatorStatus status = new CoordinatorClient(http, List.of(down, standby)).status().block();

        assertThat(status.instanceId()).isEqualTo("a");
        assertThat(status.active()).isTrue();
        assertThat(activeRequests).hasValue(1);
    }

    @Test
    void whenNoCoordinatorIsActiveTheRoundIsRetriedWithBackoffThenTheCallerIsTold() {
        AtomicInteger requests = new AtomicInteger();
        URI starting = serve(requests, (attempt, response) -> problem(response, ErrorCode.COORDINATOR_NOT_AVAILABLE));

        assertThatThrownBy(() -> new CoordinatorClient(http, List.of(starting)).status().block())
                .isInstanceOfSatisfying(SluiceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.COORDINATOR_NOT_AVAILABLE));
        assertThat(requests).hasValue(3);
    }

    private static ListOffsetsRequest lookup() {
        return new ListOffsetsRequest(List.of(new ListOffsetsRequest.Partition("t", 0, ListOffsetsRequest.LATEST)));
    }

    private static NodeInfo node(URI url) {
        return new NodeInfo(1, url.toString(), null, NodeStatus.ALIVE);
    }

    /** A server answering every request with {@code answer(attempt number from 1, response)}. */
    private URI serve(AtomicInteger requests, Answer answer) {
        DisposableServer server = HttpServer.create().host("127.0.0.1").port(0)
                .handle((request, response) -> request.receive().aggregate().asByteArray().defaultIfEmpty(new byte[0])
                        .flatMap(body -> Mono.from(answer.apply(requests.incrementAndGet(), response))))
                .bindNow();
        servers.add(server);
        return URI.create("http://127.0.0.1:" + server.port());
    }

    private static Mono<Void> json(HttpServerResponse response, String body) {
        return response.header("Content-Type", "application/json").sendString(Mono.just(body)).then();
    }

    private static Mono<Void> problem(HttpServerResponse response, ErrorCode code) {
        return response.status(code.httpStatus()).header("Content-Type", "application/problem+json")
                .sendString(Mono.just(PROBLEM.formatted(code.httpStatus(), code.name()))).then();
    }

    private static int unusedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @FunctionalInterface
    private interface Answer {
        org.reactivestreams.Publisher<Void> apply(int attempt, HttpServerResponse response);
    }
}
