package io.sluice.coordinator.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.coordinator.metadata.MetadataManager;
import io.sluice.coordinator.store.MetadataStore;
import io.sluice.coordinator.testing.CoordinatorApi;
import io.sluice.coordinator.testing.CoordinatorTestSupport;
import io.sluice.coordinator.testing.TestNodes;
import io.sluice.internal.coordinator.CoordinatorPaths;
import io.sluice.internal.coordinator.DecommissionListing;
import io.sluice.internal.coordinator.MoveThrottleRequest;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.metadata.NodeStatus;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.protocol.ErrorCode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Decommissioning a node through the coordinator's HTTP API on a real Redis, with the balancer off (drains go on
 * regardless): the mark is stored and survives a reload and the node's restart, its leaderships move to other in-sync
 * replicas at once and preferred-leader elections give none back, new topics avoid the node, its replicas move off it
 * as followers catch up, and its progress ends safe to remove.
 *
 * <p>Set-up: nodes 1, 2 and 3 alive when topic {@code drained} is created, node 4 started after; the tests run in
 * order, each continuing where the one before left the cluster.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DecommissionTest extends CoordinatorTestSupport {

    @Autowired
    private MetadataManager metadata;
    @Autowired
    private MetadataStore store;

    private TestNodes nodes;

    @BeforeAll
    void fourNodes() {
        nodes = newNodes();
        nodes.start(1, 2, 3);
        api().awaitOnlyLive(1, 2, 3);
        api().createTopic("drained", 6, 2);
        nodes.start(4);
    }

    @AfterAll
    void stopNodes() {
        nodes.close();
    }

    @Test
    @Order(1)
    void whenANodeIsDecommissionedShouldStoreTheMarkAndStartMovingItsReplicasOff() {
        long onNode1 = Followers.replicasOn(api(), 1);
        assertThat(onNode1).isPositive();
        List<PartitionState> ledByNode1 = api().topic("drained").partitions().stream()
                .filter(p -> p.leader() == 1).toList();
        assertThat(ledByNode1).as("partitions node 1 leads before").isNotEmpty();

        DecommissionListing.Progress progress = decommission(1);

        assertThat(progress.nodeId()).isEqualTo(1);
        assertThat(progress.status()).isEqualTo(NodeStatus.ALIVE);
        assertThat(progress.partitions()).isEqualTo(onNode1);
        assertThat(progress.movingOff()).as("moves started, at most the 4 allowed at once")
                .isPositive().isLessThanOrEqualTo(4);
        assertThat(progress.safeToRemove()).isFalse();
        assertThat(api().node(1).decommissioning()).isTrue();
        assertThat(store.load().block(Duration.ofSeconds(30)).nodes())
                .filteredOn(n -> n.id() == 1).extracting(NodeInfo::decommissioning).containsExactly(true);
        assertThat(list()).extracting(DecommissionListing.Progress::nodeId).containsExactly(1);
        // Its leaderships went at once, each to the other in-sync replica under a new epoch; it still follows.
        for (PartitionState before : ledByNode1) {
            PartitionState now = api().topic("drained").partitions().get(before.partition());
            assertThat(now.leader()).as("leader of drained-%d", before.partition()).isNotEqualTo(1)
                    .isIn(before.isr());
            assertThat(now.leaderEpoch()).isGreaterThan(before.leaderEpoch());
            assertThat(now.isr()).contains(1);
        }
        // A preferred-leader election, even where node 1 is the preferred replica, gives none of them back.
        api().post("/internal/elections/preferred?topic=drained", null).expectStatus().isOk();
        assertThat(api().topic("drained").partitions()).noneMatch(p -> p.leader() == 1);
    }

    @Test
    @Order(2)
    void whenTheCoordinatorReloadsOrTheNodeRestartsShouldKeepTheMark() {
        metadata.activate(metadata.view().metadata().coordinator()).block(Duration.ofSeconds(30));
        assertThat(api().node(1).decommissioning()).as("after the metadata is loaded again from Redis").isTrue();

        nodes.restart(1);

        assertThat(api().node(1).decommissioning()).as("after the node registers as a new process").isTrue();
    }

    @Test
    @Order(3)
    void whenATopicIsCreatedShouldPlaceNoReplicaOnADecommissioningNode() {
        TopicMetadata created = api().createTopic("avoids", 6, 3);

        assertThat(created.partitions()).allSatisfy(p -> assertThat(p.replicas()).doesNotContain(1));
    }

    @Test
    @Order(4)
    void whenEveryNewReplicaCatchesUpShouldEmptyTheNodeAndSayItIsSafeToRemove() {
        await("node 1 emptied").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            Followers.catchUp(api(), nodes);
            return Followers.replicasOn(api(), 1) == 0 && Followers.moving(api()) == 0;
        });

        DecommissionListing.Progress progress = list().getFirst();
        assertThat(progress).isEqualTo(new DecommissionListing.Progress(1, NodeStatus.ALIVE, 0, 0, true));
        for (PartitionState state : api().topic("drained").partitions()) {
            assertThat(state.replicas()).hasSize(2).doesNotContain(1);
            assertThat(state.leader()).isNotEqualTo(1);
        }
    }

    @Test
    @Order(5)
    void whenCancelledShouldLiftTheMarkAndAnUnknownNodeShouldBeRefused() {
        api().web().delete().uri(CoordinatorPaths.decommission(1)).exchange().expectStatus().isNoContent();

        assertThat(api().node(1).decommissioning()).isFalse();
        assertThat(list()).isEmpty();
        CoordinatorApi.expectProblem(api().post(CoordinatorPaths.decommission(99), null), ErrorCode.UNKNOWN_NODE);
    }

    @Test
    @Order(6)
    void aMoveThrottleIsStoredKeptAcrossARestartAndCleared() {
        NodeInfo throttled = api().web().put().uri(CoordinatorPaths.moveThrottle(2))
                .bodyValue(new MoveThrottleRequest(1_048_576)).exchange().expectStatus().isOk()
                .expectBody(NodeInfo.class).returnResult().getResponseBody();

        assertThat(throttled.moveThrottle()).isEqualTo(1_048_576L);
        assertThat(store.load().block(Duration.ofSeconds(30)).nodes())
                .filteredOn(n -> n.id() == 2).extracting(NodeInfo::moveThrottle).containsExactly(1_048_576L);
        nodes.restart(2);
        assertThat(api().node(2).moveThrottle()).as("after the node registers as a new process").isEqualTo(1_048_576L);

        api().web().delete().uri(CoordinatorPaths.moveThrottle(2)).exchange().expectStatus().isOk();
        assertThat(api().node(2).moveThrottle()).isNull();
        CoordinatorApi.expectProblem(api().web().put().uri(CoordinatorPaths.moveThrottle(2))
                .bodyValue(new MoveThrottleRequest(0)).exchange(), ErrorCode.INVALID_REQUEST);
        CoordinatorApi.expectProblem(api().web().put().uri(CoordinatorPaths.moveThrottle(99))
                .bodyValue(new MoveThrottleRequest(1)).exchange(), ErrorCode.UNKNOWN_NODE);
        assertThat(api().node(2).moveThrottle()).as("a refused change changes nothing").isNull();
    }

    private DecommissionListing.Progress decommission(int node) {
        return api().post(CoordinatorPaths.decommission(node), null)
                .expectStatus().isOk()
                .expectBody(DecommissionListing.Progress.class).returnResult().getResponseBody();
    }

    private List<DecommissionListing.Progress> list() {
        return api().web().get().uri(CoordinatorPaths.DECOMMISSIONS).exchange()
                .expectStatus().isOk()
                .expectBody(DecommissionListing.class).returnResult().getResponseBody().nodes();
    }
}
