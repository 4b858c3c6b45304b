package io.sluice.gateway.share;

import io.sluice.gateway.GatewayProperties;
import io.sluice.gateway.format.Bounds;
import io.sluice.gateway.format.Formats;
import io.sluice.internal.share.AcknowledgeType;
import io.sluice.internal.share.ShareAcknowledgeRequest;
import io.sluice.protocol.ErrorCode;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The JSON bodies of the share-group routes, read strictly (unknown fields are refused), and their checks. A body
 * that fails a check is INVALID_REQUEST before anything is asked of the coordinator: it changes nothing.
 */
final class ShareRequests {

    /** An acquire's {@code max_records} when absent. */
    static final int DEFAULT_MAX_RECORDS = 100;

    private ShareRequests() {
    }

    /** {@code member_id}: 1 to 200 characters; absent (allowed only where {@code generate}) a new UUID. */
    static String checkedMemberId(String memberId, boolean generate) {
        if (memberId == null) {
            if (!generate) {
                throw ErrorCode.INVALID_REQUEST.exception("member_id is required: the member that acquired the records");
            }
            return UUID.randomUUID().toString();
        }
        if (memberId.isBlank() || memberId.length() > 200) {
            throw ErrorCode.INVALID_REQUEST.exception("member_id must be 1 to 200 characters");
        }
        return memberId;
    }

    /** A take: records of one topic's partitions (all when absent), as many as {@code max_records}. */
    record Acquire(String topic, List<Integer> partitions, Integer maxRecords, Long maxWaitMs, String memberId,
                   String format, String keyFormat, String valueFormat, String headerFormat) {

        String checkedTopic() {
            if (topic == null || topic.isBlank()) {
                throw ErrorCode.INVALID_REQUEST.exception("An acquisition needs a topic");
            }
            return topic;
        }

        int checkedMaxRecords(GatewayProperties.Consume settings) {
            return Bounds.check("max_records", maxRecords, DEFAULT_MAX_RECORDS, 1, settings.maxMaxRecords());
        }

        long checkedMaxWaitMs(GatewayProperties.Consume settings) {
            return Bounds.check("max_wait_ms", maxWaitMs, 0, 0, settings.maxWait().toMillis());
        }

        Formats formats() {
            return Formats.of(format, keyFormat, valueFormat, headerFormat);
        }
    }

    /** A member's acknowledgements, of records of any partitions it holds. */
    record Acknowledge(String memberId, List<Item> acknowledgements) {

        List<Item> checkedItems() {
            if (acknowledgements == null || acknowledgements.isEmpty()) {
                throw ErrorCode.INVALID_REQUEST.exception("acknowledgements must name at least one record");
            }
            for (int i = 0; i < acknowledgements.size(); i++) {
                Item item = acknowledgements.get(i);
                if (item == null) {
                    throw ErrorCode.INVALID_REQUEST.exception("acknowledgements[" + i + "] is null");
                }
                item.check(i);
            }
            return acknowledgements;
        }
    }

    /**
     * One acknowledgement: of the record acquired under {@code acquisition_id}, or of the member's records in
     * [{@code first_offset}, {@code last_offset}] — exactly one of the two.
     */
    record Item(String topic, Integer partition, Long acquisitionId, Long firstOffset, Long lastOffset, String type) {

        void check(int index) {
            String at = "acknowledgements[" + index + "]";
            if (topic == null || topic.isBlank()) {
                throw ErrorCode.INVALID_REQUEST.exception(at + " needs a topic");
            }
            if (partition == null || partition < 0) {
                throw ErrorCode.INVALID_REQUEST.exception(at + " needs a partition (0 or more)");
            }
            boolean range = firstOffset != null || lastOffset != null;
            if ((acquisitionId != null) == range || range && (firstOffset == null || lastOffset == null)) {
                throw ErrorCode.INVALID_REQUEST.exception(at + " names an acquisition_id or a range (first_offset and"
                        + " last_offset), exactly one of the two");
            }
            acknowledgeType(at);
        }

        AcknowledgeType acknowledgeType(String at) {
            if (type == null) {
                throw ErrorCode.INVALID_REQUEST.exception(at + " needs a type: accept, release, reject or renew");
            }
            return switch (type.toLowerCase(Locale.ROOT)) {
                case "accept" -> AcknowledgeType.ACCEPT;
                case "release" -> AcknowledgeType.RELEASE;
                case "reject" -> AcknowledgeType.REJECT;
                case "renew" -> AcknowledgeType.RENEW;
                default -> throw ErrorCode.INVALID_REQUEST.exception(at + "'s type must be accept, release, reject or"
                        + " renew, was '" + type + "'");
            };
        }

        ShareAcknowledgeRequest.Item toInternal() {
            AcknowledgeType ackType = acknowledgeType("acknowledgement");
            return acquisitionId != null ? ShareAcknowledgeRequest.Item.of(acquisitionId, ackType)
                    : ShareAcknowledgeRequest.Item.range(firstOffset, lastOffset, ackType);
        }
    }
}
