package io.sluice.adminui.messages;

import io.sluice.adminui.AdminUiProperties;
import io.sluice.adminui.gateway.GatewayClient;
import io.sluice.adminui.gateway.GatewayProblem;
import io.sluice.adminui.gateway.GatewayRequests.Read;
import io.sluice.adminui.gateway.GatewayViews.ConsumedRecord;
import io.sluice.adminui.gateway.GatewayViews.RecordPage;
import io.sluice.adminui.gateway.GatewayViews.Topic;
import io.sluice.adminui.messages.BrowseQuery.BadQuery;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import reactor.core.publisher.Mono;

/**
 * The message browser: one page of a partition or of the whole topic, from a start the query string names, with
 * links forward (the page's next offset or cursor) and back. A start that cannot be read (a bad offset, one outside
 * the partition) is shown as the problem above an empty table.
 */
@Controller
class MessagesController {

    /** On the trail: the first page, read from the query's start rather than from a cursor. */
    private static final String FIRST_PAGE = "~";

    private final GatewayClient gateway;
    private final int pageSize;

    MessagesController(GatewayClient gateway, AdminUiProperties properties) {
        this.gateway = gateway;
        this.pageSize = properties.pageSize();
    }

    @GetMapping("/topics/{topic}/messages")
    Mono<String> browse(@PathVariable String topic, @ModelAttribute("query") BrowseQuery query, Model model,
                        ServerHttpResponse response) {
        return gateway.topic(topic).flatMap(view -> {
            model.addAttribute("topic", view);
            model.addAttribute("displays", Display.values());
            Read read;
            try {
                read = read(topic, query);
            } catch (BadQuery e) {
                response.setStatusCode(HttpStatus.BAD_REQUEST);
                return Mono.just(empty(model, e.getMessage()));
            }
            return gateway.read(read)
                    .map(page -> page(view, query, read, page, model))
                    .onErrorResume(GatewayProblem.class, e -> {
                        response.setStatusCode(HttpStatus.UNPROCESSABLE_CONTENT);
                        return Mono.just(empty(model, e.detail() + " (" + e.errorCode() + ")"));
                    });
        });
    }

    private Read read(String topic, BrowseQuery query) {
        Integer partition = query.partitionNumber();
        String format = query.display().apiFormat();
        if (query.cursor() != null && !query.cursor().isBlank()) {
            return new Read(topic, partition, null, null, null, query.cursor(), pageSize, format, format);
        }
        return switch (query.start()) {
            case "latest" -> new Read(topic, partition, null, null, pageSize, null, pageSize, format, format);
            case "offset" -> new Read(topic, partition, query.offsetNumber(), null, null, null, pageSize, format,
                    format);
            case "timestamp" -> new Read(topic, partition, null, query.timestampMillis(), null, null, pageSize, format,
                    format);
            default -> new Read(topic, partition, "earliest", null, null, null, pageSize, format, format);
        };
    }

    private String page(Topic topic, BrowseQuery query, Read read, RecordPage page, Model model) {
        model.addAttribute("records", page.records().stream()
                .map((ConsumedRecord r) -> RecordView.of(r, query.display())).toList());
        model.addAttribute("error", null);
        model.addAttribute("nextUrl", nextUrl(topic.name(), query, read, page));
        model.addAttribute("backUrl", backUrl(topic.name(), query, read, page));
        model.addAttribute("position", read.partition() == null ? null : page);
        return "messages";
    }

    private static String empty(Model model, String error) {
        model.addAttribute("records", List.of());
        model.addAttribute("error", error);
        model.addAttribute("nextUrl", null);
        model.addAttribute("backUrl", null);
        model.addAttribute("position", null);
        return "messages";
    }

    /** Forward: from the partition's next offset, or the topic page's cursor (keeping this page on the trail). */
    private static String nextUrl(String topic, BrowseQuery query, Read read, RecordPage page) {
        if (read.partition() != null) {
            if (page.nextOffset() == null) {
                return null;
            }
            return query.link(topic).replaceQueryParam("start", "offset")
                    .replaceQueryParam("offset", page.nextOffset()).buildAndExpand(topic).encode().toUriString();
        }
        if (page.cursor() == null || page.records().isEmpty()) {
            return null;
        }
        List<String> trail = new ArrayList<>(query.trail());
        trail.add(query.cursor() == null || query.cursor().isBlank() ? FIRST_PAGE : query.cursor());
        return query.link(topic).queryParam("cursor", page.cursor()).queryParam("trail", trail.toArray())
                .buildAndExpand(topic).encode().toUriString();
    }

    /**
     * Back: for a partition, the page of records before this one's first offset (not before the log start); for a
     * topic, the previous cursor on the trail.
     */
    private String backUrl(String topic, BrowseQuery query, Read read, RecordPage page) {
        if (read.partition() != null) {
            long first = page.records().isEmpty() ? (page.nextOffset() == null ? 0 : page.nextOffset())
                    : page.records().getFirst().offset();
            long logStart = page.logStartOffset() == null ? 0 : page.logStartOffset();
            if (first <= logStart) {
                return null;
            }
            return query.link(topic).replaceQueryParam("start", "offset")
                    .replaceQueryParam("offset", Math.max(logStart, first - pageSize)).buildAndExpand(topic).encode().toUriString();
        }
        if (query.trail().isEmpty()) {
            return null;
        }
        List<String> trail = new ArrayList<>(query.trail());
        String previous = trail.removeLast();
        var uri = query.link(topic);
        if (!previous.equals(FIRST_PAGE)) {
            uri.queryParam("cursor", previous);
        }
        if (!trail.isEmpty()) {
            uri.queryParam("trail", trail.toArray());
        }
        return uri.buildAndExpand(topic).encode().toUriString();
    }
}
