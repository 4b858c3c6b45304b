package io.sluice.partition;

import io.sluice.internal.client.InternalClientSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.util.unit.DataSize;

/** Settings of a partition service as its defaults have them, for tests that build its parts by hand. */
public final class TestPartitionProperties {

    private TestPartitionProperties() {
    }

    public static PartitionProperties of(int nodeId, Path dataDir) {
        return new PartitionProperties(nodeId, dataDir, List.of(URI.create("http://127.0.0.1:1")),
                URI.create("http://127.0.0.1:" + (9000 + nodeId)), null,
                new PartitionProperties.Replication(Duration.ofSeconds(30), Duration.ofMillis(500),
                        DataSize.ofMegabytes(4), Duration.ofSeconds(15), DataSize.ofMegabytes(100), true,
                        DataSize.ofMegabytes(64)),
                new PartitionProperties.Requests(DataSize.ofMegabytes(64), Duration.ofSeconds(30), Duration.ofSeconds(30)),
                new PartitionProperties.Housekeeping(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofMinutes(5),
                        Duration.ofHours(24), Duration.ofMinutes(10)),
                new PartitionProperties.Cleaner(true, Duration.ofSeconds(15), null, DataSize.ofMegabytes(64)),
                Duration.ofSeconds(20), InternalClientSettings.defaults(),
                new PartitionProperties.Kafka(false, "127.0.0.1", 0, null, null, DataSize.ofMegabytes(100), true, null),
                remoteStorageOff());
    }

    /** {@code properties} with {@code replication} instead of theirs. */
    public static PartitionProperties withReplication(PartitionProperties properties,
                                                      PartitionProperties.Replication replication) {
        return new PartitionProperties(properties.nodeId(), properties.dataDir(), properties.coordinatorUrls(),
                properties.advertisedUrl(), properties.rack(), replication, properties.requests(),
                properties.housekeeping(), properties.cleaner(), properties.metadataWait(), properties.internalCalls(),
                properties.kafka(), properties.remoteStorage());
    }

    /** Tiered storage off, as by default. */
    public static PartitionProperties.RemoteStorage remoteStorageOff() {
        return new PartitionProperties.RemoteStorage(false, null, "us-east-1", null, "sluice", null, null, true,
                Duration.ofSeconds(30), DataSize.ofGigabytes(2), Duration.ofSeconds(60));
    }
}
