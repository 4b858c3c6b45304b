import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The share-group benchmark's load (bench/share-groups.sh runs it as a single source file, no build): for each worker
 * count, a fresh topic of N records taken and accepted by that many HTTP workers of one share group (take, then one
 * acknowledge call accepting everything taken), and, for the per-record cost, the same records of the first topic read
 * by one polling consumer-group member. Prints one RESULT line per run; figures are reports, never assertions.
 *
 * <p>The answers are read with patterns, not a JSON parser, to stay a single file: the values are the generator's
 * own ({@code "r-<n>-xxxx"}) and cannot hold the field names looked for.
 */
public class ShareGroupsBench {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).executor(java.util.concurrent.Executors.newCachedThreadPool(Thread.ofPlatform().daemon().factory()))
            .build();
    private static final Pattern RECORD = Pattern.compile("\"partition\":(\\d+),\"offset\":\\d+.*?\"acquisition_id\":(\\d+)");
    private static final Pattern OFFSET = Pattern.compile("\"offset\":\\d+");
    private static final Pattern CURSOR = Pattern.compile("\"cursor\":\"([^\"]+)\"");
    private static final Pattern MEMBER = Pattern.compile("\"member_id\":\"([^\"]+)\"");

    public static void main(String[] args) throws Exception {
        URI gateway = URI.create(args[0]);
        int records = Integer.parseInt(args[1]);
        int batch = Integer.parseInt(args[2]);
        int partitions = Integer.parseInt(args[3]);
        String run = args[4];
        List<Integer> workerCounts = new ArrayList<>();
        for (int i = 5; i < args.length; i++) {
            workerCounts.add(Integer.parseInt(args[i]));
        }
        String firstTopic = null;
        for (int workers : workerCounts) {
            String topic = "bench-share-" + run + "-w" + workers;
            String group = topic + "-group";
            createTopic(gateway, topic, partitions);
            // The first take creates the share-partitions at the high watermark (the default start): before producing.
            post(gateway, "/v1/share-groups/" + group + "/acquisitions", "{\"topic\":\"" + topic + "\",\"member_id\":"
                    + "\"warm\",\"max_records\":1}");
            produce(gateway, topic, records, partitions);
            shareRun(gateway, topic, group, records, batch, workers);
            if (firstTopic == null) {
                firstTopic = topic;
            }
        }
        groupRead(gateway, firstTopic, records, batch);
        for (int workers : workerCounts) {
            delete(gateway, "/v1/topics/bench-share-" + run + "-w" + workers);
        }
    }

    private static void shareRun(URI gateway, String topic, String group, int records, int batch, int workers)
            throws InterruptedException {
        AtomicLong accepted = new AtomicLong();
        AtomicLong takes = new AtomicLong();
        AtomicLong emptyTakes = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        long started = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            String member = "worker-" + w;
            threads.add(Thread.ofPlatform().start(() -> {
                while (accepted.get() < records) {
                    String taken = post(gateway, "/v1/share-groups/" + group + "/acquisitions", "{\"topic\":\"" + topic
                            + "\",\"member_id\":\"" + member + "\",\"max_records\":" + batch + ",\"max_wait_ms\":500}");
                    takes.incrementAndGet();
                    StringBuilder items = new StringBuilder();
                    int n = 0;
                    Matcher m = RECORD.matcher(taken);
                    while (m.find()) {
                        items.append(n++ == 0 ? "" : ",").append("{\"topic\":\"").append(topic)
                                .append("\",\"partition\":").append(m.group(1)).append(",\"acquisition_id\":")
                                .append(m.group(2)).append(",\"type\":\"accept\"}");
                    }
                    if (n == 0) {
                        emptyTakes.incrementAndGet();
                        continue;
                    }
                    String answer = post(gateway, "/v1/share-groups/" + group + "/acknowledgements",
                            "{\"member_id\":\"" + member + "\",\"acknowledgements\":[" + items + "]}");
                    int errors = count(answer, "\"error\":\"");
                    refused.addAndGet(errors);
                    accepted.addAndGet(n - errors);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(Locale.ROOT, "RESULT share workers=%d records=%d batch=%d seconds=%.2f acked_per_s=%.0f"
                        + " us_per_record=%.1f takes=%d empty_takes=%d refused=%d%n", workers, accepted.get(), batch,
                seconds, accepted.get() / seconds, seconds * 1e6 / accepted.get(), takes.get(), emptyTakes.get(),
                refused.get());
    }

    /** One polling consumer-group member reads the topic from the start, {@code batch} records a poll. */
    private static void groupRead(URI gateway, String topic, int records, int batch) {
        String group = topic + "-plain";
        long started = System.nanoTime();
        String joined = post(gateway, "/v1/groups/" + group + "/members", "{\"topics\":[\"" + topic
                + "\"],\"auto_offset_reset\":\"earliest\"}");
        String member = find(MEMBER, joined);
        String cursor = find(CURSOR, joined);
        long read = count(joined, OFFSET);
        long polls = 0;
        while (read < records) {
            String polled = post(gateway, "/v1/groups/" + group + "/members/" + member + "/poll", "{\"cursor\":\""
                    + cursor + "\",\"wait_ms\":500,\"max_records\":" + batch + "}");
            polls++;
            read += count(polled, OFFSET);
            cursor = find(CURSOR, polled);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        delete(gateway, "/v1/groups/" + group + "/members/" + member + "?cursor=" + cursor);
        System.out.printf(Locale.ROOT, "RESULT group_read members=1 records=%d batch=%d seconds=%.2f read_per_s=%.0f"
                + " us_per_record=%.1f polls=%d%n", read, batch, seconds, read / seconds, seconds * 1e6 / read, polls);
    }

    private static void createTopic(URI gateway, String topic, int partitions) throws InterruptedException {
        post(gateway, "/v1/topics", "{\"name\":\"" + topic + "\",\"partition_count\":" + partitions
                + ",\"replication_factor\":3}");
        for (int p = 0; p < partitions; p++) {
            while (send(HttpRequest.newBuilder(gateway.resolve("/v1/topics/" + topic + "/partitions/" + p
                    + "/records?max_records=1")).GET()).statusCode() != 200) {
                Thread.sleep(200);
            }
        }
    }

    private static void produce(URI gateway, String topic, int records, int partitions) {
        for (int from = 0; from < records; from += 1000) {
            StringBuilder body = new StringBuilder("{\"records\":[");
            for (int i = from; i < Math.min(records, from + 1000); i++) {
                body.append(i == from ? "" : ",").append("{\"partition\":").append(i % partitions)
                        .append(",\"value\":\"r-").append(i).append("-").append("x".repeat(90)).append("\"}");
            }
            post(gateway, "/v1/topics/" + topic + "/records?acks=all", body.append("]}").toString());
        }
    }

    private static String post(URI gateway, String path, String body) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(gateway.resolve(path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("POST " + path + ": " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    private static void delete(URI gateway, String path) {
        send(HttpRequest.newBuilder(gateway.resolve(path)).DELETE());
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String find(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        if (!m.find()) {
            throw new IllegalStateException(pattern + " not in " + text);
        }
        return m.group(1);
    }

    private static long count(String text, Pattern pattern) {
        Matcher m = pattern.matcher(text);
        long n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static int count(String text, String literal) {
        int n = 0;
        for (int i = text.indexOf(literal); i >= 0; i = text.indexOf(literal, i + 1)) {
            n++;
        }
        return n;
    }
}
