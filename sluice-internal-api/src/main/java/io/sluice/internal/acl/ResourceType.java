package io.sluice.internal.acl;

/** What an ACL protects, as Kafka names it. The cluster is one resource, named {@code kafka-cluster} as in Kafka. */
public enum ResourceType {
    TOPIC, GROUP, CLUSTER, TRANSACTIONAL_ID;

    /** The name of the one cluster resource. */
    public static final String CLUSTER_NAME = "kafka-cluster";
}
