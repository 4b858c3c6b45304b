package io.sluice.internal.metadata;

/** The active coordinator: its instance id, URL and the fencing token it holds the lease under. */
public record CoordinatorInfo(String instanceId, String url, long fencingToken) {
}
