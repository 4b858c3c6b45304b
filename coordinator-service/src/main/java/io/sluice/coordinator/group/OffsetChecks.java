package io.sluice.coordinator.group;

import io.sluice.internal.group.PartitionOffset;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.TopicNames;
import io.sluice.protocol.TopicPartition;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The one check of offsets to be committed — by a member, an admin reset or a transaction (TxnOffsetCommit): each names
 * a partition that exists once, with an offset of 0 or more, a leader epoch of -1 or more and metadata of at most the
 * configured length.
 */
public final class OffsetChecks {

    private OffsetChecks() {
    }

    /** The offsets unchanged, or the first thing wrong with them as a {@link io.sluice.protocol.SluiceException}. */
    public static List<PartitionOffset> valid(List<PartitionOffset> offsets, MetadataView view, int maxMetadataLength) {
        if (offsets == null || offsets.isEmpty()) {
            throw ErrorCode.INVALID_REQUEST.exception("offsets must name at least one partition");
        }
        Set<TopicPartition> seen = new HashSet<>();
        for (PartitionOffset offset : offsets) {
            if (offset == null || offset.topic() == null || offset.partition() == null) {
                throw ErrorCode.INVALID_REQUEST.exception("Each offset needs a topic and a partition");
            }
            TopicNames.validate(offset.topic());
            if (offset.offset() == null || offset.offset() < 0) {
                throw ErrorCode.INVALID_OFFSET.exception("The offset for " + offset.topic() + "/" + offset.partition()
                        + " must be >= 0, was " + offset.offset());
            }
            if (offset.leaderEpoch() != null && offset.leaderEpoch() < -1) {
                throw ErrorCode.INVALID_REQUEST.exception("leader_epoch must be >= 0 (or -1 for unknown), was "
                        + offset.leaderEpoch());
            }
            if (offset.metadata() != null && offset.metadata().length() > maxMetadataLength) {
                throw ErrorCode.INVALID_COMMIT_OFFSET_SIZE.exception("Offset metadata for " + offset.topic() + "/"
                        + offset.partition() + " is " + offset.metadata().length() + " characters; at most "
                        + maxMetadataLength + " are kept");
            }
            TopicMetadata topic = view.topic(offset.topic()).orElseThrow(() ->
                    ErrorCode.UNKNOWN_TOPIC.exception("Topic '" + offset.topic() + "' does not exist"));
            if (offset.partition() < 0 || offset.partition() >= topic.partitions().size()) {
                throw ErrorCode.UNKNOWN_PARTITION.exception("Topic '" + offset.topic() + "' has "
                        + topic.partitions().size() + " partitions; there is no partition " + offset.partition());
            }
            if (!seen.add(new TopicPartition(offset.topic(), offset.partition()))) {
                throw ErrorCode.INVALID_REQUEST.exception(offset.topic() + "/" + offset.partition() + " is named twice");
            }
        }
        return offsets;
    }
}
