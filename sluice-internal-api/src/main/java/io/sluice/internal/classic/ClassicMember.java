package io.sluice.internal.classic;

/** A member as the group's leader sees it in a join answer: its id, instance id and the chosen protocol's metadata. */
public record ClassicMember(String memberId, String groupInstanceId, byte[] metadata) {
}
