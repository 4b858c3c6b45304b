package io.sluice.coordinator.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.coordinator.testing.CoordinatorTestSupport;
import io.sluice.coordinator.testing.TestNodes;
import io.sluice.internal.metadata.NodeStatus;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A node that stops heartbeating for the session timeout is declared dead, and every partition it led gets the first
 * live in-sync replica (in replica order) as leader under a new leader epoch (docs/coordinator.md, "Elections").
 */
class LeaderElectionOnNodeDeathTest extends CoordinatorTestSupport {

    private TestNodes nodes;

    @AfterEach
    void stopNodes() {
        if (nodes != null) {
            nodes.close();
        }
    }

    @Test
    void whenALeaderDiesEachPartitionItLedMovesToTheFirstLiveIsrMemberUnderANewEpoch() {
        nodes = newNodes();
        nodes.start(1, 2, 3);
        TopicMetadata before = api().createTopic("orders", 6, 3);
        assertThat(before.partitions()).filteredOn(p -> p.leader() == 1).hasSize(2);

        nodes.silence(1);
        api().awaitNode(1, NodeStatus.DEAD);

        TopicMetadata after = api().topic("orders");
        for (PartitionState was : before.partitions()) {
            PartitionState now = after.partition(was.partition());
            assertThat(now.isr()).as("ISR of partition %d", was.partition()).isEqualTo(without(was.isr(), 1));
            if (was.leader() == 1) {
                int firstLiveInSync = was.replicas().stream().filter(r -> r != 1 && was.isr().contains(r)).findFirst().orElseThrow();
                assertThat(now.leader()).as("leader of partition %d", was.partition()).isEqualTo(firstLiveInSync);
                assertThat(now.leaderEpoch()).isEqualTo(was.leaderEpoch() + 1);
            } else {
                assertThat(now.leader()).isEqualTo(was.leader());
                assertThat(now.leaderEpoch()).isEqualTo(was.leaderEpoch());
            }
            assertThat(now.partitionEpoch()).isEqualTo(was.partitionEpoch() + 1);
        }
    }

    /**
     * A node restarted faster than the session timeout may have lost its unflushed tail: the coordinator must treat
     * its new incarnation as the old one failing — out of every ISR, leaderships moved under a new epoch — not let it
     * carry on at the same epoch with a shorter log.
     */
    @Test
    void whenANodeRestartsWithinTheSessionTimeoutItsOldIncarnationIsFencedAsIfItHadDied() {
        nodes = newNodes();
        nodes.start(21, 22, 23);
        TopicMetadata before = api().createTopic("restarted", 6, 3);
        assertThat(before.partitions()).filteredOn(p -> p.leader() == 21).isNotEmpty();

        nodes.restart(21);

        TopicMetadata after = api().topic("restarted");
        assertThat(api().nodes()).filteredOn(n -> n.id() == 21).singleElement()
                .satisfies(n -> assertThat(n.isAlive()).isTrue());
        for (PartitionState was : before.partitions()) {
            PartitionState now = after.partition(was.partition());
            assertThat(now.isr()).as("ISR of partition %d", was.partition()).isEqualTo(without(was.isr(), 21));
            if (was.leader() == 21) {
                assertThat(now.leader()).as("leader of partition %d", was.partition()).isNotEqualTo(21);
                assertThat(now.leaderEpoch()).isGreaterThan(was.leaderEpoch());
            } else {
                assertThat(now.leader()).isEqualTo(was.leader());
                assertThat(now.leaderEpoch()).isEqualTo(was.leaderEpoch());
            }
        }
    }

    @Test
    void whenTheLastInSyncReplicaRestartsItLeadsAgainUnderANewEpoch() {
        nodes = newNodes();
        nodes.start(31, 32);
        api().createTopic("alone", 1, 2);
        nodes.silence(32);
        api().awaitNode(32, NodeStatus.DEAD);
        PartitionState before = api().topic("alone").partition(0);
        assertThat(before.isr()).containsExactly(31);

        nodes.restart(31);

        PartitionState now = api().topic("alone").partition(0);
        assertThat(now.leader()).isEqualTo(31);
        assertThat(now.isr()).containsExactly(31);
        assertThat(now.leaderEpoch()).isGreaterThan(before.leaderEpoch());
    }

    @Test
    void whenTheSameProcessRegistersAgainNothingChanges() {
        nodes = newNodes();
        nodes.start(41, 42, 43);
        api().createTopic("retried", 3, 3);
        long version = api().metadataVersion();

        nodes.register(41, TestNodes.url(41), null);

        assertThat(api().metadataVersion()).isEqualTo(version);
    }

    @Test
    void whenADeadNodeHeartbeatsAgainItIsAliveButLeadsNothingUntilItIsBackInSync() {
        nodes = newNodes();
        nodes.start(11, 12, 13);
        api().createTopic("returning", 3, 3);
        nodes.silence(11);
        api().awaitNode(11, NodeStatus.DEAD);
        TopicMetadata whileDead = api().topic("returning");

        nodes.resume(11);
        api().awaitNode(11, NodeStatus.ALIVE);

        TopicMetadata afterReturn = api().topic("returning");
        assertThat(afterReturn).isEqualTo(whileDead);
        assertThat(afterReturn.partitions()).allSatisfy(p -> assertThat(p.isr()).doesNotContain(11));
    }

    @Test
    void whenTheOnlyInSyncReplicaDiesThePartitionGoesOfflineUntilThatReplicaReturns() {
        nodes = newNodes();
        nodes.start(21, 22, 23);
        PartitionState created = api().createTopic("last-isr", 1, 3).partition(0);
        int leader = created.leader();
        api().alterPartition("last-isr", 0, leader, 0, 0, List.of(leader)).expectStatus().isOk();

        nodes.silence(leader);
        api().awaitNode(leader, NodeStatus.DEAD);

        PartitionState offline = api().topic("last-isr").partition(0);
        assertThat(offline.leader()).isEqualTo(PartitionState.NO_LEADER);
        assertThat(offline.isr()).as("the last in-sync replica stays listed").containsExactly(leader);
        assertThat(offline.leaderEpoch()).isEqualTo(1);

        nodes.resume(leader);
        api().awaitNode(leader, NodeStatus.ALIVE);

        PartitionState back = api().topic("last-isr").partition(0);
        assertThat(back.leader()).isEqualTo(leader);
        assertThat(back.isr()).containsExactly(leader);
        assertThat(back.leaderEpoch()).isEqualTo(2);
    }

    @Test
    void whenUncleanElectionIsEnabledAnOfflinePartitionGetsALiveReplicaAsLeader() {
        nodes = newNodes();
        nodes.start(31, 32, 33);
        PartitionState created = api().createTopic("unclean", 1, 3,
                Map.of("unclean.leader.election.enable", "true")).partition(0);
        int leader = created.leader();
        api().alterPartition("unclean", 0, leader, 0, 0, List.of(leader)).expectStatus().isOk();

        nodes.silence(leader);
        api().awaitNode(leader, NodeStatus.DEAD);

        PartitionState after = api().topic("unclean").partition(0);
        int firstLiveReplica = created.replicas().stream().filter(r -> r != leader).findFirst().orElseThrow();
        assertThat(after.leader()).isEqualTo(firstLiveReplica);
        assertThat(after.isr()).containsExactly(firstLiveReplica);
        assertThat(after.leaderEpoch()).isEqualTo(1);
    }

    private static List<Integer> without(List<Integer> list, int node) {
        return list.stream().filter(n -> n != node).toList();
    }
}
