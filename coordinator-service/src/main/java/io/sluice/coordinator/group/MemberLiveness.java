package io.sluice.coordinator.group;

import io.sluice.internal.group.MemberState;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * When each group member last heartbeated, and since when it has been asked to release partitions — in this
 * coordinator's memory only, as for nodes: heartbeats are frequent and need no durability. A member this coordinator
 * has not heard from yet (just loaded after a failover, or just joined) starts its clock when first looked at, so a
 * failover never removes a member for having heartbeated to the previous coordinator. Thread-safe.
 */
@Component
class MemberLiveness {

    private final Clock clock;
    private final Map<String, Long> lastHeartbeat = new ConcurrentHashMap<>();
    private final Map<String, Long> revokingSince = new ConcurrentHashMap<>();

    MemberLiveness(Clock clock) {
        this.clock = clock;
    }

    void heartbeat(String groupId, String memberId) {
        lastHeartbeat.put(key(groupId, memberId), clock.millis());
    }

    void clear() {
        lastHeartbeat.clear();
        revokingSince.clear();
    }

    /**
     * The members of {@code group} to remove: silent past their session timeout, or still holding partitions asked
     * back past their rebalance timeout. Forgets members the group no longer has.
     */
    Set<String> expired(ConsumerGroup group) {
        long now = clock.millis();
        Set<String> expired = new TreeSet<>();
        for (GroupMember member : group.members().values()) {
            String key = key(group.groupId(), member.memberId());
            long last = lastHeartbeat.computeIfAbsent(key, k -> now);
            if (now - last > member.sessionTimeoutMs()) {
                expired.add(member.memberId());
            }
            // A classic member learns of partitions asked back only from a heartbeat, and gives them up by joining
            // again: it is revoking from the moment its target leaves them out.
            boolean revoking = member.state() == MemberState.UNREVOKED_PARTITIONS
                    || member.classic() && !member.target().containsAll(member.assigned());
            if (revoking) {
                long since = revokingSince.computeIfAbsent(key, k -> now);
                if (now - since > member.rebalanceTimeoutMs()) {
                    expired.add(member.memberId());
                }
            } else {
                revokingSince.remove(key);
            }
        }
        String prefix = group.groupId() + '\u0000';
        lastHeartbeat.keySet().removeIf(key -> key.startsWith(prefix)
                && !group.members().containsKey(key.substring(prefix.length())));
        revokingSince.keySet().removeIf(key -> key.startsWith(prefix)
                && !group.members().containsKey(key.substring(prefix.length())));
        return expired;
    }

    /** Forgets every member of a deleted group. */
    void forget(String groupId) {
        String prefix = groupId + '\u0000';
        lastHeartbeat.keySet().removeIf(key -> key.startsWith(prefix));
        revokingSince.keySet().removeIf(key -> key.startsWith(prefix));
    }

    private static String key(String groupId, String memberId) {
        return groupId + '\u0000' + memberId;
    }
}
