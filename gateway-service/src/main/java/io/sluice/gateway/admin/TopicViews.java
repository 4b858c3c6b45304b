package io.sluice.gateway.admin;

import io.sluice.gateway.routing.PartitionReader;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.internal.partition.ListOffsetsRequest;
import io.sluice.internal.partition.ListOffsetsResponse;
import io.sluice.protocol.TopicPartition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Topics as the admin API shows them: the coordinator's metadata, with offsets from each partition's leader. */
@Service
class TopicViews {

    private final PartitionReader reader;

    TopicViews(PartitionReader reader) {
        this.reader = reader;
    }

    /** The topic with each partition's log start and high watermark, asked of its leader (null if it did not answer). */
    Mono<TopicView> withOffsets(TopicMetadata topic) {
        Map<Integer, Long[]> offsets = new java.util.concurrent.ConcurrentHashMap<>();
        return Flux.fromIterable(topic.partitions())
                .flatMap(state -> {
                    TopicPartition tp = new TopicPartition(topic.name(), state.partition());
                    return Mono.zip(offset(tp, ListOffsetsRequest.EARLIEST), offset(tp, ListOffsetsRequest.LATEST))
                            .doOnNext(pair -> offsets.put(state.partition(), new Long[] {pair.getT1(), pair.getT2()}));
                })
                .then(Mono.fromSupplier(() -> view(topic, offsets)));
    }

    private Mono<Long> offset(TopicPartition tp, long which) {
        return reader.listOffset(tp, which)
                .map(ListOffsetsResponse.Partition::offset)
                .timeout(Duration.ofSeconds(3))
                .onErrorResume(e -> Mono.just(-1L));
    }

    static TopicView withoutOffsets(TopicMetadata topic) {
        return view(topic, null);
    }

    private static TopicView view(TopicMetadata topic, Map<Integer, Long[]> offsets) {
        List<TopicView.PartitionView> partitions = topic.partitions().stream().map(p -> {
            Long[] o = offsets == null ? null : offsets.get(p.partition());
            return new TopicView.PartitionView(p.partition(), p.leader(), p.replicas(), p.isr(), p.leaderEpoch(),
                    o == null || o[0] < 0 ? null : o[0], o == null || o[1] < 0 ? null : o[1]);
        }).toList();
        return new TopicView(topic.name(), topic.id(), topic.partitions().size(), topic.replicationFactor(),
                topic.configs(), partitions);
    }
}
