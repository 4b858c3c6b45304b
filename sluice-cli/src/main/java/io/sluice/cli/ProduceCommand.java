package io.sluice.cli;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code sluice produce TOPIC [FILE...]}: one record per input line. Up to {@link #JSON_REQUEST_LINES} lines go in one
 * JSON request (all of them written or none); more, or {@code --stream}, go as one NDJSON stream, read and sent as
 * they come, each line answered on its own. {@code --idempotency-key} sends everything as one JSON request, which
 * the gateway writes once however often it is sent with that key.
 */
@Command(name = "produce", mixinStandardHelpOptions = true,
        description = {"Write records to a topic, one per line of standard input or of the FILEs. Empty lines are "
                + "skipped.",
                "Up to 1000 lines go in one request, written all or none; more lines (or --stream) are streamed as "
                        + "NDJSON, each answered on its own."})
final class ProduceCommand extends ClientCommand {

    static final int JSON_REQUEST_LINES = 1000;

    @Parameters(index = "0", paramLabel = "TOPIC")
    String topic;

    @Parameters(index = "1..*", paramLabel = "FILE", description = "Files to read instead of standard input.")
    List<Path> files = new ArrayList<>();

    @Option(names = {"-K", "--key-separator"}, paramLabel = "SEP",
            description = "Each line is KEY SEP VALUE, split at the first SEP (a line without one has no key).")
    String keySeparator;

    @Option(names = "--key-format", paramLabel = "FORMAT", defaultValue = "string",
            description = "string, json or binary (base64) (default: ${DEFAULT-VALUE}).")
    RecordFormat keyFormat;

    @Option(names = "--value-format", paramLabel = "FORMAT", defaultValue = "string",
            description = "string, json or binary (base64) (default: ${DEFAULT-VALUE}).")
    RecordFormat valueFormat;

    @Option(names = {"-H", "--header"}, paramLabel = "NAME=VALUE", description = "A header on every record; repeatable.")
    Map<String, String> headers = new LinkedHashMap<>();

    @Option(names = {"-p", "--partition"}, paramLabel = "N",
            description = "Write every record to this partition (default: by key, else one partition per request).")
    Integer partition;

    @Option(names = "--acks", paramLabel = "ACKS", description = "0, 1 or all (default: the gateway's, all).")
    String acks;

    @Option(names = "--timeout-ms", paramLabel = "MS", description = "How long the gateway may take per request.")
    Integer timeoutMs;

    @Option(names = "--idempotency-key", paramLabel = "KEY",
            description = "Send all lines as one request under this key: sent again with the same key and input, "
                    + "it is answered with the first offsets and nothing is written twice.")
    String idempotencyKey;

    @Option(names = "--stream", description = "Stream the lines as NDJSON, whatever their number (for a pipe that "
            + "keeps writing).")
    boolean stream;

    @Option(names = "--progress", description = "Print a progress line to standard error every second.")
    boolean progress;

    @Override
    int run(Gateway gateway) throws IOException {
        if (idempotencyKey != null && stream) {
            throw usage("--idempotency-key needs one request; it does not go with --stream");
        }
        ProduceInput input = new ProduceInput(keySeparator, keyFormat, valueFormat, headers, partition);
        try (Lines lines = new Lines(files, SluiceCli.stdin(spec))) {
            List<ObjectNode> first = new ArrayList<>();
            int limit = idempotencyKey != null ? Integer.MAX_VALUE : stream ? 0 : JSON_REQUEST_LINES;
            while (first.size() < limit && lines.hasNext()) {
                String line = lines.next();
                first.add(input.record(line, lines.where()));
            }
            Results results = new Results();
            if (!lines.hasNext()) {
                if (first.isEmpty()) {
                    err().println("No input lines: nothing produced");
                    return ExitCode.OK;
                }
                produceJson(gateway, first, lines, results);
            } else {
                produceStream(gateway, first, lines, input, results);
            }
            return results.report();
        }
    }

    private Query query() {
        return Query.of().add("acks", acks).add("timeout_ms", timeoutMs);
    }

    private void produceJson(Gateway gateway, List<ObjectNode> records, Lines lines, Results results) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("key_format", keyFormat.name());
        body.put("value_format", valueFormat.name());
        ArrayNode array = body.putArray("records");
        records.forEach(array::add);
        JsonNode answer = gateway.send("POST", path("/v1/topics", topic, "records"), query(), body, idempotencyKey);
        int i = 0;
        for (JsonNode result : answer.path("results")) {
            results.add(result, lines.whereOf(i++));
        }
        if (progress) {
            // One request has no progress to show while it runs; its line is the total, as a stream's ends.
            new Progress(err(), "produced").done(results.written);
        }
    }

    private void produceStream(Gateway gateway, List<ObjectNode> first, Lines lines, ProduceInput input,
                               Results results) throws IOException {
        InputException[] badLine = new InputException[1];
        // Runs on the HTTP client's thread as it sends. A line that cannot be a record ends the stream there (the
        // lines before it are written) and is reported once the answers are read.
        Iterator<byte[]> ndjson = new Iterator<>() {
            private int sent;
            private ObjectNode next;

            @Override
            public boolean hasNext() {
                if (next == null && badLine[0] == null) {
                    try {
                        if (sent < first.size()) {
                            next = first.get(sent);
                        } else if (lines.hasNext()) {
                            next = input.record(lines.next(), lines.where());
                        }
                    } catch (InputException e) {
                        badLine[0] = e;
                    }
                }
                return next != null;
            }

            @Override
            public byte[] next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                ObjectNode record = next;
                next = null;
                sent++;
                byte[] json = Json.MAPPER.writeValueAsBytes(record);
                byte[] line = new byte[json.length + 1];
                System.arraycopy(json, 0, line, 0, json.length);
                line[json.length] = '\n';
                return line;
            }
        };
        Query query = query().add("key_format", keyFormat.name()).add("value_format", valueFormat.name());
        try (InputStream answer = gateway.stream("POST", path("/v1/topics", topic, "records"), query,
                "application/x-ndjson", "application/x-ndjson",
                BodyPublishers.ofInputStream(() -> new IteratorInputStream(ndjson)));
             BufferedReader reader = new BufferedReader(new InputStreamReader(answer, StandardCharsets.UTF_8))) {
            Progress meter = progress ? new Progress(err(), "produced") : null;
            String line;
            int i = 0;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                results.add(Json.MAPPER.readTree(line), lines.whereOf(i++));
                if (meter != null) {
                    meter.update(results.written);
                }
            }
            if (meter != null) {
                meter.done(results.written);
            }
        }
        if (badLine[0] != null) {
            results.report();
            throw badLine[0];
        }
    }

    /** What came back: offsets per partition for the summary, failures as they are reported. */
    private final class Results {

        private final Map<Integer, long[]> offsets = new TreeMap<>();
        private long written;
        private long failed;
        private boolean allRetriable = true;

        void add(JsonNode result, String where) {
            if (output() == Output.json) {
                out().println(Json.compact(result));
            }
            if (result.has("error_code")) {
                failed++;
                allRetriable &= result.path("retriable").asBoolean(false);
                err().println(where + ": " + result.path("error_code").asString() + ": "
                        + result.path("detail").asString(""));
                return;
            }
            written++;
            if (result.has("offset")) {
                long offset = result.path("offset").asLong();
                offsets.merge(result.path("partition").asInt(), new long[] {offset, offset},
                        (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
            }
        }

        int report() {
            if (output() == Output.table) {
                List<String> ranges = new ArrayList<>();
                offsets.forEach((p, range) -> ranges.add("partition " + p + (range[0] == range[1]
                        ? " offset " + range[0] : " offsets " + range[0] + "-" + range[1])));
                if ("0".equals(acks)) {
                    // acks=0 answers only the partition: nothing says the records were written.
                    out().printf("Sent %d record%s to %s (acks=0: not confirmed)%n", written, written == 1 ? "" : "s",
                            topic);
                } else {
                    out().printf("Produced %d record%s to %s%s%n", written, written == 1 ? "" : "s", topic,
                            ranges.isEmpty() ? "" : ": " + String.join(", ", ranges));
                }
            }
            out().flush();
            err().flush();
            if (failed == 0) {
                return ExitCode.OK;
            }
            err().printf("%d record%s not written%n", failed, failed == 1 ? "" : "s");
            return allRetriable ? ExitCode.RETRIABLE : ExitCode.REFUSED;
        }
    }

    /**
     * The non-empty lines of the files in turn (standard input without files), with where each came from. Read by the
     * HTTP client's thread while a stream is sent and asked for origins by the command's: synchronized.
     */
    static final class Lines implements Iterator<String>, AutoCloseable {

        private final List<Path> files;
        private final InputStream stdin;
        private final List<String> origins = new ArrayList<>();
        private final List<Integer> lineNumbers = new ArrayList<>();
        private int file = -1;
        private BufferedReader reader;
        private int lineNumber;
        private String next;

        Lines(List<Path> files, InputStream stdin) {
            this.files = files;
            this.stdin = stdin;
        }

        @Override
        public synchronized boolean hasNext() {
            try {
                while (next == null) {
                    if (reader == null && !open()) {
                        return false;
                    }
                    String line = reader.readLine();
                    if (line == null) {
                        if (!files.isEmpty()) {
                            reader.close();
                        }
                        reader = null;
                        continue;
                    }
                    lineNumber++;
                    if (!line.isEmpty()) {
                        next = line;
                        origins.add(files.isEmpty() ? "stdin" : files.get(file).toString());
                        lineNumbers.add(lineNumber);
                    }
                }
                return true;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private boolean open() throws IOException {
            if (files.isEmpty()) {
                if (file >= 0) {
                    return false;
                }
                file = 0;
                reader = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
            } else {
                if (++file >= files.size()) {
                    return false;
                }
                Path path = files.get(file);
                if (!Files.isReadable(path)) {
                    throw new InputException("Cannot read " + path);
                }
                reader = Files.newBufferedReader(path, StandardCharsets.UTF_8);
            }
            lineNumber = 0;
            return true;
        }

        @Override
        public synchronized String next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            String line = next;
            next = null;
            return line;
        }

        /** Where the line last returned by {@link #next} came from: {@code file:line}. */
        synchronized String where() {
            return whereOf(origins.size() - 1);
        }

        /** Where the i-th line (from 0) came from. */
        synchronized String whereOf(int i) {
            return i < origins.size() ? origins.get(i) + ":" + lineNumbers.get(i) : "record " + (i + 1);
        }

        @Override
        public void close() throws IOException {
            if (reader != null && !files.isEmpty()) {
                reader.close();
            }
        }
    }

    /** The bytes of an iterator's chunks, one after the other. */
    private static final class IteratorInputStream extends InputStream {

        private final Iterator<byte[]> chunks;
        private InputStream current = new ByteArrayInputStream(new byte[0]);

        IteratorInputStream(Iterator<byte[]> chunks) {
            this.chunks = chunks;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            while (true) {
                int read = current.read(buffer, offset, length);
                if (read > 0) {
                    return read;
                }
                if (!chunks.hasNext()) {
                    return -1;
                }
                current = new ByteArrayInputStream(chunks.next());
            }
        }
    }
}
