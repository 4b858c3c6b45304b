package io.sluice.internal.share;

/** How many records a {@link ShareReleaseRequest} made available again. */
public record ShareReleaseResponse(int releasedRecords) {
}
