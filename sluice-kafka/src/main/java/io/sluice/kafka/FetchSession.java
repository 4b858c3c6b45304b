package io.sluice.kafka;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FetchMetadata;

/**
 * A connection's fetch session (KIP-227): the partitions a consumer reads through this broker, with where it reads
 * each and what it was last told of each, kept between its Fetch requests so that a request names only the partitions
 * whose fetch position changed and an answer carries only the partitions that have news. A consumer of a thousand idle
 * partitions then sends and receives a few bytes per round trip instead of a thousand partitions each way.
 *
 * <p>A request's {@code session_epoch} says what it is:
 * <ul>
 *   <li>0 (INITIAL): a full request, naming every partition; it opens a session (replacing this connection's), whose
 *       id the answer carries, and the next request is expected at epoch 1;</li>
 *   <li>-1 (FINAL): a full request that opens no session, and closes the one it names; answered with session id 0;</li>
 *   <li>any other: an incremental request of this connection's session — the partitions it names are added or their
 *       positions updated, those in {@code forgotten_topics_data} removed, and every partition of the session is
 *       read. A session id this connection does not hold is FETCH_SESSION_ID_NOT_FOUND, an epoch other than the
 *       expected one INVALID_FETCH_SESSION_EPOCH; either answers the request whole, and the client starts over with
 *       a full request.</li>
 * </ul>
 * An incremental answer carries a partition when it has records or an error, or when its high watermark, last stable
 * offset or log start offset differ from what the client was last told; partitions answered with records move to the
 * end of the session's order, as Kafka moves them, so that a request's {@code max_bytes} does not always go to the
 * same ones.
 *
 * <p>One session per connection, as Kafka's clients keep one per broker connection, and it lives as long as the
 * connection: a client that connects again (to this broker or another behind the same address) is told
 * FETCH_SESSION_ID_NOT_FOUND and sends a full request. So a session costs no more than the connection's partitions,
 * and no limit on their number is needed. Both Kafka listeners (the gateway's and a partition service's) keep one per
 * connection. A connection's Fetches are handled one at a time, but a request is planned on one thread and its answer
 * recorded on another, so the methods are synchronized (never contended) for the memory they share.
 */
public final class FetchSession {

    /** A partition as the client names it: by topic name (Fetch before v13, {@code topicId} zero) or by topic id. */
    public record Key(String topic, Uuid topicId, int partition) {
    }

    /** A partition of the session: where the client last asked to read it, and what it was last told of it. */
    public static final class Entry {

        private final Key key;
        private long fetchOffset;
        private int currentLeaderEpoch;
        private int partitionMaxBytes;
        private long highWatermark = -1;
        private long lastStableOffset = -1;
        private long logStartOffset = -1;

        private Entry(Key key, FetchRequestData.FetchPartition asked) {
            this.key = key;
            update(asked);
        }

        private void update(FetchRequestData.FetchPartition asked) {
            fetchOffset = asked.fetchOffset();
            currentLeaderEpoch = asked.currentLeaderEpoch();
            partitionMaxBytes = asked.partitionMaxBytes();
        }

        public Key key() {
            return key;
        }

        public long fetchOffset() {
            return fetchOffset;
        }

        public int currentLeaderEpoch() {
            return currentLeaderEpoch;
        }

        public int partitionMaxBytes() {
            return partitionMaxBytes;
        }
    }

    /**
     * What one Fetch reads.
     *
     * @param error       NONE, or the error that answers the request whole
     * @param sessionId   the session id the answer carries (0: none)
     * @param incremental whether the answer carries only the partitions with news
     * @param partitions  every partition to read, in the session's order
     */
    public record Plan(Errors error, int sessionId, boolean incremental, List<Entry> partitions) {

        static Plan refused(Errors error) {
            return new Plan(error, 0, false, List.of());
        }
    }

    private final IntSupplier newIds;
    private final LinkedHashMap<Key, Entry> partitions = new LinkedHashMap<>();
    private int id;
    private int nextEpoch;

    /** @param newIds session ids to hand out, never 0 */
    public FetchSession(IntSupplier newIds) {
        this.newIds = newIds;
    }

