package io.sluice.gateway.consume;

import io.sluice.gateway.format.Formats;
import io.sluice.protocol.TopicPartition;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * How other features read records of one partition, through the same machinery as this package's routes: a page
 * (a stateless read with long polling) and an endless stream (the {@link PartitionTails}, shared per partition on
 * this gateway). Consumer groups read through this; nothing here knows of groups.
 */
@Service
public class PartitionRecords {

    private final ConsumeService consume;
    private final PartitionTails tails;

    private static final int AGE_PROBE_BYTES = 64 * 1024;

    PartitionRecords(ConsumeService consume, PartitionTails tails) {
        this.consume = consume;
        this.tails = tails;
    }

    /**
     * Up to {@code maxRecords} records of {@code tp} from {@code offset}, waiting up to {@code waitMs} for the first.
     * An offset outside the log reads from the nearest valid one (below the log start: retention passed it).
     * {@code readCommitted}: only records of committed transactions (and of none), below the last stable offset.
     */
    public Mono<ReadResult> read(TopicPartition tp, long offset, int maxRecords, int maxBytes, long waitMs,
                                 boolean readCommitted, Formats formats) {
        return consume.read(tp, offset, maxRecords, maxBytes, waitMs, true, readCommitted, formats);
    }

    /**
     * How old, in seconds at {@code nowMs}, the record at {@code offset} of {@code tp} is (the first a group has not
     * consumed): now minus its timestamp, 0 when there is no record there yet. One small read at the leader.
     */
    public Mono<Double> age(TopicPartition tp, long offset, long nowMs) {
        return read(tp, offset, 1, AGE_PROBE_BYTES, 0, false, Formats.DEFAULT)
                .map(page -> page.records().isEmpty() ? 0.0
                        : Math.max(0, nowMs - page.records().getFirst().timestamp()) / 1000.0);
    }

    /**
     * Every record of {@code tp} from {@code start} on, in order and once, for as long as the subscriber wants them;
     * retention past the position carries on from the log start, a position beyond the log end ends the stream with
     * OFFSET_OUT_OF_RANGE. Each record comes with its JSON text, written once for every stream that gets it.
     */
    public Flux<StreamedRecord> stream(TopicPartition tp, long start, boolean readCommitted, Formats formats) {
        return tails.stream(tp, start, formats, readCommitted);
    }
}
