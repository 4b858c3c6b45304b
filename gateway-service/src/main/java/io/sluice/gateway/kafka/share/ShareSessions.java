package io.sluice.gateway.kafka.share;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;

/**
 * One Kafka connection's share sessions (KIP-932): per group and member, the share-partitions its ShareFetch requests
 * fetch and the session epoch the next request must carry. Epoch 0 opens a session (replacing the member's earlier
 * one, whose records are not released: as at Kafka they stay the member's under their locks) with the partitions the
 * request names; each later request carries the next epoch (1, 2, ..., wrapping to 1),
 * adds the partitions it names and drops the ones it forgets; -1 closes it. A request with another epoch is
 * INVALID_SHARE_SESSION_EPOCH, one for a session this connection does not have SHARE_SESSION_NOT_FOUND; either way the
 * session is unchanged and the client opens a new one.
 *
 * <p>Kept per connection, as Kafka keeps share sessions per broker: a session holds no records (the locks are the
 * coordinator's), so a client that connects again, or to another gateway, opens a new session and loses nothing.
 * A session that ends — closed by epoch -1, or with its connection ({@link #closeAll}) — names its partitions, so
 * that what the member holds in them is released at once ({@link ShareSessionReleases}), as Kafka does.
 * Requests of a connection are handled one at a time; the methods are synchronized for the threads that handle
 * successive ones.
 */
final class ShareSessions {

    /** A share-partition as the client names it. */
    record SharePartitionId(Uuid topicId, int partition) {
    }

    /**
     * The partitions a request is to fetch, or why it is refused; {@code closed}, the partitions of the session the
     * request closed (epoch -1), whose held records are to be released.
     */
    record Opened(Errors error, List<SharePartitionId> partitions, List<SharePartitionId> closed) {

        Opened(Errors error, List<SharePartitionId> partitions) {
            this(error, partitions, List.of());
        }
    }

    /** A session that ended with its connection: the member and the partitions it fetched. */
    record Ended(String groupId, String memberId, List<SharePartitionId> partitions) {
    }

    private record Key(String groupId, String memberId) {
    }

    private static final class Session {
        int nextEpoch;
        final Set<SharePartitionId> partitions = new LinkedHashSet<>();
    }

    private final Map<Key, Session> sessions = new HashMap<>();

    /** Applies a ShareFetch's epoch, partitions and forgotten partitions; answers the session's partitions after. */
    synchronized Opened fetch(String groupId, String memberId, int epoch, List<SharePartitionId> named,
                              List<SharePartitionId> forgotten) {
        Key key = new Key(groupId, memberId);
        if (epoch == 0) {
            Session session = new Session();
            session.partitions.addAll(named);
            session.nextEpoch = 1;
            sessions.put(key, session);
            return new Opened(Errors.NONE, List.copyOf(session.partitions));
        }
        Errors error = check(key, epoch);
        if (error != Errors.NONE) {
            return new Opened(error, List.of());
        }
        if (epoch == -1) {
            return new Opened(Errors.NONE, List.of(), List.copyOf(sessions.remove(key).partitions));
        }
        Session session = sessions.get(key);
        session.partitions.addAll(named);
        forgotten.forEach(session.partitions::remove);
        session.nextEpoch = next(epoch);
        return new Opened(Errors.NONE, List.copyOf(session.partitions));
    }

    /**
     * Applies a ShareAcknowledge's epoch: it needs an open session (epoch 0 opens none); -1 closes it, and the answer's
     * {@code closed} names its partitions ({@code partitions} is always empty: an acknowledge fetches nothing).
     */
    synchronized Opened acknowledge(String groupId, String memberId, int epoch) {
        Key key = new Key(groupId, memberId);
        if (epoch == 0) {
            return new Opened(Errors.INVALID_SHARE_SESSION_EPOCH, List.of());
        }
        Errors error = check(key, epoch);
        if (error != Errors.NONE) {
            return new Opened(error, List.of());
        }
        if (epoch == -1) {
            return new Opened(Errors.NONE, List.of(), List.copyOf(sessions.remove(key).partitions));
        }
        sessions.get(key).nextEpoch = next(epoch);
        return new Opened(Errors.NONE, List.of());
    }

    /** Ends every session (the connection dropped): each with its member and partitions. */
    synchronized List<Ended> closeAll() {
        List<Ended> ended = sessions.entrySet().stream().map(entry -> new Ended(entry.getKey().groupId(),
                entry.getKey().memberId(), List.copyOf(entry.getValue().partitions))).toList();
        sessions.clear();
        return ended;
    }

    private Errors check(Key key, int epoch) {
        Session session = sessions.get(key);
        if (session == null) {
            return Errors.SHARE_SESSION_NOT_FOUND;
        }
        if (epoch != -1 && epoch != session.nextEpoch) {
            return Errors.INVALID_SHARE_SESSION_EPOCH;
        }
        return Errors.NONE;
    }

    private static int next(int epoch) {
        return epoch == Integer.MAX_VALUE ? 1 : epoch + 1;
    }
}