    /** Applies {@code request} to the session, as its epoch says, and says what to read. */
    public synchronized Plan plan(FetchRequestData request, boolean byId) {
        int epoch = request.sessionEpoch();
        if (epoch == FetchMetadata.FINAL_EPOCH) {
            if (request.sessionId() == id) {
                close();
            }
            LinkedHashMap<Key, Entry> sessionless = new LinkedHashMap<>();
            add(sessionless, request, byId);
            return new Plan(Errors.NONE, 0, false, List.copyOf(sessionless.values()));
        }
        if (epoch == FetchMetadata.INITIAL_EPOCH) {
            close();
            add(partitions, request, byId);
            id = newIds.getAsInt();
            nextEpoch = FetchMetadata.nextEpoch(epoch);
            return new Plan(Errors.NONE, id, false, List.copyOf(partitions.values()));
        }
        if (id == 0 || request.sessionId() != id) {
            return Plan.refused(Errors.FETCH_SESSION_ID_NOT_FOUND);
        }
        if (epoch != nextEpoch) {
            return Plan.refused(Errors.INVALID_FETCH_SESSION_EPOCH);
        }
        add(partitions, request, byId);
        for (FetchRequestData.ForgottenTopic forgotten : request.forgottenTopicsData()) {
            for (int partition : forgotten.partitions()) {
                partitions.remove(key(forgotten.topic(), forgotten.topicId(), partition, byId));
            }
        }
        nextEpoch = FetchMetadata.nextEpoch(epoch);
        return new Plan(Errors.NONE, id, true, List.copyOf(partitions.values()));
    }

    /**
     * Remembers what {@code answer} tells the client of {@code entry}, and says whether an incremental answer must
     * carry it: it has records or an error, names a replica to read from instead (KIP-392), or one of its offsets
     * changed since the client was last told.
     */
    public synchronized boolean answered(Entry entry, PartitionData answer) {
        boolean news = answer.errorCode() != Errors.NONE.code()
                || answer.records() != null && answer.records().sizeInBytes() > 0
                || answer.preferredReadReplica() >= 0
                || answer.highWatermark() != entry.highWatermark || answer.lastStableOffset() != entry.lastStableOffset
                || answer.logStartOffset() != entry.logStartOffset;
        // After an error the client is told the offsets again with the next answer.
        boolean failed = answer.errorCode() != Errors.NONE.code();
        entry.highWatermark = failed ? -1 : answer.highWatermark();
        entry.lastStableOffset = failed ? -1 : answer.lastStableOffset();
        entry.logStartOffset = failed ? -1 : answer.logStartOffset();
        if (answer.records() != null && answer.records().sizeInBytes() > 0 && partitions.get(entry.key) == entry) {
            partitions.remove(entry.key);
            partitions.put(entry.key, entry);
        }
        return news;
    }

    /**
     * The answer to a request planned by {@link #plan}: {@code answers} are its partitions' answers in the plan's order;
     * for an incremental request only those with news ({@link #answered}), grouped by topic in that order.
     */
    public FetchResponseData respond(Plan plan, List<PartitionData> answers, boolean byId) {
        Map<Object, FetchResponseData.FetchableTopicResponse> topics = new LinkedHashMap<>();
        for (int i = 0; i < answers.size(); i++) {
            Entry entry = plan.partitions().get(i);
            PartitionData answer = answers.get(i);
            if (!answered(entry, answer) && plan.incremental()) {
                continue;
            }
            Key key = entry.key();
            topics.computeIfAbsent(byId ? key.topicId() : key.topic(), id -> byId
                            ? new FetchResponseData.FetchableTopicResponse().setTopicId(key.topicId())
                            : new FetchResponseData.FetchableTopicResponse().setTopic(key.topic()))
                    .partitions().add(answer);
        }
        return new FetchResponseData().setSessionId(plan.sessionId()).setResponses(new ArrayList<>(topics.values()));
    }

    /** The session's id, 0 when none is open. */
    public synchronized int id() {
        return id;
    }

    /** The number of partitions in the session. */
    public synchronized int size() {
        return partitions.size();
    }

    private void close() {
        id = 0;
        nextEpoch = 0;
        partitions.clear();
    }

    private static void add(LinkedHashMap<Key, Entry> into, FetchRequestData request, boolean byId) {
        for (FetchRequestData.FetchTopic topic : request.topics()) {
            for (FetchRequestData.FetchPartition partition : topic.partitions()) {
                Key key = key(topic.topic(), topic.topicId(), partition.partition(), byId);
                Entry known = into.get(key);
                if (known == null) {
                    into.put(key, new Entry(key, partition));
                } else {
                    known.update(partition);
                }
            }
        }
    }

    private static Key key(String topic, Uuid topicId, int partition, boolean byId) {
        return byId ? new Key(null, topicId, partition) : new Key(topic, Uuid.ZERO_UUID, partition);
    }
}
