package io.sluice.it;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An SSE group member client as its own process, so that a test can pause it (SIGSTOP) as a real client would be
 * paused: it opens {@code args[0]} and prints each event to stdout as one line, {@code type<TAB>id<TAB>data}, then
 * {@code end} when the stream ends. JDK classes only; {@link #start} runs it from the test classpath.
 */
public final class GroupSseClient {

    private GroupSseClient() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(args[0])).header("Accept", "text/event-stream").build();
        HttpResponse<java.io.InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        out.println("status\t" + response.statusCode() + "\t");
        try {
            SseEvents.read(response.body(), event -> out.println(event.type() + "\t"
                    + (event.id() == null ? "" : event.id()) + "\t" + event.data()));
        } catch (java.io.IOException e) {
            out.println("lost\t\t" + e);
        }
        out.println("end\t\t");
    }

    /** Starts the client on {@code uri} with this JVM's java and the test classes; its stdout is the event lines. */
    static Process start(URI uri) throws java.io.IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path classes;
        try {
            classes = Path.of(GroupSseClient.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx64m", "-XX:+UseSerialGC", "-cp",
                classes.toString(), GroupSseClient.class.getName(), uri.toString()));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }
}
