package io.sluice.partition;

import io.sluice.internal.client.InternalClientSettings;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Everything a partition-service node can be told ({@code sluice.partition.*}).
 *
 * @param nodeId          this node's id; stored in the data directory, which then refuses any other id
 * @param dataDir         where partition logs live (one process per directory, enforced by a lock)
 * @param coordinatorUrls every coordinator instance; calls fail over between them
 * @param advertisedUrl   the URL gateways and other nodes reach this node at
 * @param rack            this node's rack, for rack-aware placement (optional)
 * @param replication     follower fetching and ISR upkeep
 * @param requests        limits of the internal produce and fetch endpoints
 * @param housekeeping    periodic log maintenance
 * @param cleaner         the log cleaner of compacted topics
 * @param metadataWait    the long-poll wait of each metadata request to the coordinator
 * @param internalCalls   timeouts, retries, circuit breaking and connection pools of calls to the coordinator and
 *                        to other partition services (see {@link InternalClientSettings})
 * @param kafka           the node's own Kafka listener: the direct data path for Kafka clients
 * @param remoteStorage   tiered storage's object store, where the topics with {@code remote.storage.enable} keep
 *                        their sealed segments
 */
@Validated
@ConfigurationProperties("sluice.partition")
public record PartitionProperties(
        @Min(0) int nodeId,
        @NotNull Path dataDir,
        @NotEmpty List<URI> coordinatorUrls,
        @NotNull URI advertisedUrl,
        String rack,
        @Valid @DefaultValue Replication replication,
        @Valid @DefaultValue Requests requests,
        @Valid @DefaultValue Housekeeping housekeeping,
        @Valid @DefaultValue Cleaner cleaner,
        @DefaultValue("20s") Duration metadataWait,
        @DefaultValue InternalClientSettings internalCalls,
        @Valid @DefaultValue Kafka kafka,
        @Valid @DefaultValue RemoteStorage remoteStorage) {

    /**
     * @param lagTimeMax       a follower that has not caught up for this long leaves the ISR
     *                         ({@code replica.lag.time.max.ms})
     * @param fetchMaxWait     how long a follower's fetch waits at the leader for new data
     * @param fetchMaxBytes    the most a follower fetches per partition per request
     * @param shutdownTimeout  how long a controlled shutdown waits for leaderships to move away
     * @param moveThrottle     per second, the most this node, as a leader, serves the replicas that moves are adding
     *                         while they are out of the ISR, unless its record in the metadata says otherwise
     *                         (Kafka's {@code leader.replication.throttled.rate})
     * @param fetchStream      followers fetch from each {@code http://} leader over one replica fetch stream rather
     *                         than an HTTP exchange per fetch ({@code ReplicationStreamClient}); off: HTTP only
     * @param fetchResponseMaxBytes the most record bytes a leader puts in one answer to a follower over all its
     *                         partitions, past which only the first partition's first batch may go (Kafka's
     *                         {@code replica.fetch.response.max.bytes}); at most 128MB
     */
    public record Replication(@DefaultValue("30s") Duration lagTimeMax,
                              @DefaultValue("500ms") Duration fetchMaxWait,
                              @DefaultValue("4MB") DataSize fetchMaxBytes,
                              @DefaultValue("15s") Duration shutdownTimeout,
                              @DefaultValue("100MB") DataSize moveThrottle,
                              @DefaultValue("true") boolean fetchStream,
                              @DefaultValue("64MB") DataSize fetchResponseMaxBytes) {

        /** The largest {@code fetch-response-max-bytes}: half a fetch stream frame, whatever the first batch adds. */
        public static final DataSize MAX_FETCH_RESPONSE = DataSize.ofMegabytes(128);

        public Replication {
            if (fetchResponseMaxBytes.toBytes() < 1 || fetchResponseMaxBytes.compareTo(MAX_FETCH_RESPONSE) > 0) {
                throw new IllegalArgumentException("sluice.partition.replication.fetch-response-max-bytes must be "
                        + "between 1B and " + MAX_FETCH_RESPONSE.toMegabytes() + "MB, was "
                        + fetchResponseMaxBytes.toBytes() + "B");
            }
        }
    }

    /**
     * @param maxProduceBytes the largest produce request body accepted
     * @param maxFetchWait    the longest a consumer fetch may wait for data
     * @param defaultTimeout  the acks=all wait when a request names none
     */
    public record Requests(@DefaultValue("64MB") DataSize maxProduceBytes,
                           @DefaultValue("30s") Duration maxFetchWait,
                           @DefaultValue("30s") Duration defaultTimeout) {
    }

    /**
     * @param flushCheckInterval     how often flush.ms is checked and rolled segments are fsynced
     *                               ({@code log.flush.scheduler.interval.ms})
     * @param checkpointInterval     how often each log's recovery point, high watermark and log start offset are
     *                               checkpointed, when they changed ({@code replica.high.watermark.checkpoint.interval.ms})
     * @param retentionCheckInterval how often retention deletes old segments ({@code log.retention.check.interval.ms})
     * @param producerIdExpiration   a producer id whose last batch a partition saw this long ago is forgotten there
     *                               ({@code producer.id.expiration.ms}); its next batch must start at sequence 0
     * @param producerIdExpirationCheckInterval how often expired producer ids are removed
     *                               ({@code producer.id.expiration.check.interval.ms})
     */
    public record Housekeeping(@DefaultValue("1s") Duration flushCheckInterval,
                               @DefaultValue("5s") Duration checkpointInterval,
                               @DefaultValue("5m") Duration retentionCheckInterval,
                               @DefaultValue("24h") Duration producerIdExpiration,
                               @DefaultValue("10m") Duration producerIdExpirationCheckInterval) {
    }

    /**
     * @param enabled              whether compacted topics are cleaned on this node ({@code log.cleaner.enable})
     * @param backoff              the pause when no log needs cleaning ({@code log.cleaner.backoff.ms})
     * @param ioMaxBytesPerSecond  the cleaner's read rate limit; unset: unlimited
     *                             ({@code log.cleaner.io.max.bytes.per.second})
     * @param dedupeBufferSize     memory for the key map of one cleaning ({@code log.cleaner.dedupe.buffer.size});
     *                             a log with more keys is cleaned in several rounds
     */
    public record Cleaner(@DefaultValue("true") boolean enabled,
                          @DefaultValue("15s") Duration backoff,
                          DataSize ioMaxBytesPerSecond,
                          @DefaultValue("64MB") DataSize dedupeBufferSize) {
    }

    /**
     * The node's Kafka listener (docs/kafka.md, "The direct data path"): Kafka clients produce to and fetch from the
     * partitions this node leads here, and every other request they send it is forwarded to a gateway.
     *
     * @param enabled         whether the node listens for Kafka clients
     * @param host            the address to bind ({@code 0.0.0.0} in a container)
     * @param port            the port to bind; 0 picks a free one
     * @param advertisedHost  the host clients are told to connect to; unset, the bound host (127.0.0.1 for a wildcard)
     * @param advertisedPort  the port clients are told to connect to; unset, the bound port
     * @param maxRequestSize  the largest request frame accepted; a larger one closes its connection
     * @param closestReplicaReads whether, as a leader, the node sends a consumer that names its rack
     *                        ({@code client.rack}) to an in-sync replica in that rack (KIP-392; Kafka's
     *                        {@code replica.selector.class=RackAwareReplicaSelector}); followers serve such reads either
     *                        way
     * @param sslBundle       the SSL bundle the listener serves TLS with; by default the HTTP server's
     *                        ({@code server.ssl.bundle}), as at the gateways; {@code none}: plaintext
     */
    public record Kafka(@DefaultValue("false") boolean enabled,
                        @DefaultValue("127.0.0.1") String host,
                        @DefaultValue("0") @Min(0) @Max(65535) int port,
                        String advertisedHost,
                        @Min(1) @Max(65535) Integer advertisedPort,
                        @DefaultValue("100MB") DataSize maxRequestSize,
                        @DefaultValue("true") boolean closestReplicaReads,
                        String sslBundle) {
    }

    /**
     * Tiered storage (docs/storage.md, "Tiered storage"): an S3-compatible bucket where the leaders of topics with
     * {@code remote.storage.enable} copy their sealed segments, and from which reads below a replica's local log are
     * served. Every node of a cluster names the same bucket and prefix.
     *
     * @param enabled        whether this node copies to and reads from remote storage (Kafka's
     *                       {@code remote.log.storage.system.enable})
     * @param endpoint       the S3 endpoint (MinIO, Ceph, s3proxy, ...); unset: AWS's for the region
     * @param region         the bucket's region (any value for most S3-compatible servers)
     * @param bucket         the bucket, which must exist
     * @param prefix         the key prefix of every object this cluster writes (several clusters can share a bucket)
     * @param accessKey      the access key id; unset: the AWS SDK's default credentials (environment, profile, role)
     * @param secretKey      the secret access key, with {@code accessKey}
     * @param pathStyle      path-style requests ({@code endpoint/bucket/key}), which most S3-compatible servers need
     * @param copyInterval   how often a leader looks for sealed segments to copy, and retries a failed copy
     * @param cacheSize      the disk the cache of segments fetched for remote reads may take
     *                       ({@code <dataDir>/remote-cache}); at least one segment
     * @param requestTimeout the longest one request to the store may take
     */
    public record RemoteStorage(@DefaultValue("false") boolean enabled,
                                URI endpoint,
                                @DefaultValue("us-east-1") String region,
                                String bucket,
                                @DefaultValue("sluice") String prefix,
                                String accessKey,
                                String secretKey,
                                @DefaultValue("true") boolean pathStyle,
                                @DefaultValue("30s") Duration copyInterval,
                                @DefaultValue("2GB") DataSize cacheSize,
                                @DefaultValue("60s") Duration requestTimeout) {
    }
}
