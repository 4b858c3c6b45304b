package io.sluice.adminui.messages;

import io.sluice.adminui.AdminUiProperties;
import io.sluice.adminui.gateway.GatewayClient;
import io.sluice.adminui.gateway.GatewayProblem;
import io.sluice.adminui.gateway.GatewayRequests.Read;
import io.sluice.adminui.gateway.GatewayViews.ConsumedRecord;
import io.sluice.adminui.gateway.GatewayViews.Header;
import io.sluice.adminui.gateway.GatewayViews.Partition;
import io.sluice.adminui.gateway.GatewayViews.RecordPage;
import io.sluice.adminui.gateway.GatewayViews.Topic;
import io.sluice.adminui.messages.BrowseQuery.BadQuery;
import io.sluice.adminui.messages.SearchEvent.Failed;
import io.sluice.adminui.messages.SearchEvent.Match;
import io.sluice.adminui.messages.SearchEvent.Progress;
import io.sluice.adminui.messages.SearchQuery.Where;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Searches a range of a topic for records whose key, value or a header holds a text, reading every record of the
 * range through the public API's pages (never a sample): partition by partition, a page at a time from the range's
 * start to its end, as fixed when the search starts (the high watermark then, for "latest"), so that a search ends
 * even while producers write.
 *
 * <p>The answer is a stream of {@link SearchEvent}s: a {@link Progress} before the first read and after every page,
 * the matches of each page before its progress, and a last {@code Progress} with {@code finished} set, after a
 * {@link Failed} if the search could not start or go on. Reads follow demand: the next page is asked for only when
 * the subscriber wants more, at most one ahead, and cancelling the stream (the page's Cancel, the browser leaving)
 * cancels the read in flight and asks for no other.
 */
@Service
class RecordSearch {

    private final GatewayClient gateway;
    private final int pageSize;
    private final int maxShown;

    RecordSearch(GatewayClient gateway, AdminUiProperties properties) {
        this.gateway = gateway;
        this.pageSize = properties.search().pageSize();
        this.maxShown = properties.search().maxShown();
    }

    /** Matches sent as events; later ones are counted only. */
    int maxShown() {
        return maxShown;
    }

    /** Offsets [from, to) of one partition. */
    record Range(int partition, long from, long to) {

        long size() {
            return Math.max(0, to - from);
        }
    }

    Flux<SearchEvent> search(String topic, SearchQuery query) {
        return Flux.defer(() -> {
            // Confined to this subscription: its operators run one after another, never at once.
            Tally tally = new Tally();
            return Mono.fromCallable(() -> {
                        query.check();
                        return query;
                    })
                    .flatMap(checked -> gateway.topic(topic))
                    .flatMap(view -> plan(view, query))
                    .flatMapMany(ranges -> scan(topic, ranges, query, tally))
                    .onErrorResume(e -> e instanceof BadQuery || e instanceof GatewayProblem
                                    || e instanceof Stopped,
                            e -> Flux.just(new Failed(message(e)), tally.progress(true, true)));
        });
    }

    /**
     * Every record of the query's range that holds its text (every record, when it has none), a page's worth at a
     * time, each page read when the subscriber asks for more (at most one ahead), so that neither this console nor
     * the gateway holds more than a page; {@code progress} is told the range's size and each page. Fails with a
     * {@link GatewayProblem} or {@link Stopped}, as the search does.
     */
    Flux<List<ConsumedRecord>> records(String topic, List<Range> ranges, SearchQuery query,
                                       ExportProgress progress) {
        return Flux.defer(() -> {
            progress.start(ranges.stream().mapToLong(Range::size).sum());
            Matcher matcher = query.hasText() ? Matcher.of(query.q(), query.where(), query.caseIgnored()) : null;
            String format = query.display().apiFormat();
            return Flux.fromIterable(ranges)
                    .filter(range -> range.size() > 0)
                    .concatMap(range -> pages(topic, range, format), 1)
                    .map(slice -> {
                        List<ConsumedRecord> kept = matcher == null ? slice.records()
                                : slice.records().stream().filter(matcher::matches).toList();
                        progress.page(slice.next() - slice.from(), slice.records().size(), kept.size());
                        return kept;
                    });
        });
    }

    /** Why a search or an export could not start or go on, for people. */
    static String message(Throwable e) {
        return e instanceof GatewayProblem p ? p.detail() + " (" + p.errorCode() + ")" : e.getMessage();
    }

    /**
     * Each chosen partition's offsets to read, from the topic's offsets now (and the time index for a timestamp):
     * {@link BadQuery} for a partition the topic has not, {@link Stopped} when a partition has no leader.
     */
    Mono<List<Range>> plan(Topic topic, SearchQuery query) {
        BrowseQuery from = query.from();
        Integer only = from.partitionNumber();
        if (only != null && only >= topic.partitionCount()) {
            return Mono.error(new BadQuery("Partition " + only + " does not exist: " + topic.name() + " has "
                    + topic.partitionCount() + " (0 to " + (topic.partitionCount() - 1) + ")"));
        }
        Long last = query.lastOffset();
        return Flux.fromIterable(topic.partitions())
                .filter(p -> only == null || p.partition() == only)
                .concatMap(p -> {
                    if (p.logStartOffset() == null || p.highWatermark() == null) {
                        return Mono.error(new Stopped("Partition " + p.partition()
                                + " has no leader to tell its offsets; nothing was searched"));
                    }
                    long to = last == null ? p.highWatermark() : Math.min(last + 1, p.highWatermark());
                    return start(topic.name(), p, query, from)
                            .map(start -> new Range(p.partition(), Math.max(start, p.logStartOffset()), to));
                })
                .collectList();
    }

    private Mono<Long> start(String topic, Partition p, SearchQuery query, BrowseQuery from) {
        return switch (query.start()) {
            case "offset" -> Mono.just(Long.parseLong(from.offsetNumber()));
            case "timestamp" -> gateway.offsetAt(topic, p.partition(), Long.parseLong(from.timestampMillis()))
                    .map(found -> found.offset());
            default -> Mono.just(p.logStartOffset());
        };
    }

    private Flux<SearchEvent> scan(String topic, List<Range> ranges, SearchQuery query, Tally tally) {
        tally.total = ranges.stream().mapToLong(Range::size).sum();
        Matcher matcher = Matcher.of(query.text(), query.where(), query.caseIgnored());
        String format = query.display().apiFormat();
        Flux<SearchEvent> pages = Flux.fromIterable(ranges)
                .filter(range -> range.size() > 0)
                .concatMap(range -> pages(topic, range, format), 1)
                .concatMapIterable(slice -> tally.add(slice, matcher), 1);
        return Flux.concat(Mono.fromSupplier(() -> tally.progress(false, false)), pages,
                Mono.fromSupplier(() -> tally.progress(true, false)));
    }

    /** A page read from {@code from}: its records below the range's end, and where the next read starts. */
    record Slice(long from, long next, List<ConsumedRecord> records) {
    }

    /** The range's pages, each read when the previous one has been taken. */
    private Flux<Slice> pages(String topic, Range range, String format) {
        return read(topic, range, range.from(), format)
                .expand(slice -> slice.next() < range.to() ? read(topic, range, slice.next(), format) : Mono.empty());
    }

    private Mono<Slice> read(String topic, Range range, long offset, String format) {
        Read read = new Read(topic, range.partition(), Long.toString(offset), null, null, null, pageSize, format,
                format);
        return gateway.read(read).flatMap(page -> {
            long next = page.nextOffset() == null ? offset : Math.min(page.nextOffset(), range.to());
            if (next <= offset) {
                // Nothing below the high watermark the search started with: it cannot be reached by reading on.
                return Mono.error(new Stopped("Partition " + range.partition() + " answered nothing at offset "
                        + offset + ", before the end of the range at " + range.to() + "; the search stopped there"));
            }
            return Mono.just(new Slice(offset, next, below(page, range.to())));
        });
    }

    private static List<ConsumedRecord> below(RecordPage page, long to) {
        return page.records().stream().filter(r -> r.offset() < to).toList();
    }

    /** The search cannot go on; the message says where it stopped. */
    static final class Stopped extends RuntimeException {
        Stopped(String message) {
            super(message);
        }
    }

    /** Counts of one search; confined to its subscription. */
    private final class Tally {
        long total;
        long scanned;
        long position;
        long matches;

        List<SearchEvent> add(Slice slice, Matcher matcher) {
            List<SearchEvent> events = new ArrayList<>();
            for (ConsumedRecord record : slice.records()) {
                if (matcher.matches(record)) {
                    matches++;
                    if (matches <= maxShown) {
                        events.add(new Match(record));
                    }
                }
            }
            scanned += slice.records().size();
            position += slice.next() - slice.from();
            events.add(progress(false, false));
            return events;
        }

        Progress progress(boolean finished, boolean stopped) {
            return new Progress(scanned, position, total, matches, finished, stopped);
        }
    }

    /**
     * Whether a record holds the text: in a JSON key or value's compact JSON text, a string's text, the bytes of a
     * binary one read as UTF-8, a header's name or value. Case matters unless {@code ignoreCase}: then both sides are
     * compared in lower case (Unicode's simple case mapping, locale-independent).
     */
    record Matcher(String text, Where where, boolean ignoreCase) {

        static Matcher of(String text, Where where, boolean ignoreCase) {
            return new Matcher(ignoreCase ? text.toLowerCase(Locale.ROOT) : text, where, ignoreCase);
        }

        boolean matches(ConsumedRecord record) {
            return switch (where) {
                case KEY -> holds(record.key(), record.keyFormat());
                case VALUE -> holds(record.value(), record.valueFormat());
                case HEADERS -> inHeaders(record);
                case ANY -> holds(record.key(), record.keyFormat()) || holds(record.value(), record.valueFormat())
                        || inHeaders(record);
            };
        }

        private boolean inHeaders(ConsumedRecord record) {
            for (Header header : record.headers()) {
                if (found(header.key()) || holds(header.value(), header.valueFormat())) {
                    return true;
                }
            }
            return false;
        }

        private boolean holds(JsonNode node, String format) {
            if (node == null || node.isNull()) {
                return false;
            }
            String content = switch (format) {
                case "json" -> node.toString();
                case "binary" -> new String(Base64.getDecoder().decode(node.asString()), StandardCharsets.UTF_8);
                default -> node.asString();
            };
            return found(content);
        }

        private boolean found(String content) {
            return (ignoreCase ? content.toLowerCase(Locale.ROOT) : content).contains(text);
        }
    }
}
