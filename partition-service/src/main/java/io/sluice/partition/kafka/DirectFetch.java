package io.sluice.partition.kafka;

import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.internal.partition.FetchRequest;
import io.sluice.kafka.ExternalRecords;
import io.sluice.kafka.FetchSession;
import io.sluice.kafka.KafkaErrors;
import io.sluice.kafka.KafkaRequest;
import io.sluice.kafka.TopicIds;
import io.sluice.partition.fetch.FetchService;
import io.sluice.partition.fetch.PartitionRead;
import io.sluice.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import reactor.core.publisher.Mono;

/**
 * Fetch on the direct data path: the partitions asked for are read by this node's {@link FetchService} as a gateway's
 * internal fetch is (below the high watermark, or the last stable offset for read_committed with the aborted
 * transactions among the records; long polling on the logs' own waiters), and each partition's records go out as a
 * region of its segment file ({@link ExternalRecords}), with {@code sendfile} where the connection allows.
 *
 * <p>A partition this node does not lead is NOT_LEADER_OR_FOLLOWER; one whose {@code current_leader_epoch} is older
 * than this node's metadata has it FENCED_LEADER_EPOCH, a newer one UNKNOWN_LEADER_EPOCH: the client refreshes its
 * metadata either way. Each connection keeps a fetch session (KIP-227, {@link FetchSession}, the gateway's rules): a
 * full request opens it, incremental ones name only what changed, and an incremental answer carries only the
 * partitions with news. Follower fetches are not served here: replicas fetch from one another over the internal API.
 * A topic the connection's principal may not READ is TOPIC_AUTHORIZATION_FAILED ({@link Access}).
 *
 * <p>From version 11 on (KIP-392), a consumer that names its rack is sent by this leader to a replica in its rack
 * ({@link ClosestReplicas}), and a replica here that follows a partition serves the consumers sent to it, below its
 * own high watermark, as Kafka's followers do; older versions are served by the leader only.
 */
final class DirectFetch {

    private static final int NO_EPOCH = -1;

    /** The first version whose consumers follow {@code preferred_read_replica} and may read at a follower. */
    private static final short CLOSEST_REPLICA_VERSION = 11;

    private final FetchService fetches;
    private final Supplier<MetadataView> metadata;
    private final ClosestReplicas closest;

    DirectFetch(FetchService fetches, Supplier<MetadataView> metadata, ClosestReplicas closest) {
        this.fetches = fetches;
        this.metadata = metadata;
        this.closest = closest;
    }

