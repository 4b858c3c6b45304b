package io.sluice.bench.load;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.function.Consumer;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * An HTTP server on loopback standing in for the gateway in the generator's own tests: the test gives its routes,
 * answering as the gateway's resources do, and a run reaches it at {@link #url}. Closing it stops the server.
 */
final class LoopbackGateway implements AutoCloseable {

    private final DisposableServer server;

    private LoopbackGateway(DisposableServer server) {
        this.server = server;
    }

    static LoopbackGateway start(Consumer<? super HttpServerRoutes> routes) {
        return new LoopbackGateway(HttpServer.create().host("127.0.0.1").port(0).route(routes).bindNow());
    }

    /** The {@code --gateway} of a run against this server. */
    String url() {
        return "http://127.0.0.1:" + server.port();
    }

    /** A client of this server for a run of {@code options}. */
    static GatewayClient client(LoadOptions options) {
        return new GatewayClient(options.gateway(), Duration.ofSeconds(10), 1);
    }

    /** Where a run's progress lines go in a test: nowhere. */
    static PrintStream quiet() {
        return new PrintStream(OutputStream.nullOutputStream());
    }

    /** {@code {"name": topic, "partitions": [...]}} with these high watermarks, every partition led by node 1. */
    static String topic(String name, int... highWatermarks) {
        StringBuilder json = new StringBuilder("{\"name\":\"" + name + "\",\"partitions\":[");
        for (int p = 0; p < highWatermarks.length; p++) {
            json.append(p == 0 ? "" : ",").append("{\"partition\":").append(p)
                    .append(",\"leader\":1,\"log_start_offset\":0,\"high_watermark\":").append(highWatermarks[p])
                    .append('}');
        }
        return json.append("]}").toString();
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(5));
    }
}
