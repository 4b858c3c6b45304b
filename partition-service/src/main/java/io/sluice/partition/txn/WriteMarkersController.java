package io.sluice.partition.txn;

import io.sluice.internal.partition.PartitionPaths;
import io.sluice.internal.partition.WriteMarkersRequest;
import io.sluice.internal.partition.WriteMarkersResponse;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The internal WriteTxnMarkers route, transaction coordinator → partition leader. */
@RestController
class WriteMarkersController {

    private final WriteMarkersService service;

    WriteMarkersController(WriteMarkersService service) {
        this.service = service;
    }

    @PostMapping(PartitionPaths.WRITE_MARKERS)
    Mono<WriteMarkersResponse> writeMarkers(@RequestBody WriteMarkersRequest request) {
        return service.writeMarkers(request);
    }
}
