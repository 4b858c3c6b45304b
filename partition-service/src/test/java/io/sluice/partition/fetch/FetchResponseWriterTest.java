package io.sluice.partition.fetch;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.sluice.internal.partition.FetchResponseCodec.FetchedPartition;
import io.sluice.internal.partition.FetchResponseCodec;
import io.sluice.log.FileRegion;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.TopicPartition;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

/**
 * Fetch responses written by {@link FetchResponseWriter} on a Reactor Netty server (one event loop, sections read on
 * a separate "log" scheduler as {@code FetchService} does), read by the JDK client over one keep-alive connection. A recorder at the socket end of each connection's pipeline sees what the
 * transport is given to write.
 */
class FetchResponseWriterTest {

    private static final int MULTI_MB = 6 * 1024 * 1024;

    @TempDir
    Path dir;

    private final List<Written> wire = new CopyOnWriteArrayList<>();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final Set<Thread> serverThreads = ConcurrentHashMap.newKeySet();
    private final List<FileChannel> channels = new ArrayList<>();
    private LoopResources loops;
    private Scheduler logScheduler;
    private DisposableServer server;
    private HttpClient client;

    @BeforeEach
    void start() {
        loops = LoopResources.create("fetch-test", 1, true);
        logScheduler = Schedulers.newSingle("fetch-test-log");
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterEach
    void stop() throws IOException {
        client.shutdownNow(); // close() would wait for an exchange left hanging by a failed test
        if (server != null) {
            server.disposeNow();
        }
        loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block();
        logScheduler.dispose();
        for (FileChannel channel : channels) {
            channel.close();
        }
    }

    @ParameterizedTest(name = "native transport: {0}")
    @ValueSource(booleans = {true, false})
    void recordsGoFromSegmentFilesToTheSocketAsFileRegionsOverKeepAlive(boolean nativeTransport) throws Exception {
        FileChannel small = segment("small", 64 * 1024);
        FileChannel large = segment("large", MULTI_MB + 4096);
        List<FetchSection> sections = List.of(
                section("orders", 0, new FileRegion(small, 17, 1000)),
                section("orders", 1, FileRegion.empty()),
                failed("orders", 2, ErrorCode.NOT_LEADER),
                section("clicks", 0, new FileRegion(large, 4096, MULTI_MB)),
                section("orders", 3, new FileRegion(small, 5000, 3333)));
        serve(() -> sections, nativeTransport, UnaryOperator.identity());

        assertBody(fetch(), sections);
        assertBody(fetch(), sections);

        if (nativeTransport && Epoll.isAvailable()) {
            assertThat(server.channel()).isInstanceOf(EpollServerSocketChannel.class);
        }
        assertThat(fileRegionsWritten()).containsExactly(1000L, (long) MULTI_MB, 3333L, 1000L, (long) MULTI_MB, 3333L);
        assertThat(wire).filteredOn(Written::fileRegion).extracting(Written::type).containsOnly(SegmentFileRegion.class);
        assertThat(byteBufBytesWritten()).as("HTTP heads, counts and partition headers only").isLessThan(2048);
        assertThat(connections).hasValue(1);
        assertThat(errors).isEmpty();
        assertThat(small.isOpen()).isTrue();
        assertThat(large.isOpen()).isTrue();
    }

    @Test
    void responsesWithoutRecordsAreTheCountAndHeadersAlone() throws Exception {
        List<List<FetchSection>> responses = List.of(List.of(),
                List.of(section("orders", 0, FileRegion.empty()), failed("orders", 1, ErrorCode.OFFSET_OUT_OF_RANGE)));
        AtomicInteger next = new AtomicInteger();
        serve(() -> responses.get(next.getAndIncrement()), true, UnaryOperator.identity());

        HttpResponse<byte[]> none = fetch();
        assertBody(none, responses.get(0));
        assertBody(fetch(), responses.get(1));

        assertThat(none.body()).containsExactly(0, 0, 0, 0);
        assertThat(fileRegionsWritten()).isEmpty();
        assertThat(connections).hasValue(1);
        assertThat(errors).isEmpty();
    }

    @Test
    void aCompressingServerGetsTheRecordsAsBytesToCompress() throws Exception {
        FileChannel segment = segment("segment", 64 * 1024);
        List<FetchSection> sections = List.of(section("orders", 0, new FileRegion(segment, 10, 20_000)));
        serve(() -> sections, true, http -> http.compress(true));

        HttpResponse<byte[]> response = fetchGzipped();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-encoding")).hasValue("gzip");
        assertThat(gunzip(response.body())).isEqualTo(expectedBody(sections));
        assertThat(fileRegionsWritten()).isEmpty();
        assertThat(errors).isEmpty();
    }

    // Heap allocated by the server's threads (event loop and log scheduler) while one warm fetch of a multi-MB
    // region is served: the zero-copy path allocates a small fraction of the region, the heap copy all of it.

    @Test
    void zeroCopyAllocatesNoHeapForTheRecords() throws Exception {
        long allocated = serverHeapAllocatedByOneWarmFetch(false);

        // An eighth: the heap copy allocates the whole region (the test below); what the zero-copy path allocates
        // (headers, pooled buffers' bookkeeping, a JIT or class-loading blip) measured 0.25–0.4 MB on a busy machine.
        assertThat(allocated).isLessThan(MULTI_MB / 8);
    }

    @Test
    void theHeapCopyAllocatesTheRecordsOnTheHeap() throws Exception {
        long allocated = serverHeapAllocatedByOneWarmFetch(true);

        assertThat(allocated).isGreaterThanOrEqualTo(MULTI_MB);
    }

    /** With {@code compressed}, the server compresses the response, so the records must go through the heap. */
    private long serverHeapAllocatedByOneWarmFetch(boolean compressed) throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        FileChannel segment = segment("segment", MULTI_MB);
        List<FetchSection> sections = List.of(section("orders", 0, new FileRegion(segment, 0, MULTI_MB)));
        serve(() -> sections, true, compressed ? http -> http.compress(true) : UnaryOperator.identity());
        byte[] expected = expectedBody(sections);
        // loads classes and warms the pools, on the very threads measured below
        assertThat(compressed ? gunzip(fetchGzipped().body()) : fetch().body()).isEqualTo(expected);

        long[] ids = serverThreads.stream().mapToLong(Thread::threadId).toArray();
        long before = Arrays.stream(threads.getThreadAllocatedBytes(ids)).sum();
        assertThat(compressed ? gunzip(fetchGzipped().body()) : fetch().body()).isEqualTo(expected);
        long after = Arrays.stream(threads.getThreadAllocatedBytes(ids)).sum();

        assertThat(serverThreads).hasSize(2);
        assertThat(errors).isEmpty();
        return after - before;
    }

