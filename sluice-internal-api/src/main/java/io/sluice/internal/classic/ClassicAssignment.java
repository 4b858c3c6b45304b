package io.sluice.internal.classic;

/** The leader's opaque assignment for one member. */
public record ClassicAssignment(String memberId, byte[] assignment) {
}
