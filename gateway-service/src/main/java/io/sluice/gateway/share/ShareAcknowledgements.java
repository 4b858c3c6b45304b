package io.sluice.gateway.share;

import io.sluice.internal.share.ShareAcknowledgeRequest;
import io.sluice.internal.share.ShareAcknowledgeResponse;
import io.sluice.internal.share.ShareGroupApi;
import io.sluice.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A member's acknowledgements: one coordinator call per share-partition they name (its items in the request's order),
 * the answers put back in the request's order. A refusal of an item or of a record is in the answer, with its
 * {@link AcknowledgementError}; only a malformed request (refused before any call) or an unavailable coordinator fails
 * the whole call.
 */
@Service
class ShareAcknowledgements {

    private final ShareGroupApi shares;

    ShareAcknowledgements(ShareGroupApi shares) {
        this.shares = shares;
    }

    /** {@code items} checked ({@link ShareRequests.Acknowledge#checkedItems}). */
    Mono<List<ShareViews.ItemResult>> acknowledge(String group, String memberId, List<ShareRequests.Item> items) {
        Map<TopicPartition, List<Integer>> byPartition = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            ShareRequests.Item item = items.get(i);
            byPartition.computeIfAbsent(new TopicPartition(item.topic(), item.partition()), tp -> new ArrayList<>())
                    .add(i);
        }
        ShareViews.ItemResult[] results = new ShareViews.ItemResult[items.size()];
        return Flux.fromIterable(byPartition.entrySet())
                .flatMap(part -> {
                    TopicPartition tp = part.getKey();
                    List<Integer> indices = part.getValue();
                    ShareAcknowledgeRequest request = new ShareAcknowledgeRequest(group, memberId, tp.topic(),
                            tp.partition(), indices.stream().map(i -> items.get(i).toInternal()).toList());
                    return shares.acknowledge(request).doOnNext(answer -> {
                        for (int k = 0; k < indices.size(); k++) {
                            int index = indices.get(k);
                            results[index] = result(items.get(index), answer.items().get(k));
                        }
                    });
                })
                .then(Mono.fromSupplier(() -> List.of(results)));
    }

    static ShareViews.ItemResult result(ShareRequests.Item item, ShareAcknowledgeResponse.ItemResult answer) {
        return new ShareViews.ItemResult(item.topic(), item.partition(), item.acquisitionId(), item.firstOffset(),
                item.lastOffset(), item.type().toLowerCase(Locale.ROOT), AcknowledgementError.of(answer.error()),
                answer.records().stream().map(r -> new ShareViews.RecordResult(r.offset(),
                        AcknowledgementError.of(r.error()), r.state() == null ? null
                        : r.state().name().toLowerCase(Locale.ROOT), r.lockDeadlineMs())).toList());
    }
}
