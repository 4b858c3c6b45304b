package io.sluice.internal.share;

/**
 * Which records of one share-partition {@code memberId} holds now: ACQUIRED by it with their lock not past its deadline
 * ({@link ShareHeldResponse}). A read: it changes nothing, not even an expired lock. A gateway that pushes records to a
 * member (the share-group SSE stream) asks it to learn which of them the member has acknowledged since, through any
 * gateway.
 */
public record ShareHeldRequest(String groupId, String memberId, String topic, int partition) {
}
