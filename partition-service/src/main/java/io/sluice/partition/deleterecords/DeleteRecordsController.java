package io.sluice.partition.deleterecords;

import io.sluice.internal.partition.DeleteRecordsRequest;
import io.sluice.internal.partition.DeleteRecordsResponse;
import io.sluice.internal.partition.PartitionPaths;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The internal DeleteRecords route, gateway → partition leader. */
@RestController
class DeleteRecordsController {

    private final DeleteRecordsService service;

    DeleteRecordsController(DeleteRecordsService service) {
        this.service = service;
    }

    @PostMapping(PartitionPaths.DELETE_RECORDS)
    Mono<DeleteRecordsResponse> deleteRecords(@RequestBody DeleteRecordsRequest request) {
        return service.deleteRecords(request);
    }
}
