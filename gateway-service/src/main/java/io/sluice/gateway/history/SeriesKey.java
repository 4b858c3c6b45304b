package io.sluice.gateway.history;

/**
 * One series: what it is about ({@code subject}), what it measures, and where (the topic and partition, or the node;
 * each null where it does not apply, e.g. a topic-wide total has no partition).
 */
public record SeriesKey(Subject subject, Metric metric, String topic, Integer partition, Integer node) {

    /** A topic, a consumer group, a share group, or the cluster: what one history route answers for. */
    public record Subject(Kind kind, String name) {

        public static final Subject CLUSTER = new Subject(Kind.CLUSTER, "");

        public static Subject topic(String name) {
            return new Subject(Kind.TOPIC, name);
        }

        public static Subject group(String name) {
            return new Subject(Kind.GROUP, name);
        }

        public static Subject shareGroup(String name) {
            return new Subject(Kind.SHARE_GROUP, name);
        }
    }

    public enum Kind { TOPIC, GROUP, SHARE_GROUP, CLUSTER }

    /** A series of a topic's partition ({@code partition} null: the whole topic). */
    public static SeriesKey ofTopic(String topic, Metric metric, Integer partition) {
        return new SeriesKey(Subject.topic(topic), metric, topic, partition, null);
    }

    /** A series of a group's (or share group's) partition. */
    public static SeriesKey ofGroup(Subject group, Metric metric, String topic, int partition) {
        return new SeriesKey(group, metric, topic, partition, null);
    }

    /** A series of the cluster's ({@code node} null: not of one node). */
    public static SeriesKey ofCluster(Metric metric, Integer node) {
        return new SeriesKey(Subject.CLUSTER, metric, null, null, node);
    }
}
