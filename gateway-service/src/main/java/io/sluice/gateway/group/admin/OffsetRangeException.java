package io.sluice.gateway.group.admin;

import io.sluice.gateway.routing.PartitionReader.PartitionBounds;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import java.util.LinkedHashMap;
import java.util.Map;

/** OFFSET_OUT_OF_RANGE for a group offset outside its partition, with the partition's range as problem members. */
public final class OffsetRangeException extends SluiceException {

    private final PartitionBounds bounds;

    public OffsetRangeException(TopicPartition tp, long offset, PartitionBounds bounds, String consequence) {
        super(ErrorCode.OFFSET_OUT_OF_RANGE, "Offset " + offset + " is outside " + tp + "'s range ["
                + bounds.logStartOffset() + ", " + bounds.logEndOffset() + "]; " + consequence);
        this.bounds = bounds;
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("log_start_offset", bounds.logStartOffset());
        details.put("high_watermark", bounds.highWatermark());
        details.put("log_end_offset", bounds.logEndOffset());
        return details;
    }
}
