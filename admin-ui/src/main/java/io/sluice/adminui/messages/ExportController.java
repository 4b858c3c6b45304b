package io.sluice.adminui.messages;

import io.sluice.adminui.gateway.GatewayClient;
import io.sluice.adminui.messages.BrowseQuery.BadQuery;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Exports: a search's matches, or every record of a range, as a file of JSON Lines or CSV ({@link ExportFormat}),
 * streamed as it is read — a page of records at a time through the public API, written to the download before the next
 * is read — so that neither the console, the gateway nor the browser holds the records, however many. The page that
 * offers the download polls the export's progress ({@code /exports/{id}}) until it is finished. A download that fails
 * part way is broken off (the browser says so) and its page shows why.
 */
@Controller
class ExportController {

    /** htmx stops polling an element when it is answered this status. */
    private static final HttpStatusCode STOP_POLLING = HttpStatusCode.valueOf(286);
    private static final Pattern EXPORT_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

    private final GatewayClient gateway;
    private final RecordSearch search;
    private final Exports exports;
    private final RowRenderer html;
    private final JsonMapper json;

    ExportController(GatewayClient gateway, RecordSearch search, Exports exports, RowRenderer html, JsonMapper json) {
        this.gateway = gateway;
        this.search = search;
        this.exports = exports;
        this.html = html;
        this.json = json;
    }

    @GetMapping("/topics/{topic}/export")
    Mono<ResponseEntity<Flux<DataBuffer>>> export(@PathVariable String topic, @ModelAttribute SearchQuery query,
                                                 @RequestParam(required = false) String as,
                                                 @RequestParam(required = false) String export) {
        ExportFormat format;
        try {
            format = ExportFormat.of(as);
            query.checkRange();
        } catch (BadQuery e) {
            return Mono.just(refused(HttpStatus.BAD_REQUEST, e.getMessage()));
        }
        String id = export != null && EXPORT_ID.matcher(export).matches() ? export : UUID.randomUUID().toString();
        return gateway.topic(topic)
                .flatMap(view -> search.plan(view, query).map(ranges -> {
                    ExportProgress progress = exports.start(id);
                    Flux<String> lines = search.records(topic, ranges, query, progress)
                            .map(records -> format.lines(records, json))
                            .filter(text -> !text.isEmpty());
                    Flux<DataBuffer> body = Flux.concat(Mono.just(format.head()).filter(head -> !head.isEmpty()),
                                    lines)
                            .map(ExportController::buffer)
                            .doOnComplete(() -> progress.finish(null))
                            .doOnError(e -> progress.finish(RecordSearch.message(e)))
                            .doOnCancel(() -> progress.finish("The download was stopped"));
                    return ResponseEntity.ok()
                            .contentType(MediaType.parseMediaType(format.mediaType() + ";charset=UTF-8"))
                            .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                                    .filename(fileName(topic, query, format), StandardCharsets.UTF_8).build()
                                    .toString())
                            .body(body);
                }))
                .onErrorResume(e -> e instanceof BadQuery || e instanceof RecordSearch.Stopped,
                        e -> Mono.just(refused(e instanceof BadQuery ? HttpStatus.BAD_REQUEST
                                : HttpStatus.SERVICE_UNAVAILABLE, e.getMessage())));
    }

    /** The export's progress as its page shows it; 286 once it is finished, so that the page stops asking. */
    @GetMapping("/exports/{id}")
    @ResponseBody
    Mono<ResponseEntity<String>> progress(@PathVariable String id) {
        return Mono.fromSupplier(() -> exports.find(id)
                .map(progress -> ResponseEntity.status(progress.finished() ? STOP_POLLING : HttpStatus.OK)
                        .contentType(MediaType.TEXT_HTML)
                        .body(html.fragment("export-status", "status", Map.of("p", progress))))
                .orElseGet(() -> ResponseEntity.ok().contentType(MediaType.TEXT_HTML)
                        .body(html.fragment("export-status", "waiting", Map.of()))));
    }

    private static String fileName(String topic, SearchQuery query, ExportFormat format) {
        String partition = query.partition() == null || query.partition().isBlank() ? "" : "-" + query.partition()
                .strip();
        return topic + partition + "." + format.extension();
    }

    private static ResponseEntity<Flux<DataBuffer>> refused(HttpStatus status, String message) {
        return ResponseEntity.status(status).contentType(MediaType.TEXT_PLAIN)
                .body(Flux.just(buffer(message + "\n")));
    }

    private static DataBuffer buffer(String text) {
        return DefaultDataBufferFactory.sharedInstance.wrap(text.getBytes(StandardCharsets.UTF_8));
    }
}
