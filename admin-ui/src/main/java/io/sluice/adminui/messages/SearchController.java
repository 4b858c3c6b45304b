package io.sluice.adminui.messages;

import io.sluice.adminui.gateway.GatewayClient;
import io.sluice.adminui.messages.BrowseQuery.BadQuery;
import io.sluice.adminui.messages.SearchEvent.Failed;
import io.sluice.adminui.messages.SearchEvent.Match;
import io.sluice.adminui.messages.SearchEvent.Progress;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.ResponseBody;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Message search: a page with the search form and, once a search is asked for, an SSE stream ({@link RecordSearch}'s
 * events rendered as HTML for htmx's SSE extension) that fills its progress bar and its table of matches. The stream
 * ends with a {@code done} event, on which the page closes it; closing it earlier (Cancel, leaving the page) cancels
 * the search and its reads. The page also offers the search's matches (every record of its range, without a text) as a
 * file ({@link ExportController}).
 */
@Controller
class SearchController {

    private final GatewayClient gateway;
    private final RecordSearch search;
    private final RowRenderer html;

    SearchController(GatewayClient gateway, RecordSearch search, RowRenderer html) {
        this.gateway = gateway;
        this.search = search;
        this.html = html;
    }

    @GetMapping("/topics/{topic}/search")
    Mono<String> page(@PathVariable String topic, @ModelAttribute("search") SearchQuery query, Model model,
                      ServerHttpResponse response) {
        return gateway.topic(topic).map(view -> {
            model.addAttribute("topic", view);
            model.addAttribute("displays", Display.values());
            model.addAttribute("error", null);
            model.addAttribute("eventsUrl", null);
            model.addAttribute("maxShown", search.maxShown());
            String exportId = UUID.randomUUID().toString();
            model.addAttribute("exportId", exportId);
            model.addAttribute("exportJsonl", query.exportUrl(topic, "jsonl", exportId));
            model.addAttribute("exportCsv", query.exportUrl(topic, "csv", exportId));
            if (query.submitted()) {
                try {
                    query.check();
                    model.addAttribute("eventsUrl", query.eventsUrl(topic));
                } catch (BadQuery e) {
                    response.setStatusCode(HttpStatus.BAD_REQUEST);
                    model.addAttribute("error", e.getMessage());
                }
            }
            return "search";
        });
    }

    @GetMapping(path = "/topics/{topic}/search/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @ResponseBody
    Flux<ServerSentEvent<String>> events(@PathVariable String topic, @ModelAttribute SearchQuery query) {
        Display display = query.display();
        return search.search(topic, query).map(event -> switch (event) {
            case Match match -> ServerSentEvent.builder(html.row(match.record(), display)).event("match").build();
            case Progress progress -> ServerSentEvent.builder(html.fragment("search-status", "status",
                            Map.of("p", progress)))
                    .event(progress.finished() ? "done" : "progress").build();
            case Failed failed -> ServerSentEvent.builder(html.problem(failed.message())).event("problem").build();
        });
    }
}
