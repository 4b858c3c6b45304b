package io.sluice.internal.remote;

import io.sluice.internal.coordinator.CoordinatorPaths;
import io.sluice.protocol.TopicPartition;

/** The coordinator's internal route for the remote logs of tiered storage. */
public final class RemoteLogPaths {

    /** GET: the partition's {@link RemoteLog}; POST a {@link RemoteSegment} update: the remote log afterwards. */
    public static final String REMOTE_SEGMENTS = "/internal/topics/{name}/partitions/{partition}/remote-segments";
    /** POST a {@link RemoteLogStart}: the remote log afterwards. */
    public static final String REMOTE_LOG_START = "/internal/topics/{name}/partitions/{partition}/remote-log-start";

    private RemoteLogPaths() {
    }

    public static String remoteSegments(TopicPartition partition) {
        return CoordinatorPaths.topicPartitions(partition.topic()) + "/" + partition.partition() + "/remote-segments";
    }

    public static String remoteLogStart(TopicPartition partition) {
        return CoordinatorPaths.topicPartitions(partition.topic()) + "/" + partition.partition() + "/remote-log-start";
    }
}
