package io.sluice.adminui.live;

import io.sluice.adminui.gateway.GatewayClient;
import io.sluice.adminui.gateway.GatewayProblem;
import io.sluice.adminui.messages.RowRenderer;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The live tail: a page whose table fills from an SSE stream of rendered rows (htmx's SSE extension), fed by the
 * gateway's own SSE stream of the topic. The stream starts at the end, and a browser that reconnects resumes from
 * the last row it got ({@code Last-Event-ID} is the gateway's cursor). The browser's stream opens when the gateway's
 * has, so a record written after the page says "Live" is in the tail.
 */
@Controller
class LiveTailController {

    private final GatewayClient gateway;
    private final RowRenderer rows;

    LiveTailController(GatewayClient gateway, RowRenderer rows) {
        this.gateway = gateway;
        this.rows = rows;
    }

    @GetMapping("/topics/{topic}/live")
    Mono<String> page(@PathVariable String topic, @RequestParam(required = false) Integer partition, Model model) {
        model.addAttribute("partition", partition);
        return gateway.topic(topic).map(view -> {
            model.addAttribute("topic", view);
            return "live";
        });
    }

    @GetMapping(path = "/topics/{topic}/live/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @ResponseBody
    Flux<ServerSentEvent<String>> events(@PathVariable String topic,
                                         @RequestParam(required = false) Integer partition,
                                         @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId) {
        return gateway.tail(topic, partition, lastEventId)
                // The gateway's comments (its "stream open" once its start positions are fixed, keep-alives) are
                // passed on as comments: the browser's stream opens only when the gateway's has.
                .map(event -> event.data() == null
                        ? ServerSentEvent.<String>builder().comment(event.comment() == null ? "" : event.comment())
                                .build()
                        : "record".equals(event.event())
                        ? ServerSentEvent.builder(rows.record(event.data())).event("record").id(event.id()).build()
                        : ServerSentEvent.builder(rows.problem(event.data())).event("problem").build())
                .onErrorResume(GatewayProblem.class, e -> Flux.just(ServerSentEvent
                        .builder(rows.problem(e.detail() + " (" + e.errorCode() + ")")).event("problem").build()));
    }
}
