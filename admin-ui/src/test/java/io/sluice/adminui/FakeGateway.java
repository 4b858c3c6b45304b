package io.sluice.adminui;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A stand-in for the gateway in web-layer tests: answers canned JSON (or problems) by method and path, and records
 * every call, so a test can say both what a page shows and what the console asked for (or did not).
 */
final class FakeGateway implements AutoCloseable {

    /** One call as the gateway received it; {@code user} is the Basic user name it carried, if any. */
    record Call(String method, String pathAndQuery, String body, String user) {
    }

    private record Answer(int status, String contentType, String body) {
    }

    private final HttpServer server;
    private final Map<String, Function<Map<String, String>, Answer>> answers = new ConcurrentHashMap<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, String> users = new ConcurrentHashMap<>();

    FakeGateway() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            String[] basic = basic(exchange.getRequestHeaders().getFirst("Authorization"));
            calls.add(new Call(exchange.getRequestMethod(), query == null ? path : path + "?" + query, body,
                    basic == null ? null : basic[0]));
            Answer answer = !users.isEmpty() && (basic == null || !basic[1].equals(users.get(basic[0])))
                    ? new Answer(401, "application/problem+json",
                            problem(401, "SASL_AUTHENTICATION_FAILED", "Authentication failed"))
                    : answers.getOrDefault(exchange.getRequestMethod() + " " + path, params -> new Answer(404,
                            "application/problem+json", problem(404, "INVALID_REQUEST", "No route " + path)))
                    .apply(params(query));
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", answer.contentType());
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    FakeGateway json(String method, String path, String body) {
        return answer(method, path, 200, "application/json", body);
    }

    FakeGateway answer(String method, String path, int status, String contentType, String body) {
        answers.put(method + " " + path, params -> new Answer(status, contentType, body));
        return this;
    }

    /** JSON made from the query's parameters, e.g. a page of records from the {@code offset} asked for. */
    FakeGateway json(String method, String path, Function<Map<String, String>, String> byQuery) {
        answers.put(method + " " + path, params -> new Answer(200, "application/json", byQuery.apply(params)));
        return this;
    }

    /** From now on every call needs HTTP Basic credentials of a user added here, else it is answered 401. */
    FakeGateway user(String name, String password) {
        users.put(name, password);
        return this;
    }

    private static String[] basic(String authorization) {
        if (authorization == null || !authorization.startsWith("Basic ")) {
            return null;
        }
        String decoded = new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        return colon < 0 ? null : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
    }

    /** How many calls asked for this path, whatever their query. */
    long count(String method, String path) {
        return calls.stream().filter(c -> c.method().equals(method))
                .filter(c -> c.pathAndQuery().equals(path) || c.pathAndQuery().startsWith(path + "?")).count();
    }

    private static Map<String, String> params(String query) {
        Map<String, String> params = new HashMap<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                params.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    FakeGateway problem(String method, String path, int status, String errorCode, String detail) {
        return answer(method, path, status, "application/problem+json", problem(status, errorCode, detail));
    }

    List<Call> calls() {
        return List.copyOf(calls);
    }

    List<Call> calls(String method) {
        return calls.stream().filter(c -> c.method().equals(method)).toList();
    }

    void reset() {
        answers.clear();
        calls.clear();
        users.clear();
    }

    static String problem(int status, String code, String detail) {
        return """
                {"type":"about:blank","title":"Refused","status":%d,"detail":"%s","error_code":"%s","retriable":false}"""
                .formatted(status, detail.replace("\"", "\\\""), code);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
