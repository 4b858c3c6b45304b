package io.sluice.gateway.kafka.share;

import io.sluice.internal.share.AcknowledgeType;
import io.sluice.internal.share.ShareAcknowledgeRequest;
import io.sluice.internal.share.ShareAcknowledgeResponse;
import io.sluice.internal.share.ShareGroupApi;
import io.sluice.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.protocol.Errors;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * A share consumer's acknowledgement batches of one share-partition (ShareFetch's piggy-backed ones and
 * ShareAcknowledge's), applied at the coordinator as range acknowledgements. A batch is {@code [first, last]} with one
 * acknowledge type for all of it or one per offset: 0 gap (no record there: nothing to do, the coordinator never
 * locked it), 1 accept, 2 release, 3 reject, 4 renew (KIP-1222). Runs of one type become one range.
 *
 * <p>The partition's answer is one error: INVALID_REQUEST for a malformed batch (nothing applied), INVALID_RECORD_STATE
 * when any record named was not acquired by the member under a live lock (the others are applied, as Kafka applies
 * the valid part), NONE otherwise.
 */
@Component
class ShareAckBatches {

    /** One acknowledgement batch as the request carries it. */
    record Batch(long firstOffset, long lastOffset, List<Byte> types) {
    }

    /** A partition's acknowledgement outcome. */
    record Outcome(Errors error, String message) {

        static final Outcome NONE = new Outcome(Errors.NONE, null);
    }

    private final ShareGroupApi shares;

    ShareAckBatches(ShareGroupApi shares) {
        this.shares = shares;
    }

    Mono<Outcome> apply(String groupId, String memberId, TopicPartition tp, List<Batch> batches) {
        List<ShareAcknowledgeRequest.Item> items = new ArrayList<>();
        for (Batch batch : batches) {
            String fault = items(batch, items);
            if (fault != null) {
                return Mono.just(new Outcome(Errors.INVALID_REQUEST, fault));
            }
        }
        if (items.isEmpty()) {
            return Mono.just(Outcome.NONE);
        }
        return shares.acknowledge(new ShareAcknowledgeRequest(groupId, memberId, tp.topic(), tp.partition(), items))
                .map(ShareAckBatches::outcome);
    }

    /** Adds the batch's items; answers why the batch is malformed, or null. */
    static String items(Batch batch, List<ShareAcknowledgeRequest.Item> items) {
        long first = batch.firstOffset();
        long last = batch.lastOffset();
        List<Byte> types = batch.types();
        if (first < 0 || last < first) {
            return "An acknowledgement batch needs 0 <= first offset <= last offset, not [" + first + ", " + last + "]";
        }
        if (types == null || types.isEmpty() || types.size() != 1 && types.size() != last - first + 1) {
            return "An acknowledgement batch [" + first + ", " + last + "] has one acknowledge type, or one per offset";
        }
        List<ShareAcknowledgeRequest.Item> added = new ArrayList<>();
        long runStart = first;
        for (long offset = first; offset <= last; offset++) {
            byte type = types.size() == 1 ? types.getFirst() : types.get((int) (offset - first));
            if (type < 0 || type > 4) {
                return "Unknown acknowledge type " + type + " at offset " + offset;
            }
            byte nextType = offset == last ? -1 : types.size() == 1 ? type : types.get((int) (offset - first + 1));
            if (nextType != type) {
                AcknowledgeType kind = kind(type);
                if (kind != null) {
                    added.add(ShareAcknowledgeRequest.Item.range(runStart, offset, kind));
                }
                runStart = offset + 1;
            }
        }
        items.addAll(added);
        return null;
    }

    private static AcknowledgeType kind(byte type) {
        return switch (type) {
            case 1 -> AcknowledgeType.ACCEPT;
            case 2 -> AcknowledgeType.RELEASE;
            case 3 -> AcknowledgeType.REJECT;
            case 4 -> AcknowledgeType.RENEW;
            default -> null;
        };
    }

    private static Outcome outcome(ShareAcknowledgeResponse answer) {
        for (ShareAcknowledgeResponse.ItemResult item : answer.items()) {
            if (item.error() != null) {
                return new Outcome(Errors.INVALID_RECORD_STATE, "Acknowledgement refused: " + item.error());
            }
            for (ShareAcknowledgeResponse.RecordOutcome record : item.records()) {
                if (record.error() != null) {
                    return new Outcome(Errors.INVALID_RECORD_STATE, "Record at offset " + record.offset()
                            + " was not acknowledged: " + record.error());
                }
            }
        }
        return Outcome.NONE;
    }
}
