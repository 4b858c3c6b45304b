package io.sluice.gateway.brokerconfig;

/**
 * What a topic gets when it is created without saying, as the cluster's broker configs have it now: whether a topic
 * that a produce or a Metadata request names is auto-created, and the partition count and replication factor of an
 * auto-created topic or one created with -1 ({@code auto.create.topics.enable}, {@code num.partitions},
 * {@code default.replication.factor}).
 */
public record TopicDefaults(boolean autoCreate, int partitions, int replicationFactor) {
}
