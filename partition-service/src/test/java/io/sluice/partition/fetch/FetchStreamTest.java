package io.sluice.partition.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.sluice.internal.client.FetchStreamClient;
import io.sluice.internal.client.InternalClientSettings;
import io.sluice.internal.client.InternalHttp;
import io.sluice.internal.client.PartitionDataClient;
import io.sluice.internal.client.ReplicationClient;
import io.sluice.internal.client.ReplicationStreamClient;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.metadata.NodeStatus;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.internal.partition.FetchRequest;
import io.sluice.internal.partition.FetchRequestCodec;
import io.sluice.internal.partition.FetchResponseCodec;
import io.sluice.internal.partition.FetchResponseCodec.FetchedPartition;
import io.sluice.internal.partition.FetchStream;
import io.sluice.internal.partition.PartitionBatches;
import io.sluice.internal.partition.PartitionPaths;
import io.sluice.internal.partition.ProduceRequestCodec;
import io.sluice.internal.partition.ProduceResponse;
import io.sluice.internal.partition.ProduceResponseCodec;
import io.sluice.internal.partition.WireStrings;
import io.sluice.internal.replication.ReplicaFetchRequest;
import io.sluice.internal.replication.ReplicaFetchRequestCodec;
import io.sluice.internal.replication.ReplicationPaths;
import io.sluice.partition.TestPartitionProperties;
import io.sluice.partition.produce.ProduceRoute;
import io.sluice.protocol.Acks;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import io.sluice.protocol.record.BufferBatchIterator;
import io.sluice.protocol.record.CompressionType;
import io.sluice.protocol.record.Record;
import io.sluice.protocol.record.RecordBatch;
import io.sluice.protocol.record.RecordBatchBuilder;
import io.sluice.web.ClusterAdmission;
import io.sluice.web.ClusterSecurityProperties;
import io.sluice.log.PartitionLog;
import io.sluice.web.InternalRoutes;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fetch stream end to end: a Reactor Netty server as a node serves it (its {@link FetchStreamPort} on the HTTP
 * port, beside the HTTP fetch routes and another route), a leader's real log behind it, and the gateway's
 * {@link FetchStreamClient} and a follower's {@link ReplicationStreamClient} over it, with the HTTP clients for what
 * does not go on a stream.
 */
class FetchStreamTest {

    private static final TopicPartition TP = new TopicPartition("orders", 0);
    private static final String SECRET = "s3cret";
    private static final int FOLLOWER = 2;

    @TempDir
    Path dataDir;

