package io.sluice.gateway;

import io.sluice.gateway.format.MaskingRule;
import io.sluice.internal.client.InternalClientSettings;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Everything a gateway can be told ({@code sluice.gateway.*}). Gateways are stateless: any number of them with the
 * same settings give the same answers.
 *
 * @param coordinatorUrls every coordinator instance
 * @param produce         produce defaults and limits
 * @param consume         consume defaults and limits
 * @param groups          consumer-group members served by this gateway
 * @param rerouting       how calls to a partition leader that moved are made again at the new one
 * @param autoCreateTopics creating unknown topics on first produce (off by default, as in Kafka)
 * @param kafka           the Kafka-protocol listener
 * @param metadataWait    the long-poll wait of each metadata request to the coordinator
 * @param internalCalls   timeouts, retries, circuit breaking and connection pools of calls to the coordinator and to
 *                        partition leaders (see {@link InternalClientSettings})
 * @param fetchStream     consumer fetches from partition leaders over one fetch stream per leader rather than an HTTP
 *                        exchange each, where the leader is {@code http://} ({@code FetchStreamClient}); off: HTTP only
 * @param produceStream   internal produce requests to partition leaders over one produce stream per leader rather than
 *                        an HTTP exchange each, where the leader is {@code http://} ({@code FetchStreamClient}); off:
 *                        HTTP only
 * @param masking         the operator's rules for masking record contents in reads (docs/api.md#masking)
 * @param history         the bounded window of metrics history this gateway keeps for the {@code /history} routes
 */
@Validated
@ConfigurationProperties("sluice.gateway")
public record GatewayProperties(
        @NotEmpty List<URI> coordinatorUrls,
        @Valid @DefaultValue Produce produce,
        @Valid @DefaultValue Consume consume,
        @Valid @DefaultValue Groups groups,
        @Valid @DefaultValue Rerouting rerouting,
        @Valid @DefaultValue AutoCreateTopics autoCreateTopics,
        @Valid @DefaultValue Kafka kafka,
        @DefaultValue("20s") Duration metadataWait,
        @DefaultValue InternalClientSettings internalCalls,
        @DefaultValue("true") boolean fetchStream,
        @DefaultValue("true") boolean produceStream,
        @Valid @DefaultValue Masking masking,
        @Valid @DefaultValue History history) {

    /**
     * @param maxRequestSize the largest produce request body (413 beyond, before it is buffered)
     * @param defaultTimeout how long a produce may take, retries and acks=all included, when it names no timeout_ms
     * @param maxTimeout     the longest timeout_ms a produce may ask for
     * @param coalescing     how client requests bound for one leader share internal produce requests
     * @param idempotency    requests with an {@code Idempotency-Key}
     * @param atomicProducers how many atomic produces ({@code POST /v1/records}) this gateway runs at once: each has a
     *                       transactional id of its own, {@code sluice-http-<kafka.node-id>-<n>}, so gateways need
     *                       node ids of their own (as Kafka brokers do); more wait for one to be free
     * @param transactionTimeout the timeout of an HTTP transaction whose begin names none (Kafka's
     *                       {@code transaction.timeout.ms}): the coordinator aborts it when open longer
     */
    public record Produce(@DefaultValue("32MB") DataSize maxRequestSize,
                          @DefaultValue("30s") Duration defaultTimeout,
                          @DefaultValue("5m") Duration maxTimeout,
                          @Valid @DefaultValue Coalescing coalescing,
                          @Valid @DefaultValue Idempotency idempotency,
                          @DefaultValue("8") @Min(1) int atomicProducers,
                          @DefaultValue("60s") Duration transactionTimeout) {
    }

    /**
     * @param keyRetention how long the coordinator keeps an Idempotency-Key (its producer id, partitions and stored
     *                     response): a retry within it is answered without writing again, a later one writes anew.
     *                     Keep it at most the partition services' {@code producer-id-expiration}
     */
    public record Idempotency(@DefaultValue("24h") Duration keyRetention) {
    }

    /**
     * The gateway's produce accumulator, one queue per leader node (Kafka's {@code max.in.flight.requests.per.connection},
     * {@code max.request.size} and {@code buffer.memory}, per leader). A client request goes out at once while fewer
     * than {@code maxInFlightPerLeader} internal requests are in flight to its leader and none of them carries one of
     * its partitions; otherwise it waits, and what waits is sent together when one completes.
     *
     * @param maxInFlightPerLeader internal produce requests in flight to one leader at a time (each partition is in
     *                             one of them at most)
     * @param maxRequestSize       the batch bytes one internal produce request carries; a larger client request goes
     *                             out alone
     * @param maxQueuedRequests    client requests that may wait for one leader; beyond, THROTTLED (429)
     * @param maxQueuedBytes       batch bytes that may wait for one leader; beyond, THROTTLED (429) — except that a
     *                             request always gets in when nothing waits
     */
    public record Coalescing(@DefaultValue("1") @Min(1) int maxInFlightPerLeader,
                             @DefaultValue("4MB") DataSize maxRequestSize,
                             @DefaultValue("4096") @Min(1) int maxQueuedRequests,
                             @DefaultValue("64MB") DataSize maxQueuedBytes) {
    }

    /**
     * @param defaultMaxRecords records per read when max_records is not given
     * @param maxMaxRecords     the most records one read may ask for
     * @param defaultMaxBytes   bytes fetched per partition per read when max_bytes is not given
     * @param maxWait           the longest long poll (wait_ms)
     * @param sseHeartbeat      comment lines sent on idle SSE streams
     * @param sseFetchWait      the long-poll wait of each fetch behind an SSE stream
     * @param sseTailBuffer     the fetched chunks an SSE subscriber of a partition's shared tail may have waiting
     *                          before it leaves the tail and reads on its own (so a slow client never slows the others)
     */
    public record Consume(@DefaultValue("500") @Min(1) int defaultMaxRecords,
                          @DefaultValue("10000") @Min(1) int maxMaxRecords,
                          @DefaultValue("1MB") DataSize defaultMaxBytes,
                          @DefaultValue("30s") Duration maxWait,
                          @DefaultValue("15s") Duration sseHeartbeat,
                          @DefaultValue("5s") Duration sseFetchWait,
                          @DefaultValue("16") @Min(2) int sseTailBuffer) {
    }

    /**
     * How a call to a partition leader that answered that it leads no more (NOT_LEADER, a leader-epoch error), or that
     * could not be reached (LEADER_NOT_AVAILABLE), is made again at the leader newer metadata names
     * ({@code io.sluice.gateway.routing.Rerouting}). A produce does so within its own timeout ({@code timeout_ms},
     * else {@code produce.default-timeout}); an SSE stream for as long as it is open.
     *
     * @param readBudget  how long a read or an offset lookup may go on re-routing, on top of its own wait
     *                    ({@code wait_ms}); its last failure is the answer then
     * @param refreshWait the longest pause between two attempts of a call (a produce, a read, a stream's fetch) while
     *                    waiting for newer metadata; a newer version ends it at once
     */
    public record Rerouting(@DefaultValue("10s") Duration readBudget,
                            @DefaultValue("500ms") Duration refreshWait) {

        public Rerouting {
            if (readBudget.isNegative() || refreshWait.isNegative() || refreshWait.isZero()) {
                throw new IllegalArgumentException("sluice.gateway.rerouting.read-budget must not be negative and "
                        + "refresh-wait must be positive: " + readBudget + ", " + refreshWait);
            }
        }
    }

    /**
     * @param autoCommitInterval how often an SSE member with automatic commits commits the positions of the events it
     *                           was sent, when it names no auto_commit_interval_ms
     * @param lagInterval        how often group lag is measured for the metrics
     * @param lagScope           which groups this gateway exports the lag of: {@code all} the cluster's groups, or only
     *                           those it {@code served} (whose members called through it) — for a deployment of many
     *                           gateways, where one exporting every group is enough
     * @param revocationHold     with manual commits, the least time a partition asked back is still held after its
     *                           {@code assignment} event announced it, for the client to commit it: it is released at
     *                           the first heartbeat after that (0: the next heartbeat). Keep it well below the
     *                           group's rebalance timeout, past which the coordinator removes the member
     */
    public record Groups(@DefaultValue("5s") Duration autoCommitInterval,
                         @DefaultValue("30s") Duration lagInterval,
                         @DefaultValue("all") LagScope lagScope,
                         @DefaultValue("0s") Duration revocationHold) {

        public enum LagScope { ALL, SERVED }
    }

    /**
     * Masking of record contents in what readers get over HTTP: the rules apply to the reads that ask for it (the
     * {@code Sluice-Mask: true} header, which the console always sends) and, with {@code enforce}, to every read of a
     * principal not listed in {@code unmaskedPrincipals}. Kafka clients read records as they are stored.
     *
     * @param rules              the rules, each applied in turn to the records of the topics it names
     * @param enforce            mask every read over HTTP, whether asked or not, except those of {@code unmaskedPrincipals}
     * @param unmaskedPrincipals principals ({@code User:name}) whose reads are masked only when they ask
     */
    public record Masking(List<@Valid MaskingRule> rules,
                          @DefaultValue("false") boolean enforce,
                          List<String> unmaskedPrincipals) {

        public Masking {
            rules = rules == null ? List.of() : List.copyOf(rules);
            unmaskedPrincipals = unmaskedPrincipals == null ? List.of() : List.copyOf(unmaskedPrincipals);
        }
    }

    /**
     * The metrics history ({@code io.sluice.gateway.history.MetricsHistory}): every {@code interval} this gateway
     * samples the nodes' stats and its own latencies into one fixed-size ring of {@code window / interval} points per
     * series; group lag is recorded at each {@code groups.lag-interval} round. Memory is bounded by
     * {@code maxSeries} × points × 16 bytes (about 11 MB at the defaults).
     *
     * @param interval  how often a point is taken
     * @param window    how far back the history reaches
     * @param maxSeries the most series kept; a series beyond them is not recorded (logged once) until others expire
     */
    public record History(@DefaultValue("10s") Duration interval,
                          @DefaultValue("1h") Duration window,
                          @DefaultValue("2000") @Min(1) int maxSeries) {

        public History {
            if (interval.toMillis() < 100 || window.compareTo(interval) < 0
                    || window.toMillis() / interval.toMillis() > 100_000) {
                throw new IllegalArgumentException("sluice.gateway.history.interval must be at least 100ms and window "
                        + "at least one and at most 100000 intervals: " + interval + ", " + window);
            }
        }

        /** Points each series keeps: a whole window of them. */
        public int points() {
            return (int) (window.toMillis() / interval.toMillis());
        }
    }

    public record AutoCreateTopics(@DefaultValue("false") boolean enabled,
                                   @DefaultValue("3") @Min(1) int partitions,
                                   @DefaultValue("3") @Min(1) int replicationFactor) {
    }

    /**
     * The Kafka-protocol listener (docs/kafka.md): Kafka clients and tools reach the cluster through it, with this
     * gateway as their broker.
     *
     * @param enabled         whether the gateway listens for Kafka clients at all
     * @param host            the address it binds ({@code 0.0.0.0} in a container)
     * @param port            the port it binds (0: any free one, for tests)
     * @param advertisedHost  the host clients are told to connect to (Metadata's broker address); by default
     *                        {@code host}, or 127.0.0.1 when that is a wildcard address
     * @param advertisedPort  the port clients are told; by default the bound one
     * @param internalHost    the host the cluster's own services reach the listener at (a partition service forwards
     *                        there the Kafka requests it does not answer itself), where clients come in by another
     *                        name or a published port (Compose: the container's name); by default the advertised
     *                        address, host and port
     * @param internalPort    the port with {@code internalHost}; by default the bound one
     * @param nodeId          the broker id this gateway answers as
     * @param clusterId       the cluster id Metadata and DescribeCluster answer
     * @param maxRequestSize  the largest request frame (Kafka's {@code socket.request.max.bytes}); a larger one
     *                        closes the connection before it is read
     * @param sslBundle       the SSL bundle whose certificate the listener serves TLS with; by default the HTTP
     *                        server's ({@code server.ssl.bundle}), so a gateway serving HTTPS serves Kafka over TLS
     *                        too; none: plaintext
     * @param announceInterval how often the gateway announces its listener to the coordinator
     * @param readAhead       how many bytes of record batches all Kafka connections together may hold read ahead of
     *                        their consumers' next Fetch (each partition read ahead counts its
     *                        {@code partition_max_bytes} while it is read, then the bytes it holds); 0: none is read
     *                        ahead
     * @param transactionVersion the {@code transaction.version} feature level ApiVersions finalizes: 2, Kafka's
     *                        transaction version 2 (KIP-890 part 2), which Kafka 4 clients then use; 1 keeps every
     *                        client on version 1 (for a rolling upgrade from gateways without version 2: set 1 until
     *                        every gateway runs this one)
     * @param addPartitionsRetryTime how long a transactional produce's implicit add (transaction version 2) is asked
     *                        again while the coordinator answers CONCURRENT_TRANSACTIONS (the producer's last transaction
     *                        still being completed) before that answer goes to the client (Kafka's
     *                        {@code add.partitions.to.txn.retry.backoff.max.ms})
     * @param dataPath        direct: Metadata names a partition service as the leader of the partitions it leads when
     *                        it runs a Kafka listener of its own ({@code sluice.partition.kafka.enabled}), so clients
     *                        produce and fetch there; gateway: every partition is led by a gateway, for networks where
     *                        clients reach only the gateways
     * @param telemetry       the client metrics Kafka clients push (KIP-714), shown on the Prometheus endpoint
     */
    public record Kafka(@DefaultValue("true") boolean enabled,
                        @DefaultValue("127.0.0.1") @NotEmpty String host,
                        @DefaultValue("9092") @Min(0) @Max(65535) int port,
                        String advertisedHost,
                        @Min(1) @Max(65535) Integer advertisedPort,
                        String internalHost,
                        @Min(1) @Max(65535) Integer internalPort,
                        @DefaultValue("0") @Min(0) int nodeId,
                        @DefaultValue("sluice") @NotEmpty String clusterId,
                        @DefaultValue("100MB") DataSize maxRequestSize,
                        String sslBundle,
                        @DefaultValue("2s") Duration announceInterval,
                        @DefaultValue("64MB") DataSize readAhead,
                        @DefaultValue("2") @Min(1) @Max(2) int transactionVersion,
                        @DefaultValue("100ms") Duration addPartitionsRetryTime,
                        @DefaultValue("direct") DataPath dataPath,
                        @Valid @DefaultValue Telemetry telemetry) {

        /** Where Kafka clients' produces and fetches go: see {@link Kafka#dataPath}. */
        public enum DataPath { DIRECT, GATEWAY }

        /**
         * Client telemetry (KIP-714): what Kafka clients are asked to push (GetTelemetrySubscriptions) and how pushed
         * metrics are kept for the Prometheus endpoint.
         *
         * @param enabled            false: clients are subscribed to no metrics, so they push none
         * @param metrics            the metric name prefixes clients are asked to push; a pushed metric whose name
         *                           starts with none of them is dropped
         * @param pushInterval       how often clients push
         * @param maxBytes           the largest (compressed) push a client may send: TELEMETRY_TOO_LARGE beyond
         * @param maxClients         how many client instances' metrics are kept; a push from one more is refused
         *                           (THROTTLING_QUOTA_EXCEEDED) until one expires
         * @param maxSeriesPerClient how many series one client instance may have; the rest of a push is dropped
         */
        public record Telemetry(@DefaultValue("true") boolean enabled,
                                @DefaultValue({"org.apache.kafka.producer.", "org.apache.kafka.consumer."})
                                List<@NotEmpty String> metrics,
                                @DefaultValue("30s") Duration pushInterval,
                                @DefaultValue("1MB") DataSize maxBytes,
                                @DefaultValue("1000") @Min(1) int maxClients,
                                @DefaultValue("2000") @Min(1) int maxSeriesPerClient) {

            public Telemetry {
                if (pushInterval.toMillis() < 100 || pushInterval.toMillis() > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException(
                            "sluice.gateway.kafka.telemetry.push-interval must be at least 100ms: " + pushInterval);
                }
                metrics = List.copyOf(metrics);
            }

            /** How long a client's metrics are kept after its last push: three push intervals, as Kafka keeps them. */
            public Duration expiry() {
                return pushInterval.multipliedBy(3);
            }
        }

        /** Whether Kafka's clients are offered transaction version 2. */
        public boolean transactionVersion2() {
            return transactionVersion >= 2;
        }
    }
}
