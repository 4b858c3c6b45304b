package io.sluice.it.chaos;

import io.sluice.internal.SluiceJson;
import io.sluice.it.SseEvents;
import io.sluice.testing.Waits;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;

/**
 * A Server-Sent Events reader of one partition through the gateway (docs/api.md): a stream from offset 0, each
 * {@code record} event entered in the {@link History} as a consumer read (so the checker holds it against the final
 * log: {@code SEEN_THEN_VANISHED}, {@code AT_TWO_OFFSETS}). When the stream breaks, or ends with an {@code error}
 * event, it is opened again with {@code Last-Event-ID}, which resumes right after the last record received, with no gap
 * and no duplicate. Every record whose offset is not the one after the last it was given is noted as irregular: a
 * stream of a partition without compaction must deliver every offset once, in order.
 *
 * <p>A read_committed reader ({@link #startReadCommitted}) enters its records in a {@link TransactionHistory} instead,
 * and only an offset not after the last is irregular there: aborted records and transaction markers leave gaps.
 *
 * <p>One platform thread reads; the accessors may be called from any thread.
 */
final class SseReader implements AutoCloseable {

    private static final Duration REOPEN_BACKOFF = Duration.ofMillis(300);

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private final URI stream;
    private final String topic;
    private final int partition;
    private final Sink sink;
    private final boolean gapless;
    private final List<String> irregular = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger opened = new AtomicInteger();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile InputStream body;
    private volatile long next;
    private volatile String lastEventId;

    /** Where a reader's records go: its partition, the record's offset and value. */
    @FunctionalInterface
    private interface Sink {
        void record(int partition, long offset, String value);
    }

    private SseReader(URI gateway, String topic, int partition, boolean readCommitted, Sink sink) {
        this.stream = gateway.resolve("/v1/topics/" + topic + "/partitions/" + partition
                + "/records?offset=0&value_format=string" + (readCommitted ? "&isolation_level=read_committed" : ""));
        this.topic = topic;
        this.partition = partition;
        this.sink = sink;
        this.gapless = !readCommitted;
        this.thread = Thread.ofPlatform().name("sse-reader-" + topic + "-" + partition).start(this::readAll);
    }

    /** Starts reading {@code topic}'s {@code partition} from offset 0, each record a consumer read in {@code history}. */
    static SseReader start(URI gateway, String topic, int partition, History history) {
        return new SseReader(gateway, topic, partition, false, (p, offset, value) ->
                history.seen(new History.Seen(p, offset, value, System.nanoTime())));
    }

    /** Starts reading {@code topic}'s {@code partition} read_committed from offset 0, into {@code history}. */
    static SseReader startReadCommitted(URI gateway, String topic, int partition, TransactionHistory history) {
        return new SseReader(gateway, topic, partition, true, (p, offset, value) -> history.read(
                new TransactionHistory.CommittedRead(TransactionHistory.SSE_READER, topic, p, offset, value)));
    }

    private void readAll() {
        while (running) {
            HttpRequest.Builder request = HttpRequest.newBuilder(stream).header("Accept", "text/event-stream").GET();
            if (lastEventId != null) {
                request.header("Last-Event-ID", lastEventId);
            }
            try {
                HttpResponse<InputStream> response = http.send(request.build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                body = response.body();
                if (response.statusCode() == 200) {
                    opened.incrementAndGet();
                    readEvents(body);
                } else {
                    body.close();
                }
            } catch (IOException e) {
                // The stream broke (a gateway or link fault): opened again below.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (running) {
                Waits.sleep(REOPEN_BACKOFF);
            }
        }
    }

    private void readEvents(InputStream in) throws IOException {
        SseEvents.read(in, event -> {
            if (running && "record".equals(event.type())) {
                record(SluiceJson.mapper().readTree(event.data()), event.id());
            }
        });
    }

    private void record(JsonNode record, String id) {
        long offset = record.get("offset").asLong();
        if (gapless ? offset != next : offset < next) {
            irregular.add(topic + "-" + partition + ": offset " + offset + " where " + next + " was next (stream "
                    + opened.get() + ")");
        }
        sink.record(partition, offset, record.get("value").asString());
        next = Math.max(next, offset + 1);
        if (id != null) {
            lastEventId = id;
        }
    }

    /** The offset after the last record received. */
    long position() {
        return next;
    }

    /** How many streams were opened (1 + reconnections). */
    int streamsOpened() {
        return opened.get();
    }

    /** Records whose offset was not the one after the last: skips or repeats. */
    List<String> irregular() {
        synchronized (irregular) {
            return List.copyOf(irregular);
        }
    }

    @Override
    public void close() {
        running = false;
        InputStream current = body;
        if (current != null) {
            try {
                current.close();
            } catch (IOException e) {
                // The stream is gone either way.
            }
        }
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
