package io.sluice.coordinator.producer;

import io.sluice.internal.producer.IdempotencyClaim;
import io.sluice.internal.producer.IdempotencyClaimRequest;
import io.sluice.internal.producer.IdempotencyReleaseRequest;
import io.sluice.internal.producer.ProducerIdBlock;
import io.sluice.internal.producer.ProducerIdsRequest;
import io.sluice.internal.producer.ProducerPaths;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Producer id blocks and Idempotency-Key claims over HTTP, for gateways; {@link ProducerIdService} does it. */
@RestController
class ProducerIdController {

    private final ProducerIdService producers;

    ProducerIdController(ProducerIdService producers) {
        this.producers = producers;
    }

    @PostMapping(ProducerPaths.PRODUCER_IDS)
    Mono<ProducerIdBlock> allocate(@RequestBody ProducerIdsRequest request) {
        return producers.allocate(request);
    }

    @PostMapping(ProducerPaths.IDEMPOTENCY_CLAIMS)
    Mono<IdempotencyClaim> claim(@RequestBody IdempotencyClaimRequest request) {
        return producers.claim(request);
    }

    @PostMapping(ProducerPaths.IDEMPOTENCY_RELEASES)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> release(@RequestBody IdempotencyReleaseRequest request) {
        return producers.release(request);
    }
}
