package io.sluice.coordinator.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.protocol.TopicPartition;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** What the group simulations check of what their clients read and what the group says they own. */
final class SimulatedReads {

    private SimulatedReads() {
    }

    /** No partition is read by two clients, nor owned by two members of {@code group} (null: no group yet). */
    static void assertNoPartitionHasTwoReaders(Collection<? extends Set<TopicPartition>> reads, ConsumerGroup group,
                                               Object clients) {
        Set<TopicPartition> read = new HashSet<>();
        for (Set<TopicPartition> client : reads) {
            for (TopicPartition tp : client) {
                assertThat(read.add(tp)).as("%s read by two clients: %s", tp, clients).isTrue();
            }
        }
        if (group != null) {
            Set<TopicPartition> owned = new HashSet<>();
            group.members().values().forEach(m -> m.owned().forEach(tp ->
                    assertThat(owned.add(tp)).as("%s owned twice in %s", tp, group).isTrue()));
        }
    }

    /** Every one of {@code partitions} is read, and no client reads two more than another. */
    static void assertBalanced(Collection<? extends Set<TopicPartition>> reads, int partitions, Object clients) {
        if (reads.isEmpty()) {
            return;
        }
        List<Integer> counts = reads.stream().map(Set::size).toList();
        assertThat(counts.stream().mapToInt(Integer::intValue).sum()).as("%s", clients).isEqualTo(partitions);
        assertThat(counts.stream().mapToInt(Integer::intValue).max().orElseThrow()
                - counts.stream().mapToInt(Integer::intValue).min().orElseThrow()).as("%s", clients)
                .isLessThanOrEqualTo(1);
    }
}
