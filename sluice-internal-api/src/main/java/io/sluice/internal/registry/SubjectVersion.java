package io.sluice.internal.registry;

/** One version of a subject: its number (from 1), the id of its schema, and whether it is soft-deleted. */
public record SubjectVersion(int version, int id, boolean deleted) {
}
