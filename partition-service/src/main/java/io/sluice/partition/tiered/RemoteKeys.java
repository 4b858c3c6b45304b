package io.sluice.partition.tiered;

import io.sluice.internal.remote.RemoteSegment;
import io.sluice.protocol.TopicPartition;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a partition's remote segments are in object storage: under {@code <topic>-<topic id>/<partition>/} (a topic
 * deleted and created again under its name has another id, so another place), each segment's objects named
 * {@code <base offset, 20 digits>-<segment id>} and a suffix per file.
 */
final class RemoteKeys {

    static final String LOG = ".log";
    static final String OFFSET_INDEX = ".index";
    static final String TIME_INDEX = ".timeindex";
    static final String PRODUCER_SNAPSHOT = ".snapshot";
    /** The aborted transactions with records in the segment, as JSON. */
    static final String ABORTED_TXNS = ".aborted";
    /** The leader epochs of the segment's offsets, as JSON. */
    static final String LEADER_EPOCHS = ".epochs";
    /** Every suffix a segment's objects may have, the log last: a copy is written in this order. */
    static final List<String> SUFFIXES = List.of(OFFSET_INDEX, TIME_INDEX, PRODUCER_SNAPSHOT, ABORTED_TXNS,
            LEADER_EPOCHS, LOG);

    private RemoteKeys() {
    }

    /** A topic's directory, {@code <topic>-<topic id>/}, as {@link #topicDirectory} reads one back. */
    private static final Pattern TOPIC_DIRECTORY = Pattern.compile(
            "(.+)-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/");

    static String partitionPrefix(TopicPartition tp, String topicId) {
        return topicDirectory(tp.topic(), topicId) + tp.partition() + "/";
    }

    static String topicDirectory(String topic, String topicId) {
        return topic + "-" + topicId + "/";
    }

    /**
     * The topic name and id a directory of the bucket is named by, or empty when it is not one of a topic's (the
     * coordinator names topics by UUIDs; anything else under the prefix is not tiered storage's).
     */
    static Optional<Map.Entry<String, String>> topicDirectory(String directory) {
        Matcher matcher = TOPIC_DIRECTORY.matcher(directory);
        return matcher.matches() ? Optional.of(Map.entry(matcher.group(1), matcher.group(2))) : Optional.empty();
    }

    static String segment(TopicPartition tp, String topicId, RemoteSegment segment, String suffix) {
        return partitionPrefix(tp, topicId) + "%020d-%s%s".formatted(segment.baseOffset(), segment.id(), suffix);
    }

    /** Every object a segment may have. */
    static List<String> allOf(TopicPartition tp, String topicId, RemoteSegment segment) {
        return SUFFIXES.stream().map(suffix -> segment(tp, topicId, segment, suffix)).toList();
    }
}
