package io.sluice.coordinator.txn;

import io.sluice.internal.txn.TransactionDescription;
import io.sluice.internal.txn.TransactionPaths;
import io.sluice.internal.txn.TxnDescribeRequest;
import io.sluice.internal.txn.TxnEndRequest;
import io.sluice.internal.txn.TxnGroupRequest;
import io.sluice.internal.txn.TxnInitRequest;
import io.sluice.internal.txn.TxnOffsetCommitRequest;
import io.sluice.internal.txn.TxnPartitionsRequest;
import io.sluice.internal.txn.TxnProducer;
import io.sluice.internal.txn.TxnSequences;
import io.sluice.internal.txn.TxnVerifyRequest;
import io.sluice.internal.txn.TxnVerifyResponse;
import io.sluice.internal.txn.TxnWriteConfirmation;
import io.sluice.internal.txn.TxnWriteRequest;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The transaction coordinator over the internal API; the decisions are {@link TransactionRules}'. */
@RestController
class TransactionController {

    private final TransactionService service;

    TransactionController(TransactionService service) {
        this.service = service;
    }

    @PostMapping(TransactionPaths.INIT_PRODUCER_ID)
    Mono<TxnProducer> initProducerId(@RequestBody TxnInitRequest request) {
        return service.initProducerId(request);
    }

    @PostMapping(TransactionPaths.ADD_PARTITIONS)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> addPartitions(@RequestBody TxnPartitionsRequest request) {
        return service.addPartitions(request);
    }

    @PostMapping(TransactionPaths.WRITE)
    Mono<TxnSequences> write(@RequestBody TxnWriteRequest request) {
        return service.write(request);
    }

    @PostMapping(TransactionPaths.CONFIRM_WRITE)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> confirmWrite(@RequestBody TxnWriteConfirmation request) {
        return service.confirmWrite(request);
    }

    @PostMapping(TransactionPaths.ADD_OFFSETS)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> addOffsets(@RequestBody TxnGroupRequest request) {
        return service.addOffsets(request);
    }

    @PostMapping(TransactionPaths.COMMIT_OFFSETS)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> commitOffsets(@RequestBody TxnOffsetCommitRequest request) {
        return service.commitOffsets(request);
    }

    @PostMapping(TransactionPaths.END)
    Mono<TxnProducer> end(@RequestBody TxnEndRequest request) {
        return service.endTxn(request);
    }

    @PostMapping(TransactionPaths.VERIFY)
    Mono<TxnVerifyResponse> verify(@RequestBody TxnVerifyRequest request) {
        return service.verify(request);
    }

    @PostMapping(TransactionPaths.DESCRIBE)
    Mono<TransactionDescription> describe(@RequestBody TxnDescribeRequest request) {
        return service.describe(request.transactionalId());
    }

    @GetMapping(TransactionPaths.TRANSACTIONS)
    Mono<List<TransactionDescription>> list() {
        return service.list();
    }
}
