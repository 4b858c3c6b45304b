package io.sluice.protocol;

/**
 * One partition of one topic. The string form {@code topic-partition} is also the name of the partition's
 * directory on disk, so it is only built from a valid topic name (see {@link TopicNames}) and a partition ≥ 0.
 */
public record TopicPartition(String topic, int partition) implements Comparable<TopicPartition> {

    public TopicPartition {
        TopicNames.validate(topic);
        if (partition < 0) {
            throw ErrorCode.UNKNOWN_PARTITION.exception("Partition must be >= 0, was " + partition);
        }
    }

    /**
     * Parses the {@code topic-partition} form (as used for partition directories). The partition is the part
     * after the last dash, so topics that contain dashes parse correctly; it must be written as
     * {@link #toString()} writes it (ASCII digits, no sign, no leading zero), so each partition has one name.
     */
    public static TopicPartition parse(String text) {
        int dash = text.lastIndexOf('-');
        if (dash <= 0 || dash == text.length() - 1) {
            throw ErrorCode.INVALID_REQUEST.exception("Not a topic-partition name: '" + text + "'");
        }
        String number = text.substring(dash + 1);
        int partition;
        try {
            partition = Integer.parseInt(number);
        } catch (NumberFormatException e) {
            throw ErrorCode.INVALID_REQUEST.exception("Not a topic-partition name: '" + text + "'");
        }
        // Only the form toString() writes: "t-03", "t-+3" or non-ASCII digits would alias partition 3's directory.
        if (!Integer.toString(partition).equals(number)) {
            throw ErrorCode.INVALID_REQUEST.exception("Not a topic-partition name: '" + text + "'");
        }
        return new TopicPartition(text.substring(0, dash), partition);
    }

    @Override
    public int compareTo(TopicPartition other) {
        int byTopic = topic.compareTo(other.topic);
        return byTopic != 0 ? byTopic : Integer.compare(partition, other.partition);
    }

    @Override
    public String toString() {
        return topic + "-" + partition;
    }
}
