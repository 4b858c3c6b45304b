package io.sluice.adminui.transactions;

import io.sluice.adminui.gateway.GatewayClient;
import io.sluice.adminui.gateway.GatewayViews.PartitionRef;
import io.sluice.adminui.gateway.GatewayViews.TransactionalId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import reactor.core.publisher.Mono;

/**
 * Transactions: every transactional id the user may describe (Kafka producers' and HTTP transactions'), with its
 * state, producer id and epoch, how long its open transaction has run and its partitions; or only those open or
 * completing, which are the ones holding back read_committed readers.
 */
@Controller
class TransactionsController {

    /** The states of a transaction that is open or whose markers are still being written. */
    static final List<String> OPEN = List.of("ONGOING", "PREPARE_COMMIT", "PREPARE_ABORT");

    private final GatewayClient gateway;
    private final Clock clock = Clock.systemUTC();

    TransactionsController(GatewayClient gateway) {
        this.gateway = gateway;
    }

    @GetMapping("/transactions")
    Mono<String> list(@RequestParam(name = "open", defaultValue = "false") boolean open, Model model) {
        return gateway.transactionalIds(open ? OPEN : List.of()).map(list -> {
            Instant now = clock.instant();
            model.addAttribute("rows", list.transactionalIds().stream().map(id -> new TransactionRow(id,
                    id.startedAt() == null ? "—" : age(Duration.between(Instant.parse(id.startedAt()), now)),
                    id.partitions().isEmpty() ? "—" : id.partitions().stream()
                            .map(PartitionRef::toString).collect(Collectors.joining(", ")),
                    OPEN.contains(id.state()))).toList());
            model.addAttribute("open", open);
            return "transactions";
        });
    }

    /** {@code 2h 30m}, {@code 4m 5s}, {@code 12s}: the two largest units. */
    static String age(Duration age) {
        Duration positive = age.isNegative() ? Duration.ZERO : age;
        if (positive.toDays() > 0) {
            return positive.toDays() + "d " + positive.toHoursPart() + "h";
        }
        if (positive.toHours() > 0) {
            return positive.toHours() + "h " + positive.toMinutesPart() + "m";
        }
        if (positive.toMinutes() > 0) {
            return positive.toMinutes() + "m " + positive.toSecondsPart() + "s";
        }
        return positive.toSeconds() + "s";
    }
}