    private void serve(Supplier<List<FetchSection>> sections, boolean nativeTransport, UnaryOperator<HttpServer> tune) {
        server = tune.apply(HttpServer.create().host("127.0.0.1").port(0).runOn(loops, nativeTransport))
                .doOnChannelInit((observer, channel, address) -> {
                    connections.incrementAndGet();
                    channel.pipeline().addFirst(new WireRecorder());
                })
                .handle((request, response) -> Mono.fromCallable(() -> {
                            serverThreads.add(Thread.currentThread());
                            return sections.get();
                        })
                        .subscribeOn(logScheduler)
                        .flatMap(read -> FetchResponseWriter.write(response, read))
                        .doOnError(errors::add))
                .bindNow();
    }

    private HttpResponse<byte[]> fetch() throws Exception {
        return client.sendAsync(request().build(), HttpResponse.BodyHandlers.ofByteArray()).get(60, SECONDS);
    }

    private HttpResponse<byte[]> fetchGzipped() throws Exception {
        return client.sendAsync(request().header("Accept-Encoding", "gzip").build(),
                HttpResponse.BodyHandlers.ofByteArray()).get(60, SECONDS);
    }

    private HttpRequest.Builder request() {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/internal/fetch"))
                .POST(HttpRequest.BodyPublishers.noBody());
    }

    private static void assertBody(HttpResponse<byte[]> response, List<FetchSection> sections) throws IOException {
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue(FetchResponseCodec.CONTENT_TYPE);
        assertThat(response.headers().firstValueAsLong("content-length")).hasValue(response.body().length);
        assertThat(response.headers().firstValue("transfer-encoding")).isEmpty();
        byte[] expected = expectedBody(sections);
        assertThat(Arrays.mismatch(response.body(), expected)).as("first differing byte").isEqualTo(-1);
        List<FetchedPartition> decoded = FetchResponseCodec.decode(ByteBuffer.wrap(response.body()));
        assertThat(decoded).hasSize(sections.size());
        for (int i = 0; i < sections.size(); i++) {
            assertThat(decoded.get(i).records()).isEqualTo(sections.get(i).records().isEmpty()
                    ? ByteBuffer.allocate(0) : sections.get(i).records().load());
        }
    }

    private static byte[] expectedBody(List<FetchSection> sections) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(FetchResponseCodec.count(sections.size()).array());
        for (FetchSection section : sections) {
            out.write(bytes(section.header().duplicate()));
            if (!section.records().isEmpty()) {
                out.write(bytes(section.records().load()));
            }
        }
        return out.toByteArray();
    }

    private FileChannel segment(String name, int size) throws IOException {
        byte[] bytes = new byte[size];
        new Random(name.hashCode()).nextBytes(bytes);
        Path file = Files.write(dir.resolve(name + ".log"), bytes);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        channels.add(channel);
        return channel;
    }

    private static FetchSection section(String topic, int partition, FileRegion records) {
        return new FetchSection(topic, FetchResponseCodec.header(new TopicPartition(topic, partition), null, 42, 3,
                45, records.length()), records, 3);
    }

    private static FetchSection failed(String topic, int partition, ErrorCode error) {
        return new FetchSection(topic, FetchResponseCodec.header(new TopicPartition(topic, partition), error, -1, -1,
                -1, 0), FileRegion.empty(), 0);
    }

    private List<Long> fileRegionsWritten() {
        return wire.stream().filter(Written::fileRegion).map(Written::bytes).toList();
    }

    private long byteBufBytesWritten() {
        return wire.stream().filter(w -> !w.fileRegion()).mapToLong(Written::bytes).sum();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    private static byte[] gunzip(byte[] gzipped) {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gzipped))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One message handed to the transport: its class and size. */
    private record Written(Class<?> type, long bytes, boolean fileRegion) {
    }

    /** First in the pipeline, so last before the socket: records every message the transport is asked to write. */
    private final class WireRecorder extends ChannelOutboundHandlerAdapter {

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            serverThreads.add(Thread.currentThread());
            if (msg instanceof io.netty.channel.FileRegion region) {
                wire.add(new Written(msg.getClass(), region.count(), true));
            } else if (msg instanceof ByteBuf buffer) {
                wire.add(new Written(msg.getClass(), buffer.readableBytes(), false));
            }
            super.write(ctx, msg, promise);
        }
    }
}
