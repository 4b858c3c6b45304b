package io.sluice.bench.load;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The load generator's command line, parsed and checked: {@code MODE [--name value | --name=value | --flag]...}.
 * Every option has a default except {@code --topic}; options that a mode does not use are refused, so a typo or a
 * misplaced option never silently changes what is measured.
 *
 * @param mode              produce, consume, e2e or fanout
 * @param gateway           base URL of a gateway
 * @param topic             the topic to drive
 * @param createTopic       create the topic first (null: it must exist)
 * @param numRecords        records to produce (produce, e2e, fanout) or to read (consume; -1: what the topic holds
 *                          at start)
 * @param recordSize        value bytes per record (the payload)
 * @param valueFormat       how values travel in JSON: string (ASCII A-Z as they are) or binary (base64 of the same bytes)
 * @param recordsPerRequest records per JSON produce request, or per written chunk of an NDJSON stream
 * @param concurrency       produce: parallel requests (NDJSON: parallel streams); e2e: most produce requests in flight
 * @param acks              0, 1 or all
 * @param throughput        produce: target records/s over all workers, -1 unlimited
 * @param rate              e2e: records/s, 0 for one record in flight at a time (Kafka's EndToEndLatency); fanout:
 *                          records/s, > 0
 * @param ndjson            produce over one streaming NDJSON request per worker instead of JSON batches
 * @param ndjsonWindow      NDJSON: most records written but not yet answered, per stream
 * @param warmupRecords     produce and e2e: records sent first (e2e: at the rate, each awaited on the stream);
 *                          consume: records read first from the earliest offsets; all left out of every figure
 * @param timeoutMs         produce timeout_ms, HTTP timeouts, and how long a stalled consume or e2e waits
 * @param maxRecords        consume: max_records per read
 * @param maxBytes          consume: max_bytes per read
 * @param waitMs            consume: wait_ms of a read once a partition is caught up
 * @param readApi           consume: JSON reads (default), raw record-batch reads ({@code --raw}), or one SSE stream
 *                          of the whole topic ({@code --sse})
 * @param httpClients       produce: JDK HttpClient instances the workers share (each has its own selector thread)
 * @param reportIntervalMs  progress lines
 * @param subscribers       fanout: SSE streams of the topic opened side by side
 * @param metricsUrl        fanout: the gateway's Prometheus endpoint, read for its SSE fetch counters
 */
public record LoadOptions(Mode mode, URI gateway, String topic, TopicSpec createTopic, long numRecords, int recordSize,
                          ValueFormat valueFormat, int recordsPerRequest, int concurrency, String acks,
                          double throughput, double rate, boolean ndjson, int ndjsonWindow, long warmupRecords,
                          long timeoutMs, int maxRecords, int maxBytes, long waitMs, ReadApi readApi, int httpClients,
                          long reportIntervalMs, int subscribers, URI metricsUrl) {

    public enum Mode { PRODUCE, CONSUME, E2E, FANOUT }

    /** How consume reads: JSON pages, the stored v2 record batches as they are, or one SSE stream of the topic. */
    public enum ReadApi {
        JSON, RAW, SSE;

        String parameter() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    boolean sse() {
        return readApi == ReadApi.SSE;
    }

    /** Values as JSON strings: ASCII text as it is, or base64 of the bytes. Payload bytes are the same either way. */
    public enum ValueFormat {
        STRING, BINARY;

        public String parameter() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** {@code --create-topic PARTITIONS,RF[,MIN_INSYNC]}. {@code minInsync} 0: the topic default. */
    public record TopicSpec(int partitions, int replicationFactor, int minInsync) {

        static TopicSpec parse(String text) {
            String[] parts = text.split(",", -1);
            if (parts.length < 2 || parts.length > 3) {
                throw new UsageException("--create-topic takes PARTITIONS,RF[,MIN_INSYNC], was '" + text + "'");
            }
            int partitions = positiveInt("--create-topic partitions", parts[0].trim());
            int rf = positiveInt("--create-topic replication factor", parts[1].trim());
            int minInsync = parts.length == 3 ? positiveInt("--create-topic min.insync.replicas", parts[2].trim()) : 0;
            if (minInsync > rf) {
                throw new UsageException("--create-topic: min.insync.replicas " + minInsync + " exceeds RF " + rf);
            }
            return new TopicSpec(partitions, rf, minInsync);
        }

        @Override
        public String toString() {
            return partitions + "," + replicationFactor + (minInsync > 0 ? "," + minInsync : "");
        }
    }

    /** A command line that cannot be run; the message says why. */
    public static final class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message);
        }
    }

    private static final Set<String> COMMON = Set.of("gateway", "topic", "create-topic", "record-size", "value-format",
            "timeout-ms", "reporting-interval-ms", "num-records");
    private static final Map<Mode, Set<String>> MODE_OPTIONS = Map.of(
            Mode.PRODUCE, Set.of("records-per-request", "concurrency", "acks", "throughput", "ndjson", "ndjson-window",
                    "warmup-records", "http-clients"),
            Mode.CONSUME, Set.of("max-records", "max-bytes", "wait-ms", "sse", "raw", "warmup-records"),
            Mode.E2E, Set.of("rate", "concurrency", "acks", "warmup-records"),
            Mode.FANOUT, Set.of("subscribers", "rate", "acks", "metrics-url"));
    private static final Set<String> FLAGS = Set.of("ndjson", "sse", "raw");

    /** Parses {@code args}; throws {@link UsageException} for anything that cannot be run. */
    public static LoadOptions parse(String... args) {
        if (args.length == 0) {
            throw new UsageException("no mode given: produce, consume, e2e or fanout");
        }
        Mode mode = switch (args[0]) {
            case "produce" -> Mode.PRODUCE;
            case "consume" -> Mode.CONSUME;
            case "e2e" -> Mode.E2E;
            case "fanout" -> Mode.FANOUT;
            default -> throw new UsageException("unknown mode '" + args[0] + "': produce, consume, e2e or fanout");
        };
        Map<String, String> given = named(mode, List.of(args).subList(1, args.length));

        String topic = given.get("topic");
        if (topic == null || topic.isBlank()) {
            throw new UsageException("--topic is required");
        }
        URI gateway = gateway(given.getOrDefault("gateway", "http://127.0.0.1:8080"));
        TopicSpec create = given.containsKey("create-topic") ? TopicSpec.parse(given.get("create-topic")) : null;
        long defaultCount = switch (mode) {
            case PRODUCE -> 100_000;
            case CONSUME -> -1;
            case E2E -> 2_000;
            case FANOUT -> 3_000;
        };
        long numRecords = longValue(given, "num-records", defaultCount);
        if (numRecords == 0 || numRecords < -1 || (numRecords < 0 && mode != Mode.CONSUME)) {
            throw new UsageException("--num-records must be > 0" + (mode == Mode.CONSUME ? " or -1" : "")
                    + ", was " + numRecords);
        }
        int recordSize = intValue(given, "record-size", 1024);
        if (recordSize < 0) {
            throw new UsageException("--record-size must be >= 0, was " + recordSize);
        }
        ValueFormat format = switch (given.getOrDefault("value-format", "string")) {
            case "string" -> ValueFormat.STRING;
            case "binary" -> ValueFormat.BINARY;
            default -> throw new UsageException("--value-format must be string or binary, was '"
                    + given.get("value-format") + "'");
        };
        int recordsPerRequest = mode == Mode.PRODUCE ? positiveInt("--records-per-request",
                given.getOrDefault("records-per-request", "100")) : 1;
        int concurrency = positiveInt("--concurrency", given.getOrDefault("concurrency", mode == Mode.E2E ? "64" : "8"));
        String acks = given.getOrDefault("acks", "all");
        if (!Set.of("0", "1", "all", "-1").contains(acks)) {
            throw new UsageException("--acks must be 0, 1 or all, was '" + acks + "'");
        }
        acks = acks.equals("-1") ? "all" : acks;
        double throughput = doubleValue(given, "throughput", -1);
        if (throughput == 0 || (throughput < 0 && throughput != -1)) {
            throw new UsageException("--throughput must be > 0 records/s or -1 (unlimited), was " + given.get("throughput"));
        }
        double rate = doubleValue(given, "rate", mode == Mode.FANOUT ? 50 : 200);
        if (mode == Mode.FANOUT && rate <= 0) {
            throw new UsageException("--rate must be > 0 records/s in mode fanout, was " + rate);
        }
        if (rate < 0) {
            throw new UsageException("--rate must be >= 0 records/s (0: one record in flight), was " + rate);
        }
        boolean ndjson = given.containsKey("ndjson");
        int window = positiveInt("--ndjson-window", given.getOrDefault("ndjson-window",
                Integer.toString(Math.max(4 * recordsPerRequest, 1000))));
        if (window < recordsPerRequest) {
            throw new UsageException("--ndjson-window (" + window + ") must hold one chunk of --records-per-request ("
                    + recordsPerRequest + ")");
        }
        long warmup = longValue(given, "warmup-records", 0);
        if (warmup < 0) {
            throw new UsageException("--warmup-records must be >= 0, was " + warmup);
        }
        long timeoutMs = longValue(given, "timeout-ms", 30_000);
        if (timeoutMs <= 0) {
            throw new UsageException("--timeout-ms must be > 0, was " + timeoutMs);
        }
        int maxRecords = positiveInt("--max-records", given.getOrDefault("max-records", "1000"));
        int maxBytes = positiveInt("--max-bytes", given.getOrDefault("max-bytes", Integer.toString(1 << 20)));
        long waitMs = longValue(given, "wait-ms", 500);
        if (waitMs < 0) {
            throw new UsageException("--wait-ms must be >= 0, was " + waitMs);
        }
        if (given.containsKey("sse") && given.containsKey("raw")) {
            throw new UsageException("--sse and --raw exclude each other");
        }
        ReadApi readApi = given.containsKey("sse") ? ReadApi.SSE : given.containsKey("raw") ? ReadApi.RAW : ReadApi.JSON;
        int httpClients = positiveInt("--http-clients", given.getOrDefault("http-clients",
                Integer.toString(Math.min(concurrency, 4))));
        long interval = longValue(given, "reporting-interval-ms", 5_000);
        if (interval <= 0) {
            throw new UsageException("--reporting-interval-ms must be > 0, was " + interval);
        }
        int subscribers = positiveInt("--subscribers", given.getOrDefault("subscribers", "1000"));
        // The gateway serves actuator on its public port (no management.server.port in its application.yml).
        URI metricsUrl = metricsUrl(given.getOrDefault("metrics-url", gateway + "/actuator/prometheus"));
        return new LoadOptions(mode, gateway, topic, create, numRecords, recordSize, format, recordsPerRequest,
                concurrency, acks, throughput, rate, ndjson, window, warmup, timeoutMs, maxRecords, maxBytes, waitMs,
                readApi, httpClients, interval, subscribers, metricsUrl);
    }

    private static Map<String, String> named(Mode mode, List<String> args) {
        Map<String, String> given = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new UsageException("unexpected argument '" + arg + "'");
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (!COMMON.contains(name) && !MODE_OPTIONS.get(mode).contains(name)) {
                String option = name;
                boolean elsewhere = MODE_OPTIONS.values().stream().anyMatch(s -> s.contains(option));
                throw new UsageException("--" + name + (elsewhere ? " does not apply to mode "
                        + mode.name().toLowerCase(Locale.ROOT) : " is not an option") + " (see --help)");
            }
            if (FLAGS.contains(name)) {
                if (value != null) {
                    throw new UsageException("--" + name + " is a flag and takes no value");
                }
                value = "true";
            } else if (value == null) {
                if (i + 1 >= args.size()) {
                    throw new UsageException("--" + name + " needs a value");
                }
                value = args.get(++i);
            }
            if (given.put(name, value) != null) {
                throw new UsageException("--" + name + " is given twice");
            }
        }
        return given;
    }

    private static URI gateway(String text) {
        String url = text.contains("://") ? text : "http://" + text;
        URI uri;
        try {
            uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--gateway is not a URL: '" + text + "'");
        }
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new UsageException("--gateway must be an http://host:port URL, was '" + text + "'");
        }
        return uri;
    }

    private static URI metricsUrl(String text) {
        URI uri;
        try {
            uri = URI.create(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--metrics-url is not a URL: '" + text + "'");
        }
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new UsageException("--metrics-url must be an http:// URL, was '" + text + "'");
        }
        return uri;
    }

    private static int positiveInt(String name, String text) {
        int value;
        try {
            value = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new UsageException(name + " must be a whole number, was '" + text + "'");
        }
        if (value <= 0) {
            throw new UsageException(name + " must be > 0, was " + value);
        }
        return value;
    }

    private static int intValue(Map<String, String> given, String name, int fallback) {
        long value = longValue(given, name, fallback);
        if (value > Integer.MAX_VALUE || value < Integer.MIN_VALUE) {
            throw new UsageException("--" + name + " is too large: " + value);
        }
        return (int) value;
    }

    private static long longValue(Map<String, String> given, String name, long fallback) {
        String text = given.get(name);
        if (text == null) {
            return fallback;
        }
        try {
            return Long.parseLong(text.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a whole number, was '" + text + "'");
        }
    }

    private static double doubleValue(Map<String, String> given, String name, double fallback) {
        String text = given.get(name);
        if (text == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a number, was '" + text + "'");
        }
    }

    /** The effective settings as {@code name=value} pairs, for reports. */
    List<String> describe() {
        List<String> out = new ArrayList<>();
        out.add("gateway=" + gateway);
        out.add("topic=" + topic);
        if (createTopic != null) {
            out.add("create_topic=" + createTopic);
        }
        out.add("record_size=" + recordSize);
        out.add("value_format=" + valueFormat.parameter());
        switch (mode) {
            case PRODUCE -> {
                out.add("records_per_request=" + recordsPerRequest);
                out.add("concurrency=" + concurrency);
                out.add("acks=" + acks);
                out.add("throughput=" + (throughput < 0 ? "unlimited" : throughput));
                out.add("api=" + (ndjson ? "ndjson(window=" + ndjsonWindow + ")" : "json"));
            }
            case CONSUME -> {
                out.add("api=" + readApi.parameter());
                if (readApi != ReadApi.SSE) {
                    out.add("max_records=" + maxRecords);
                    out.add("max_bytes=" + maxBytes);
                }
            }
            case E2E -> {
                out.add("rate=" + (rate == 0 ? "one-in-flight" : rate));
                out.add("acks=" + acks);
                out.add("warmup_records=" + warmupRecords);
            }
            case FANOUT -> {
                out.add("subscribers=" + subscribers);
                out.add("rate=" + rate);
                out.add("acks=" + acks);
                out.add("metrics_url=" + metricsUrl);
            }
        }
        return out;
    }

    static final String USAGE = """
            usage: LoadGenerator MODE --topic NAME [options]
              java -cp sluice-bench/target/benchmarks.jar io.sluice.bench.load.LoadGenerator produce --topic t ...

            Drives a Sluice gateway over its public HTTP API and prints a report plus one machine-readable
            "RESULT mode=... key=value ..." line per run. MiB = 2^20 bytes; latencies in ms (HdrHistogram,
            3 significant digits). Values are random ASCII A-Z, like Kafka's ProducerPerformance; keys are null.

            modes:
              produce   POST /v1/topics/{t}/records, JSON batches (or --ndjson streams), closed loop
              consume   GET /v1/topics/{t}/partitions/{p}/records from the earliest offset, one reader per
                        partition (--raw: as stored record batches; --sse: one SSE stream of the whole topic)
              e2e       SSE stream at offset=latest + paced acks=all produce; send -> SSE delivery latency
              fanout    --subscribers SSE streams of the topic at offset=latest on one gateway + paced produce:
                        does every subscriber get every record, send -> delivery latency over all deliveries,
                        and the gateway's SSE fetches at leaders (its Prometheus counters) during the run

            common:
              --gateway URL             gateway base URL (default http://127.0.0.1:8080)
              --topic NAME              topic (required)
              --create-topic P,RF[,MIN] create it first: partitions, replication factor, min.insync.replicas
              --num-records N           produce: 100000; e2e: 2000; fanout: 3000;
                                        consume: -1 = what the topic holds at start
              --record-size BYTES       value bytes per record (default 1024)
              --value-format F          string (default: the ASCII text as a JSON string) | binary (base64)
              --timeout-ms MS           produce timeout_ms and HTTP timeouts; stall limit (default 30000)
              --reporting-interval-ms   progress lines (default 5000)
            produce:
              --records-per-request N   records per request, or per chunk of an NDJSON stream (default 100)
              --concurrency N           parallel in-flight requests / NDJSON streams (default 8)
              --acks 0|1|all            (default all)
              --throughput R            target records/s over all workers, -1 unlimited (default -1)
              --ndjson                  stream records as application/x-ndjson, one request per worker
              --ndjson-window N         records in flight per NDJSON stream (default max(4 x per-request, 1000))
              --warmup-records N        produce N records first, left out of every figure (default 0)
              --http-clients N          JDK HttpClients shared by the workers (default min(concurrency, 4))
            consume:
              --max-records N           max_records per read (default 1000)
              --max-bytes N             max_bytes per read (default 1048576)
              --wait-ms MS              long poll once a partition is caught up (default 500)
              --sse                     read one SSE stream of the whole topic instead
              --raw                     read the stored record batches (Accept: application/vnd.sluice.record-
                                        batch.v2) and decode them here, as a client of Kafka's format does
              --warmup-records N        read N records first, left out of every figure, then read from the
                                        earliest offsets again (default 0)
            e2e:
              --rate R                  records/s, one record per request (default 200);
                                        0 = one record in flight at a time, as Kafka's EndToEndLatency
              --concurrency N           most produce requests in flight (default 64)
              --acks 0|1|all            (default all)
              --warmup-records N        send N records first, as the run sends them, and await them on the
                                        stream; left out of every figure (default 0: the JVM starts cold,
                                        as Kafka's EndToEndLatency does)
            fanout:
              --subscribers N           SSE streams opened on one Reactor Netty event loop (default 1000)
              --rate R                  records/s, one record per request, open loop (default 50)
              --acks 0|1|all            (default all)
              --metrics-url URL         the gateway's Prometheus endpoint (default GATEWAY/actuator/prometheus)
            """;
}
