package io.sluice.internal.classic;

import java.util.List;

/**
 * One protocol a classic group member supports (an assignor, for consumers), with its opaque metadata and, for a
 * member of protocol type {@code consumer}, the topics that metadata subscribes to as the gateway read it (Kafka's
 * ConsumerProtocolSubscription). {@code topics} is null when nobody knows them: another protocol type (Connect's), or
 * metadata that does not parse, which Kafka counts as subscribed to every topic.
 */
public record ClassicProtocol(String name, byte[] metadata, List<String> topics) {

    public ClassicProtocol {
        topics = topics == null ? null : List.copyOf(topics);
    }
}
