package io.sluice.internal.coordinator;

/**
 * A partition service announcing itself: its node id, the URL it serves at, its rack (optional), and its incarnation:
 * an id the process draws once when it starts, the same in every registration it makes (Kafka's incarnation id). A
 * registration under a new incarnation tells the coordinator that the node restarted, whatever the heartbeats said.
 * {@code kafkaAddress} ({@code host:port}, optional) is where Kafka clients reach the node's own Kafka listener.
 */
public record RegisterRequest(int nodeId, String url, String rack, String incarnation, String kafkaAddress) {

    public RegisterRequest(int nodeId, String url, String rack, String incarnation) {
        this(nodeId, url, rack, incarnation, null);
    }
}
