package io.sluice.partition.txn;

import io.sluice.internal.partition.DescribeProducersRequest;
import io.sluice.internal.partition.DescribeProducersResponse;
import io.sluice.internal.partition.PartitionPaths;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The internal DescribeProducers route, gateway → partition leader. */
@RestController
class DescribeProducersController {

    private final DescribeProducersService service;

    DescribeProducersController(DescribeProducersService service) {
        this.service = service;
    }

    @PostMapping(PartitionPaths.DESCRIBE_PRODUCERS)
    Mono<DescribeProducersResponse> describeProducers(@RequestBody DescribeProducersRequest request) {
        return service.describeProducers(request);
    }
}
