package io.sluice.gateway.produce;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.sluice.security.SecurityProperties;
import io.sluice.web.ProblemHandler;
import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.reactor.netty.NettyRouteProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.json.ProblemDetailJacksonMixin;
import org.springframework.http.support.Netty4HeadersAdapter;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * The API's most frequent request — {@code POST /v1/topics/{topic}/records} with a JSON body and no
 * {@code Idempotency-Key} — served on Reactor Netty's own routes, ahead of WebFlux, while no WebFilter has anything to
 * do with it: security off and no CORS origins. Run PF5 put the gateway at 120–133 µs of CPU per one-record request
 * against Reactor Netty's 21–23, the difference spread over WebFlux's layers (dispatch, routing, exchange and header
 * wrappers, codecs, the server observation); this route skips them and nothing else.
 *
 * <p>It runs the same steps as the WebFlux route ({@link JsonProduce}: parameters, body limit, records, answer) and
 * answers the same status, headers and body, problems included, so a client cannot tell which route served it; every
 * other request to the path (NDJSON, an Idempotency-Key, a topic name that is percent-encoded, another content type)
 * and every request while security or CORS is on goes to WebFlux as before. What WebFlux's observation records for the
 * route, the {@code http.server.requests} timer with the same tags, is recorded here; the active-requests gauge is not.
 */
@Configuration(proxyBeanMethods = false)
class DirectJsonProduceRoute {

    /** The path with a topic name that needs no decoding: Kafka's legal characters. */
    private static final Pattern PATH = Pattern.compile("/v1/topics/([A-Za-z0-9._-]+)/records");
    /** Query parameters as WebFlux splits them ({@code AbstractServerHttpRequest}). */
    private static final Pattern QUERY_PARAMETER = Pattern.compile("([^&=]+)(=?)([^&]+)?");

    @Bean
    NettyRouteProvider directJsonProduce(JsonProduce steps, ProblemHandler problems, JsonMapper json,
                                         SecurityProperties security, MeterRegistry meters) {
        if (!applies(security)) {
            return routes -> routes;
        }
        Route route = new Route(steps, problems, json, meters);
        return routes -> routes.route(request -> served(request.method().name(), request.uri(),
                request.requestHeaders()), route::handle);
    }

    /** Whether the route is on: not while authentication, ACLs, quotas, audit or CORS need WebFlux's filters. */
    static boolean applies(SecurityProperties security) {
        return !security.enabled() && security.cors().allowedOrigins().isEmpty();
    }

    /** Whether this route serves a request; WebFlux serves it otherwise. */
    static boolean served(String method, String uri, io.netty.handler.codec.http.HttpHeaders headers) {
        if (!"POST".equals(method) || headers.contains(IdempotencyKey.HEADER)) {
            return false;
        }
        String type = headers.get(HttpHeaderNames.CONTENT_TYPE);
        try {
            if (type == null || !MediaType.APPLICATION_JSON.includes(MediaType.parseMediaType(type))) {
                return false;
            }
        } catch (InvalidMediaTypeException e) {
            return false;
        }
        return PATH.matcher(path(uri)).matches();
    }

    private static String path(String uri) {
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }

    /** The query's parameters, split and decoded as WebFlux does: a name without {@code =} has a null value. */
    static MultiValueMap<String, String> query(String uri) {
        MultiValueMap<String, String> parameters = new LinkedMultiValueMap<>();
        int start = uri.indexOf('?');
        if (start < 0) {
            return parameters;
        }
        Matcher matcher = QUERY_PARAMETER.matcher(uri.substring(start + 1));
        while (matcher.find()) {
            String name = URLDecoder.decode(matcher.group(1), StandardCharsets.UTF_8);
            String value = matcher.group(3);
            parameters.add(name, value != null ? URLDecoder.decode(value, StandardCharsets.UTF_8)
                    : (matcher.group(2).isEmpty() ? null : ""));
        }
        return parameters;
    }

    private static final class Route {

        private final JsonProduce steps;
        private final ProblemHandler problems;
        private final JsonMapper json;
        private final MeterRegistry meters;
        private final Map<Integer, Timer> timers = new ConcurrentHashMap<>();

        Route(JsonProduce steps, ProblemHandler problems, JsonMapper json, MeterRegistry meters) {
            this.steps = steps;
            this.problems = problems;
            // Problems written as WebFlux's Jackson encoder writes them: with Spring's own mix-in for ProblemDetail.
            this.json = json.rebuild().addMixIn(ProblemDetail.class, ProblemDetailJacksonMixin.class).build();
            this.meters = meters;
        }

        Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
            long started = System.nanoTime();
            return Mono.defer(() -> {
                        Matcher path = PATH.matcher(path(request.uri()));
                        String topic = path.matches() ? path.group(1) : "";
                        ProduceRequest given = steps.parameters(query(request.uri()),
                                new HttpHeaders(new Netty4HeadersAdapter(request.requestHeaders())));
                        String declared = request.requestHeaders().get(HttpHeaderNames.CONTENT_LENGTH);
                        long length = declared == null ? -1 : Long.parseLong(declared.trim());
                        if (length > steps.maxBodyBytes()) {
                            return Mono.error(steps.declaredTooLarge(length));
                        }
                        return body(request).flatMap(bytes -> steps.write(topic, given, bytes))
                                .<ResponseEntity<?>>map(JsonProduce::answer);
                    })
                    .onErrorResume(error -> Mono.just(problems.problem(error)))
                    .flatMap(entity -> send(response, entity, started));
        }

        /** The whole body, refused once it passes the limit (a chunked body has no Content-Length to refuse first). */
        private Mono<byte[]> body(HttpServerRequest request) {
            long limit = steps.maxBodyBytes();
            return request.receive()
                    .collect(ByteArrayOutputStream::new, (out, chunk) -> append(out, chunk, limit))
                    .flatMap(out -> out.size() == 0 ? Mono.error(JsonProduce.noBody()) : Mono.just(out.toByteArray()));
        }

        private void append(ByteArrayOutputStream out, ByteBuf chunk, long limit) {
            if (out.size() + (long) chunk.readableBytes() > limit) {
                throw steps.readTooLarge();
            }
            byte[] bytes = new byte[chunk.readableBytes()];
            chunk.readBytes(bytes);
            out.writeBytes(bytes);
        }

        private Mono<Void> send(HttpServerResponse response, ResponseEntity<?> entity, long started) {
            int status = entity.getStatusCode().value();
            byte[] body = json.writeValueAsBytes(entity.getBody());
            response.status(status);
            entity.getHeaders().forEach((name, values) -> response.responseHeaders().add(name, values));
            response.responseHeaders().set(HttpHeaders.CONTENT_LENGTH, body.length);
            return response.sendByteArray(Mono.just(body)).then()
                    .doFinally(signal -> timer(status).record(System.nanoTime() - started, TimeUnit.NANOSECONDS));
        }

        /** WebFlux's server observation of the route, with its tags. */
        private Timer timer(int status) {
            return timers.computeIfAbsent(status, s -> Timer.builder("http.server.requests")
                    .tags("error", "none", "exception", "none", "method", "POST", "uri", JsonProduceRoute.PATH,
                            "status", Integer.toString(s), "outcome", s >= 500 ? "SERVER_ERROR"
                                    : s >= 400 ? "CLIENT_ERROR" : s >= 300 ? "REDIRECTION" : "SUCCESS")
                    .register(meters));
        }
    }
}