    /** The answer to {@code request}, on the connection whose fetch session is {@code session}. */
    Mono<ApiMessage> handle(KafkaRequest request, FetchSession session, Access access) {
        FetchRequestData data = ((org.apache.kafka.common.requests.FetchRequest) request.body()).data();
        if (data.replicaId() >= 0 || (data.replicaState() != null && data.replicaState().replicaId() >= 0)) {
            return Mono.just(new FetchResponseData().setErrorCode(Errors.NOT_LEADER_OR_FOLLOWER.code()));
        }
        boolean byId = request.version() >= 13;
        FetchSession.Plan plan = session.plan(data, byId);
        if (plan.error() != Errors.NONE) {
            return Mono.just(new FetchResponseData().setErrorCode(plan.error().code()).setSessionId(0));
        }
        MetadataView view = metadata.get();
        // Per partition of the plan, in its order: its answer, filled in once read when it is read.
        List<PartitionData> answers = new ArrayList<>(plan.partitions().size());
        List<PartitionData> pending = new ArrayList<>();
        List<FetchRequest.Partition> reads = new ArrayList<>();
        Map<String, Boolean> readable = new HashMap<>();
        for (FetchSession.Entry entry : plan.partitions()) {
            FetchSession.Key key = entry.key();
            Optional<TopicMetadata> known = byId ? byId(view, key.topicId()) : view.topic(key.topic());
            PartitionData answer = new PartitionData().setPartitionIndex(key.partition())
                    .setHighWatermark(-1).setLastStableOffset(-1).setLogStartOffset(-1)
                    .setPreferredReadReplica(-1).setRecords(MemoryRecords.EMPTY);
            answers.add(answer);
            String name = known.map(TopicMetadata::name).orElse(key.topic() == null ? "" : key.topic());
            // Asked once per topic and request, before whether it exists (as at the gateways): a denial is one line.
            boolean allowed = readable.computeIfAbsent(name, topic -> access.topic(request, AclOperation.READ, topic));
            Errors refused = allowed ? check(known, entry, byId) : Errors.TOPIC_AUTHORIZATION_FAILED;
            if (refused != Errors.NONE) {
                answer.setErrorCode(refused.code());
                continue;
            }
            Optional<ClosestReplicas.Redirect> redirect = request.version() < CLOSEST_REPLICA_VERSION
                    ? Optional.empty() : closest.redirect(new TopicPartition(known.get().name(),
                            key.partition()), data.rackId(), entry.fetchOffset());
            if (redirect.isPresent()) {
                answer.setPreferredReadReplica(redirect.get().replica())
                        .setHighWatermark(redirect.get().highWatermark())
                        .setLastStableOffset(redirect.get().lastStableOffset())
                        .setLogStartOffset(redirect.get().logStartOffset());
                continue;
            }
            reads.add(new FetchRequest.Partition(known.get().name(), key.partition(), entry.fetchOffset(),
                    entry.partitionMaxBytes()));
            pending.add(answer);
        }
        if (reads.isEmpty()) {
            return Mono.just(session.respond(plan, answers, byId));
        }
        FetchRequest read = new FetchRequest((long) Math.max(0, data.maxWaitMs()), Math.max(1, data.minBytes()),
                Math.max(1, data.maxBytes()), reads, data.isolationLevel() == 1);
        return fetches.read(read, request.version() >= CLOSEST_REPLICA_VERSION).map(outcomes -> {
            for (int i = 0; i < pending.size(); i++) {
                fill(pending.get(i), outcomes.get(i));
            }
            return session.respond(plan, answers, byId);
        });
    }

    private static Errors check(Optional<TopicMetadata> topic, FetchSession.Entry asked, boolean byId) {
        if (topic.isEmpty()) {
            return byId ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION;
        }
        int partition = asked.key().partition();
        if (partition < 0 || partition >= topic.get().partitions().size()) {
            return Errors.UNKNOWN_TOPIC_OR_PARTITION;
        }
        int epoch = topic.get().partition(partition).leaderEpoch();
        if (asked.currentLeaderEpoch() != NO_EPOCH && asked.currentLeaderEpoch() < epoch) {
            return Errors.FENCED_LEADER_EPOCH;
        }
        if (asked.currentLeaderEpoch() > epoch) {
            return Errors.UNKNOWN_LEADER_EPOCH;
        }
        return Errors.NONE;
    }

    private static void fill(PartitionData answer, PartitionRead read) {
        answer.setHighWatermark(read.highWatermark()).setLastStableOffset(read.lastStableOffset())
                .setLogStartOffset(read.logStartOffset());
        if (read.error() != null) {
            answer.setErrorCode(KafkaErrors.ofRead(read.error()).code());
            return;
        }
        answer.setRecords(new ExternalRecords(read.records(), Math.toIntExact(read.records().length())));
        if (!read.aborted().isEmpty()) {
            answer.setAbortedTransactions(read.aborted().stream()
                    .map(txn -> new FetchResponseData.AbortedTransaction().setProducerId(txn.producerId())
                            .setFirstOffset(txn.firstOffset()))
                    .toList());
        }
    }

    /** The topic whose Kafka topic id is {@code id} (Produce and Fetch from v13 on name topics by id). */
    static Optional<TopicMetadata> byId(MetadataView view, Uuid id) {
        return view.metadata().topics().stream().filter(topic -> TopicIds.of(topic.id()).equals(id)).findFirst();
    }
}
