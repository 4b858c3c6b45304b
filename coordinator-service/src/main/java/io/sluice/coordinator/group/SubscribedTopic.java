package io.sluice.coordinator.group;

/** A topic some member of a group consumes, as it was when the target assignment was computed. */
record SubscribedTopic(String id, int partitions) {
}
