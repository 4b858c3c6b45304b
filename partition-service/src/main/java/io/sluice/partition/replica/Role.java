package io.sluice.partition.replica;

/** What this node is for a partition it hosts. */
enum Role {
    LEADER,
    FOLLOWER
}
