package io.sluice.gateway.group.admin;

import io.sluice.gateway.consume.PartitionRecords;
import io.sluice.gateway.routing.PartitionReader;
import io.sluice.internal.group.CommittedOffset;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import java.time.Clock;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * A group's lag in one partition, measured at the partition's leader: in records, the high watermark (the end of
 * what a consumer can read) minus the committed offset; in seconds, the age of the first record not yet consumed
 * (now minus the timestamp of the record at the committed offset), 0 when there is none. A partition whose leader
 * does not answer has unknown lag (nulls), rather than failing the whole answer. The age costs a read at the leader, so
 * a caller that shows only the records (the group list) does without it.
 */
@Service
class GroupLag {

    private final PartitionReader reader;
    private final PartitionRecords records;
    private final Clock clock;

    GroupLag(PartitionReader reader, PartitionRecords records, Clock clock) {
        this.reader = reader;
        this.records = records;
        this.clock = clock;
    }

    Mono<GroupViews.PartitionLag> of(TopicPartition tp, CommittedOffset committed, String owner, boolean withAge) {
        Long offset = committed == null ? null : committed.offset();
        Long commitTimestamp = committed == null ? null : committed.commitTimestampMs();
        return reader.bounds(tp).flatMap(bounds -> {
            if (offset == null) {
                return Mono.just(new GroupViews.PartitionLag(tp.topic(), tp.partition(), null, null,
                        bounds.highWatermark(), null, null, owner));
            }
            long lag = Math.max(0, bounds.highWatermark() - offset);
            if (!withAge || lag == 0) {
                return Mono.just(new GroupViews.PartitionLag(tp.topic(), tp.partition(), offset, commitTimestamp,
                        bounds.highWatermark(), lag, withAge ? 0.0 : null, owner));
            }
            return records.age(tp, offset, clock.millis())
                    .map(age -> new GroupViews.PartitionLag(tp.topic(), tp.partition(), offset, commitTimestamp,
                            bounds.highWatermark(), lag, age, owner));
        }).onErrorResume(SluiceException.class, e -> Mono.just(new GroupViews.PartitionLag(tp.topic(),
                tp.partition(), offset, commitTimestamp, null, null, null, owner)));
    }
}