    private final Map<Object, SimpleMeterRegistry> meters = new java.util.HashMap<>();
    private final ChannelGroup streams = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final List<AutoCloseable> closing = new ArrayList<>();
    private LeaderNode node;
    private LoopResources loops;
    private DisposableServer server;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : closing.reversed()) {
            closeable.close();
        }
        streams.close().syncUninterruptibly();
        if (server != null) {
            server.disposeNow();
        }
        if (loops != null) {
            loops.disposeLater().block();
        }
        if (node != null) {
            node.close();
        }
    }

    @Test
    void fetchesGoOverTheStreamOnceOpenWithTheSameAnswersAsHttpAndHttpKeepsWorkingOnThePort() throws Exception {
        start(ClusterAdmission.open());
        append("first", "second");
        append("third");
        FetchStreamClient client = client(null);

        List<FetchedPartition> overHttp = fetch(client, 0, 0);
        assertThat(streamed(client)).as("the first fetch opens the stream, and goes over HTTP").isZero();
        List<FetchedPartition> overStream = fetchOnceStreamed(client, 0);

        assertThat(values(overStream)).containsExactly("first", "second", "third");
        assertThat(overStream.getFirst().records()).isEqualTo(overHttp.getFirst().records());
        assertThat(overStream.getFirst().highWatermark()).isEqualTo(3);
        assertThat(streams.size()).as("the node holds the stream connection").isOne();
        assertThat(ping()).isEqualTo("pong");
        assertThat(values(fetch(client, 2, 0))).containsExactly("third");
    }

    @Test
    void aLongPollOnTheStreamDoesNotHoldBackTheFetchesSentAfterIt() throws Exception {
        start(ClusterAdmission.open());
        append("one");
        FetchStreamClient client = client(null);
        fetchOnceStreamed(client, 0);

        CompletableFuture<List<FetchedPartition>> poll = client.fetch(leader(), request(1, 10_000)).toFuture();
        assertThat(values(fetch(client, 0, 0))).containsExactly("one");
        assertThat(poll).isNotDone();
        append("two");
        assertThat(values(poll.get())).containsExactly("two");
    }

    @Test
    void aNodeWithASecretServesOnlyStreamsThatGiveIt() throws Exception {
        start(ClusterAdmission.closed(new ClusterSecurityProperties(true, SECRET), null));
        append("secret");

        FetchStreamClient right = client(SECRET);
        assertThat(values(fetchOnceStreamed(right, 0))).containsExactly("secret");

        FetchStreamClient wrong = client("guess");
        for (int i = 0; i < 30; i++) {
            assertThatThrownBy(() -> fetch(wrong, 0, 0)).isInstanceOf(SluiceException.class)
                    .extracting(e -> ((SluiceException) e).errorCode())
                    .isEqualTo(ErrorCode.SASL_AUTHENTICATION_FAILED);
            Thread.sleep(50);
        }
        assertThat(streamed(wrong)).as("every fetch went over HTTP, and was refused there").isZero();
        assertThat(overHttp(wrong)).isEqualTo(30);
    }

    @Test
    void aFetchWaitingOnAStreamThatClosesIsMadeAgainOverHttp() throws Exception {
        start(ClusterAdmission.open());
        append("one");
        FetchStreamClient client = client(null);
        fetchOnceStreamed(client, 0);
        double before = overHttp(client);

        CompletableFuture<List<FetchedPartition>> poll = client.fetch(leader(), request(1, 10_000)).toFuture();
        ParkedPolls.awaitParked(poll, node.logs.log(TP).orElseThrow()::highWatermarkWaiting);
        streams.close().syncUninterruptibly();
        while (overHttp(client) == before) {
            Thread.sleep(5);
        }
        append("two");
        assertThat(values(poll.get())).containsExactly("two");
    }

    @Test
    void aFetchTheNodeDoesNotAnswerInTimeFailsTimedOutAndTheNextOnesGoOverHttp() throws Exception {
        start(ClusterAdmission.open());
        append("one");
        FetchStreamClient client = client(null, Duration.ofMillis(300));
        fetchOnceStreamed(client, 0);
        CountDownLatch stalled = new CountDownLatch(1);
        streams.iterator().next().eventLoop().execute(() -> {
            try {
                stalled.await(30, TimeUnit.SECONDS); // the node's event loop stops: nothing it writes goes out
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            assertThatThrownBy(() -> fetch(client, 0, 0)).isInstanceOf(SluiceException.class)
                    .extracting(e -> ((SluiceException) e).errorCode()).isEqualTo(ErrorCode.REQUEST_TIMED_OUT);
        } finally {
            stalled.countDown();
        }
        double before = overHttp(client);
        assertThat(values(fetch(client, 0, 0))).containsExactly("one");
        assertThat(overHttp(client)).as("the stream closed at the time-out: the next fetch went over HTTP")
                .isEqualTo(before + 1);
    }

    @Test
    void aFrameOverTheLimitClosesOnlyItsConnectionAndAppendsNothing() throws Exception {
        start(ClusterAdmission.open());
        append("one");
        try (Socket socket = new Socket()) {
            DataOutputStream out = openRaw(socket, FetchStream.Kind.CONSUMER);
            out.writeInt(FetchStream.MAX_REQUEST_FRAME + 1);
            out.write(new byte[64]);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            assertAdmitted(in);
            assertClosedByTheNode(in);
        }
        FetchStreamClient client = client(null);
        assertThat(values(fetchOnceStreamed(client, 0))).containsExactly("one");
        assertThat(ping()).isEqualTo("pong");
    }

    @Test
    void aPrefaceThatArrivesByteByByteStillOpensTheStream() throws Exception {
        start(ClusterAdmission.open());
        append("one");
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()));
            socket.setSoTimeout(10_000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            for (byte b : FetchStream.preface(FetchStream.Kind.CONSUMER)) {
                out.write(b);
                out.flush();
                Thread.sleep(20); // each byte its own segment, so the node reads the preface in pieces
            }
            out.write(FetchStream.hello("").array());
            out.write(FetchStream.request(1, request(0, 0)).array());
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            assertAdmitted(in);
            assertThat(values(FetchResponseCodec.decode(answer(in, 1, FetchStream.OK)))).containsExactly("one");
        }
    }

    @Test
    void aRequestThatDoesNotParseIsAnsweredWithItsErrorAndTheStreamGoesOn() throws Exception {
        start(ClusterAdmission.open());
        append("one");
        try (Socket socket = new Socket()) {
            DataOutputStream out = openRaw(socket, FetchStream.Kind.CONSUMER);
            out.writeInt(4 + 3);
            out.writeInt(7);
            out.write(new byte[] {1, 2, 3});
            out.write(FetchStream.request(8, request(0, 0)).array());
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            assertAdmitted(in);
            assertThat(FetchStream.readFailure(answer(in, 7, FetchStream.FAILED)).errorCode())
                    .isEqualTo(ErrorCode.INVALID_REQUEST);
            assertThat(values(FetchResponseCodec.decode(answer(in, 8, FetchStream.OK)))).containsExactly("one");
        }
    }

    @Test
    void aNodeThatNeverAnswersTheHelloHasItsStreamClosedAtTheCallTimeoutAndOpenedAgainLater() throws Exception {
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        BlockingQueue<Socket> streamsOpened = new LinkedBlockingQueue<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            // Takes every connection and answers nothing: the stream's hello as well as the HTTP fallback's fetches.
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        Socket socket = silent.accept();
                        accepted.add(socket);
                        socket.setSoTimeout(10_000);
                        byte[] first = new DataInputStream(socket.getInputStream()).readNBytes(4);
                        if (new String(first, StandardCharsets.US_ASCII).equals("SLFS")) {
                            streamsOpened.add(socket);
                        }
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            FetchStreamClient client = client(null, Duration.ofMillis(300));
            NodeInfo node = new NodeInfo(1, "http://127.0.0.1:" + silent.getLocalPort(), null, NodeStatus.ALIVE);
            Runnable poke = () -> client.fetch(node, request(0, 0)).onErrorResume(e -> Mono.empty())
                    .block(Duration.ofSeconds(10));

            poke.run();
            Socket first = streamsOpened.poll(10, TimeUnit.SECONDS);
            assertThat(first).as("the first fetch opened a stream").isNotNull();
            byte[] rest = new byte[256];
            while (first.getInputStream().read(rest) >= 0) {
                // The hello, then the end of the stream: the client closed it. Had it kept the stream open past
                // the socket's 10 s read timeout, this read would throw and fail the test.
            }

            Socket second = null;
            for (int i = 0; i < 100 && second == null; i++) {
                poke.run();
                second = streamsOpened.poll(100, TimeUnit.MILLISECONDS);
            }
            assertThat(second).as("a later fetch opened the stream again").isNotNull();
        } finally {
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }

    @Test
    void aFollowersFetchesGoOverAReplicaStreamToTheLogEndAndMoveTheHighWatermarkAsOverHttp() throws Exception {
        startFollowed();
        appendUncommitted("one", "two");
        ReplicationStreamClient follower = replicationClient(null);

        List<FetchedPartition> overHttp = replicaFetch(follower, 0, 0);
        assertThat(streamed(follower)).as("the first fetch opens the stream, and goes over HTTP").isZero();
        List<FetchedPartition> overStream = replicaFetchOnceStreamed(follower, 0);
        assertThat(values(overStream)).as("a replica fetch reads to the log end, above the high watermark")
                .containsExactly("one", "two");
        assertThat(overStream.getFirst().records()).isEqualTo(overHttp.getFirst().records());
        assertThat(overStream.getFirst().highWatermark()).isZero();

        double streamedBefore = streamed(follower);
        List<FetchedPartition> caughtUp = replicaFetch(follower, 2, 0);
        assertThat(streamed(follower)).isEqualTo(streamedBefore + 1);
        assertThat(caughtUp).extracting(FetchedPartition::highWatermark)
                .as("the follower's position, reported on the stream, moved the high watermark").containsExactly(2L);
        assertThat(node.logs.log(TP).orElseThrow().highWatermark()).isEqualTo(2);

        FetchStreamClient consumer = client(null);
        assertThat(values(fetchOnceStreamed(consumer, 0))).as("consumer and replica streams side by side")
                .containsExactly("one", "two");
        assertThat(streams.size()).isEqualTo(2);
    }

    @Test
    void aReplicaFetchWaitingOnAStreamThatClosesIsMadeAgainOverHttp() throws Exception {
        startFollowed();
        appendUncommitted("one");
        ReplicationStreamClient follower = replicationClient(null);
        replicaFetchOnceStreamed(follower, 0);
        double before = overHttp(follower);

        CompletableFuture<List<FetchedPartition>> poll = follower.replicaFetch(leader(), replicaRequest(1, 10_000))
                .toFuture();
        ParkedPolls.awaitParked(poll, node.logs.log(TP).orElseThrow().logEndWatch()::waiting);
        streams.close().syncUninterruptibly();
        while (overHttp(follower) == before) {
            Thread.sleep(5);
        }
        appendUncommitted("two");
        assertThat(values(poll.get())).containsExactly("two");
    }

    @Test
    void aReplicaStreamWithoutTheSecretIsRefusedAndItsFetchesAreRefusedOverHttpToo() throws Exception {
        startFollowed(ClusterAdmission.closed(new ClusterSecurityProperties(true, SECRET), null));
        appendUncommitted("secret");
        assertThat(values(replicaFetchOnceStreamed(replicationClient(SECRET), 0))).containsExactly("secret");

        ReplicationStreamClient wrong = replicationClient("guess");
        for (int i = 0; i < 30; i++) {
            assertThatThrownBy(() -> replicaFetch(wrong, 0, 0)).isInstanceOf(SluiceException.class)
                    .extracting(e -> ((SluiceException) e).errorCode())
                    .isEqualTo(ErrorCode.SASL_AUTHENTICATION_FAILED);
            Thread.sleep(50);
        }
        assertThat(streamed(wrong)).as("every fetch went over HTTP, and was refused there").isZero();
        assertThat(node.logs.log(TP).orElseThrow().highWatermark()).as("no refused fetch counted").isZero();
    }

    @Test
    void aPrefaceOfNoKnownKindIsLeftToHttp() throws Exception {
        start(ClusterAdmission.open());
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()));
            socket.setSoTimeout(10_000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.write(new byte[] {'S', 'L', 'F', 'S', 9}); // "SLFS" and a tab: HTTP's method and a separator
            out.write("/ HTTP/1.1\r\nHost: node\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(answer).as("HTTP's answer to a request it cannot parse").startsWith("HTTP/1.1 4");
        }
        assertThat(streams.size()).isZero();
    }

    @Test
    void producesGoOverTheStreamOnceOpenAndAreAnsweredAsOverHttp() throws Exception {
        start(ClusterAdmission.open());
        FetchStreamClient client = client(null);

        ProduceResponse.PartitionResult overHttp = produce(client, Acks.LEADER, "first");
        assertThat(produces(client, "stream")).as("the first produce opens the stream, and goes over HTTP").isZero();
        ProduceResponse.PartitionResult overStream = produceOnceStreamed(client, "second", "third");

        assertThat(overHttp.errorCode()).isNull();
        assertThat(overHttp.baseOffset()).isZero();
        assertThat(overStream.errorCode()).isNull();
        assertThat(overStream.baseOffset()).as("appended right after the first, nothing twice").isEqualTo(1);
        assertThat(overStream.lastOffset()).isEqualTo(2);
        assertThat(values(fetchOnceStreamed(client, 0))).containsExactly("first", "second", "third");
        assertThat(produce(client, Acks.NONE, "fourth").baseOffset()).as("acks=0 is answered with nothing").isNull();
        assertThat(values(fetch(client, 3, 10_000))).containsExactly("fourth");
        assertThat(ping()).isEqualTo("pong");
    }

    @Test
    void aProduceTooLargeForAFrameGoesOverHttp() throws Exception {
        start(ClusterAdmission.open());
        FetchStreamClient client = client(null);
        produceOnceStreamed(client, "small");
        double streamed = produces(client, "stream");
        double overHttp = produces(client, "http");

        // Two entries of 600 KB: each within the topic's largest batch, together over a frame.
        String large = "x".repeat(600 * 1024);
        List<ProduceResponse.PartitionResult> answers = client.produce(leader(), List.of(entry(large), entry(large)),
                Acks.LEADER, Duration.ofSeconds(5)).block(Duration.ofSeconds(30)).partitions();

        assertThat(answers).extracting(ProduceResponse.PartitionResult::errorCode).containsOnlyNulls();
        assertThat(answers).extracting(ProduceResponse.PartitionResult::baseOffset).containsExactly(1L, 2L);
        assertThat(produces(client, "http")).isEqualTo(overHttp + 1);
        assertThat(produces(client, "stream")).isEqualTo(streamed);
        assertThat(streams.size()).as("the stream stays open").isOne();
    }

    @Test
    void aProduceWaitingOnAStreamThatClosesFailsWithAnUnknownOutcomeAndIsNotMadeAgain() throws Exception {
        startFollowed(); // acks=all waits for the follower, which never fetches here
        FetchStreamClient client = client(null);
        produceOnceStreamed(client, Acks.LEADER, "one");
        double overHttp = produces(client, "http");
        PartitionLog log = node.logs.log(TP).orElseThrow();

        CompletableFuture<ProduceResponse> waiting = client.produce(leader(), List.of(entry("two")), Acks.ALL,
                Duration.ofSeconds(20)).toFuture();
        for (int i = 0; i < 2000 && log.logEndOffset() < 2; i++) { // appended, then waiting for the follower
            Thread.sleep(5);
        }
        assertThat(log.logEndOffset()).as("the produce was appended").isEqualTo(2);
        assertThat(waiting).as("and waits for the follower").isNotDone();
        streams.close().syncUninterruptibly();

        assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS)).cause().isInstanceOf(SluiceException.class)
                .extracting(e -> ((SluiceException) e).errorCode()).isEqualTo(ErrorCode.REQUEST_TIMED_OUT);
        assertThat(produces(client, "http")).as("not made again over HTTP").isEqualTo(overHttp);
        // The barrier: a produce after the failure lands right after "two", so nothing made "two" again before it.
        assertThat(produce(client, Acks.LEADER, "three").baseOffset()).isEqualTo(2);
        assertThat(log.logEndOffset()).isEqualTo(3);
    }

    @Test
    void aProduceRequestThatDoesNotParseIsAnsweredWithItsErrorAndTheStreamGoesOn() throws Exception {
        start(ClusterAdmission.open());
        try (Socket socket = new Socket()) {
            DataOutputStream out = openRaw(socket, FetchStream.Kind.PRODUCE);
            ByteBuffer entries = ProduceRequestCodec.encode(List.of(entry("kept")));
            ByteBuffer badAcks = ByteBuffer.allocate(64);
            WireStrings.write(badAcks, "2");
            badAcks.putLong(1000).flip();
            out.write(FetchStream.request(7, badAcks).array());
            out.write(FetchStream.request(8, FetchStream.produceRequest(Acks.LEADER, -1, entries)).array());
            out.write(FetchStream.request(9, FetchStream.produceRequest(Acks.LEADER, 1000, entries)).array());
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            assertAdmitted(in);
            assertThat(FetchStream.readFailure(answer(in, 7, FetchStream.FAILED)).errorCode())
                    .isEqualTo(ErrorCode.INVALID_REQUEST);
            assertThat(FetchStream.readFailure(answer(in, 8, FetchStream.FAILED)).errorCode())
                    .isEqualTo(ErrorCode.INVALID_REQUEST);
            ProduceResponse answer = ProduceResponseCodec.decode(answer(in, 9, FetchStream.OK));
            assertThat(answer.partitions()).singleElement().satisfies(result -> {
                assertThat(result.errorCode()).isNull();
                assertThat(result.baseOffset()).as("the refused requests appended nothing").isZero();
            });
        }
    }

    @Test
    void aProduceStreamWithoutTheSecretIsRefusedAndAppendsNothing() throws Exception {
        start(ClusterAdmission.closed(new ClusterSecurityProperties(true, SECRET), null));
        assertThat(produceOnceStreamed(client(SECRET), "secret").baseOffset()).isZero();

        FetchStreamClient wrong = client("guess");
        for (int i = 0; i < 30; i++) {
            assertThatThrownBy(() -> produce(wrong, Acks.LEADER, "guessed")).isInstanceOf(SluiceException.class)
                    .extracting(e -> ((SluiceException) e).errorCode())
                    .isEqualTo(ErrorCode.SASL_AUTHENTICATION_FAILED);
            Thread.sleep(50);
        }
        assertThat(produces(wrong, "stream")).as("every produce went over HTTP, and was refused there").isZero();
        assertThat(node.logs.log(TP).orElseThrow().logEndOffset()).isEqualTo(1);
    }

    /**
     * Connects {@code socket} to the node (reads time out after 10 s) and sends {@code kind}'s preface and a hello
     * without a secret, not flushed: the stream to write requests on.
     */
    private DataOutputStream openRaw(Socket socket, FetchStream.Kind kind) throws IOException {
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()));
        socket.setSoTimeout(10_000);
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        out.write(FetchStream.preface(kind));
        out.write(FetchStream.hello("").array());
        return out;
    }

    /** The next response frame, checked to answer {@code correlation} with {@code status}: what follows the status. */
    private static ByteBuffer answer(DataInputStream in, int correlation, byte status) throws IOException {
        byte[] frame = new byte[in.readInt()];
        in.readFully(frame);
        ByteBuffer answer = ByteBuffer.wrap(frame);
        assertThat(answer.getInt()).isEqualTo(correlation);
        assertThat(answer.get()).isEqualTo(status);
        return answer.slice();
    }

    /** The node's answer to a hello it admits: correlation 0, OK. */
    /**
     * The node closed the connection: an end of stream, or a reset — a socket closed with bytes it had not read yet
     * (here the oversized frame's, which arrive in segments of their own) is reset rather than ended, by the kernel.
     */
    private static void assertClosedByTheNode(DataInputStream in) throws IOException {
        int next;
        try {
            next = in.read();
        } catch (SocketException e) {
            assertThat(e.getMessage()).as("the node closed the connection").contains("Connection reset");
            return;
        }
        assertThat(next).as("the node closed the connection").isEqualTo(-1);
    }

    private static void assertAdmitted(DataInputStream in) throws IOException {
        assertThat(in.readInt()).isEqualTo(5);
        assertThat(in.readInt()).isZero();
        assertThat(in.readByte()).isEqualTo(FetchStream.OK);
    }

    private void start(ClusterAdmission admission) throws IOException {
        PartitionState state = new PartitionState(0, List.of(1), 1, List.of(1), 3, 1);
        start(admission, new LeaderNode(dataDir, 1, new TopicMetadata(TP.topic(), "id-1", 1, Map.of(), List.of(state))));
    }

    /** Node 1 leads the partition, node 2 follows it in the ISR: the high watermark waits for node 2's fetches. */
    private void startFollowed() throws IOException {
        startFollowed(ClusterAdmission.open());
    }

    private void startFollowed(ClusterAdmission admission) throws IOException {
        PartitionState state = new PartitionState(0, List.of(1, FOLLOWER), 1, List.of(1, FOLLOWER), 3, 1);
        start(admission, new LeaderNode(dataDir, 2, new TopicMetadata(TP.topic(), "id-1", 1, Map.of(),
                List.of(state))));
    }

    private void start(ClusterAdmission admission, LeaderNode leader) {
        node = leader;
        loops = LoopResources.create("fetch-stream-test", 1, true);
        FetchStreamPort port = new FetchStreamPort(node.fetches, node.produces, admission, streams);
        InternalRoutes routes = new InternalRoutes(admission, JsonMapper.builder().build());
        server = HttpServer.create().host("127.0.0.1").port(0).runOn(loops)
                .doOnChannelInit((observer, channel, remote) -> port.install(channel))
                .route(r -> r.post(PartitionPaths.FETCH, routes.post(FetchRequestCodec.CONTENT_TYPE,
                                FetchRoutes.MAX_REQUEST_BYTES, FetchRoutes.consumer(node.fetches)))
                        .post(ReplicationPaths.REPLICA_FETCH, routes.post(ReplicaFetchRequestCodec.CONTENT_TYPE,
                                FetchRoutes.MAX_REQUEST_BYTES, FetchRoutes.replica(node.fetches)))
                        .post(PartitionPaths.PRODUCE, routes.post(ProduceRequestCodec.CONTENT_TYPE, 64 << 20,
                                new ProduceRoute(node.produces, TestPartitionProperties.of(1, dataDir))))
                        .get("/ping", (request, response) -> response.sendString(Mono.just("pong"))))
                .bindNow();
    }

    private FetchStreamClient client(String secret) {
        return client(secret, Duration.ofSeconds(5));
    }

    private FetchStreamClient client(String secret, Duration callTimeout) {
        return client(secret, callTimeout, (http, settings, registry) ->
                new FetchStreamClient(new PartitionDataClient(http), settings, secret, registry));
    }

    private ReplicationStreamClient replicationClient(String secret) {
        return client(secret, Duration.ofSeconds(5), (http, settings, registry) ->
                new ReplicationStreamClient(new ReplicationClient(http), settings, secret, registry));
    }

    /** A stream client over its HTTP client, both closed after the test, its meters in {@link #meters}. */
    private <C extends AutoCloseable> C client(String secret, Duration callTimeout, ClientFactory<C> factory) {
        InternalClientSettings settings = InternalClientSettings.defaults().withCallTimeout(callTimeout);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        InternalHttp http = new InternalHttp(settings, registry, secret, null);
        C client = factory.create(http, settings, registry);
        meters.put(client, registry);
        closing.add(http);
        closing.add(client);
        return client;
    }

    @FunctionalInterface
    private interface ClientFactory<C> {
        C create(InternalHttp http, InternalClientSettings settings, SimpleMeterRegistry registry);
    }

    private NodeInfo leader() {
        return new NodeInfo(1, "http://127.0.0.1:" + server.port(), null, NodeStatus.ALIVE);
    }

    private static FetchRequest request(long offset, long maxWaitMs) {
        return new FetchRequest(maxWaitMs, 1, 1 << 20, List.of(new FetchRequest.Partition(TP.topic(), TP.partition(),
                offset, 1 << 20)));
    }

    private List<FetchedPartition> fetch(FetchStreamClient client, long offset, long maxWaitMs) {
        return client.fetch(leader(), request(offset, maxWaitMs)).block(Duration.ofSeconds(30));
    }

    /** Fetches until a fetch went over the stream (the first ones go over HTTP while it opens); that one's answer. */
    private List<FetchedPartition> fetchOnceStreamed(FetchStreamClient client, long offset)
            throws InterruptedException {
        return onceStreamed(client, () -> fetch(client, offset, 0));
    }

    /** Replica fetches until one went over the stream; that one's answer. */
    private List<FetchedPartition> replicaFetchOnceStreamed(ReplicationStreamClient client, long offset)
            throws InterruptedException {
        return onceStreamed(client, () -> replicaFetch(client, offset, 0));
    }

    private List<FetchedPartition> onceStreamed(Object client, Supplier<List<FetchedPartition>> fetch)
            throws InterruptedException {
        for (int i = 0; i < 1000; i++) {
            double before = streamed(client);
            List<FetchedPartition> answer = fetch.get();
            if (streamed(client) > before) {
                return answer;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no fetch went over the stream");
    }

    private double streamed(Object client) {
        return fetches(client, "stream");
    }

    private double overHttp(Object client) {
        return fetches(client, "http");
    }

    /** The client's fetches that went by {@code transport}, by its metric. */
    private double fetches(Object client, String transport) {
        String metric = client instanceof ReplicationStreamClient ? "sluice.replication.fetches"
                : "sluice.internal.fetches";
        return meters.get(client).get(metric).tag("transport", transport).counter().count();
    }

    /** The client's produces that went by {@code transport}, by its metric. */
    private double produces(FetchStreamClient client, String transport) {
        return meters.get(client).get("sluice.internal.produces").tag("transport", transport).counter().count();
    }

    /** One batch of {@code values} for the partition, routed by the leader's epoch. */
    private static PartitionBatches entry(String... values) {
        RecordBatchBuilder batch = RecordBatchBuilder.of(CompressionType.NONE);
        for (String value : values) {
            batch.append(System.currentTimeMillis(), null, value.getBytes(StandardCharsets.UTF_8));
        }
        return new PartitionBatches(TP, 3, batch.build());
    }

    private ProduceResponse.PartitionResult produce(FetchStreamClient client, Acks acks, String... values) {
        return client.produce(leader(), List.of(entry(values)), acks, Duration.ofSeconds(5))
                .block(Duration.ofSeconds(30)).partitions().getFirst();
    }

    private ProduceResponse.PartitionResult produceOnceStreamed(FetchStreamClient client, String... values)
            throws InterruptedException {
        return produceOnceStreamed(client, Acks.LEADER, values);
    }

    /**
     * Opens the client's produce stream with produces of no entries (which append nothing; the first ones go over
     * HTTP), then produces {@code values} on it.
     */
    private ProduceResponse.PartitionResult produceOnceStreamed(FetchStreamClient client, Acks acks, String... values)
            throws InterruptedException {
        for (int i = 0; i < 1000 && produces(client, "stream") == 0; i++) {
            assertThat(client.produce(leader(), List.of(), Acks.LEADER, Duration.ofSeconds(5))
                    .block(Duration.ofSeconds(30)).partitions()).isEmpty();
            Thread.sleep(10);
        }
        double streamed = produces(client, "stream");
        assertThat(streamed).as("a produce went over the stream").isPositive();
        ProduceResponse.PartitionResult answer = produce(client, acks, values);
        assertThat(produces(client, "stream")).isEqualTo(streamed + 1);
        return answer;
    }

    private static ReplicaFetchRequest replicaRequest(long offset, long maxWaitMs) {
        return new ReplicaFetchRequest(FOLLOWER, "follower-incarnation", maxWaitMs, 1 << 20,
                List.of(new ReplicaFetchRequest.Partition(TP.topic(), TP.partition(), offset, 3, 0, 0)));
    }

    private List<FetchedPartition> replicaFetch(ReplicationStreamClient client, long offset, long maxWaitMs) {
        return client.replicaFetch(leader(), replicaRequest(offset, maxWaitMs)).block(Duration.ofSeconds(30));
    }

    /** Appends one batch of {@code values} as the leader; the high watermark waits for the follower. */
    private void appendUncommitted(String... values) {
        RecordBatchBuilder batch = RecordBatchBuilder.of(CompressionType.NONE);
        for (String value : values) {
            batch.append(System.currentTimeMillis(), null, value.getBytes(StandardCharsets.UTF_8));
        }
        node.replicas.partition(TP).orElseThrow().appendAsLeader(batch.build(), 3, false);
    }

    private String ping() throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/ping"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
        }
    }

    /** Appends one batch of {@code values} and commits it (the high watermark moves to the log's end). */
    private void append(String... values) {
        RecordBatchBuilder batch = RecordBatchBuilder.of(CompressionType.NONE);
        for (String value : values) {
            batch.append(System.currentTimeMillis(), null, value.getBytes(StandardCharsets.UTF_8));
        }
        PartitionLog log = node.logs.log(TP).orElseThrow();
        log.appendAsLeader(batch.build(), 3);
        log.maybeIncrementHighWatermark(log.logEndOffset());
    }

    private static List<String> values(List<FetchedPartition> sections) {
        List<String> values = new ArrayList<>();
        for (FetchedPartition section : sections) {
            assertThat(section.error()).isNull();
            for (RecordBatch batch : BufferBatchIterator.batches(section.records().duplicate())) {
                for (Record record : batch.records()) {
                    values.add(new String(record.value(), StandardCharsets.UTF_8));
                }
            }
        }
        return values;
    }
}
