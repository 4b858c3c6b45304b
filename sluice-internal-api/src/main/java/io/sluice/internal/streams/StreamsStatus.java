package io.sluice.internal.streams;

/**
 * A condition of a streams group its members are told of in every heartbeat answer (KIP-1071's status codes). While
 * one of the first four holds, the group is not ready: its members get no tasks.
 */
public record StreamsStatus(Code code, String detail) {

    /** The conditions, with Kafka's status codes. */
    public enum Code {
        /** The member's topology epoch is older than the group's. */
        STALE_TOPOLOGY(0),
        /** A source topic does not exist, or a source regular expression matches none. */
        MISSING_SOURCE_TOPICS(1),
        /** Topics that must be copartitioned are not, or an internal topic has the wrong partition count. */
        INCORRECTLY_PARTITIONED_TOPICS(2),
        /** Internal topics do not exist yet: the coordinator is creating them. */
        MISSING_INTERNAL_TOPICS(3),
        /** A member asked the whole application to shut down. */
        SHUTDOWN_APPLICATION(4);

        private final int kafkaCode;

        Code(int kafkaCode) {
            this.kafkaCode = kafkaCode;
        }

        public int kafkaCode() {
            return kafkaCode;
        }

        /** Whether the group can assign tasks while this holds. */
        public boolean blocksAssignment() {
            return this == MISSING_SOURCE_TOPICS || this == INCORRECTLY_PARTITIONED_TOPICS
                    || this == MISSING_INTERNAL_TOPICS;
        }
    }
}
