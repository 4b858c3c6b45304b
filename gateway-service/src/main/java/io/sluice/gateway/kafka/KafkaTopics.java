package io.sluice.gateway.kafka;

import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.kafka.TopicIds;
import java.util.Optional;
import org.apache.kafka.common.Uuid;

/** Topics as Kafka requests name them: by name, or from v13 of Produce and Fetch on by topic id (KIP-516). */
final class KafkaTopics {

    private KafkaTopics() {
    }

    static Optional<TopicMetadata> byId(MetadataView view, Uuid id) {
        return view.metadata().topics().stream().filter(topic -> TopicIds.of(topic.id()).equals(id)).findFirst();
    }
}
