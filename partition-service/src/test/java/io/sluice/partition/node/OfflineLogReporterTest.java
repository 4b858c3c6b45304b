package io.sluice.partition.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.coordinator.CoordinatorApi;
import io.sluice.internal.coordinator.OfflineReplicasRequest;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.TopicPartition;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** Offline logs reach the coordinator: each until it is acknowledged, none twice once it is. */
class OfflineLogReporterTest {

    private static final TopicPartition A = new TopicPartition("a", 0);
    private static final TopicPartition B = new TopicPartition("b", 3);

    private final List<TopicPartition> offline = new CopyOnWriteArrayList<>();
    private final List<OfflineReplicasRequest> reports = new CopyOnWriteArrayList<>();
    private final List<Mono<Void>> answers = new ArrayList<>();

    @Test
    void eachOfflineLogIsReportedUntilTheCoordinatorAcknowledgesItAndThenNotAgain() {
        OfflineLogReporter reporter = new OfflineLogReporter(7, coordinator(), () -> List.copyOf(offline));
        reporter.reportNewlyOffline();
        assertThat(reports).as("nothing offline").isEmpty();

        offline.add(A);
        answers.add(Mono.error(ErrorCode.COORDINATOR_NOT_AVAILABLE.exception("down")));
        reporter.reportNewlyOffline();
        answers.add(Mono.empty());
        reporter.reportNewlyOffline();
        offline.add(B);
        answers.add(Mono.empty());
        reporter.reportNewlyOffline();
        reporter.reportNewlyOffline();

        assertThat(reports).extracting(OfflineReplicasRequest::replicas).containsExactly(
                List.of(new OfflineReplicasRequest.Replica("a", 0)),
                List.of(new OfflineReplicasRequest.Replica("a", 0)),
                List.of(new OfflineReplicasRequest.Replica("b", 3)));
    }

    /** A coordinator that answers offline-replica reports in turn from {@link #answers}. */
    private CoordinatorApi coordinator() {
        return (CoordinatorApi) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {CoordinatorApi.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("reportOfflineReplicas")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    assertThat(args[0]).isEqualTo(7);
                    reports.add((OfflineReplicasRequest) args[1]);
                    return answers.get(reports.size() - 1);
                });
    }
}
