package io.sluice.gateway.kafka.groups;

import io.sluice.gateway.kafka.GroupAccess;
import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaBroker;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.gateway.kafka.TransactionAccess;
import io.sluice.internal.acl.AclOperation;
import io.sluice.kafka.KafkaRequest;
import java.util.List;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.FindCoordinatorResponseData.Coordinator;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * FindCoordinator: a group's or a transactional id's coordinator is the gateway asked. Group and transaction state
 * live in the coordinator service, which every gateway reaches, so any gateway serves any group's and any
 * transaction's calls; the client stays on the connection it has. Share groups (key type 2) are not built yet: asking
 * for their coordinator is INVALID_REQUEST. A group the principal may not DESCRIBE is GROUP_AUTHORIZATION_FAILED, a
 * transactional id it may not DESCRIBE TRANSACTIONAL_ID_AUTHORIZATION_FAILED.
 */
@Component
class FindCoordinatorApi implements KafkaApi {

    private static final byte GROUP = 0;
    private static final byte TRANSACTION = 1;

    private final KafkaBroker broker;
    private final GroupAccess access;
    private final TransactionAccess transactionAccess;

    FindCoordinatorApi(KafkaBroker broker, GroupAccess access, TransactionAccess transactionAccess) {
        this.broker = broker;
        this.access = access;
        this.transactionAccess = transactionAccess;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.FIND_COORDINATOR;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        FindCoordinatorRequestData data = ((FindCoordinatorRequest) request.body()).data();
        boolean batched = request.version() >= 4;
        List<Coordinator> found = (batched ? data.coordinatorKeys() : List.of(data.key())).stream()
                .map(key -> find(key, data.keyType(), request, session)).toList();
        if (batched) {
            return Mono.just(new FindCoordinatorResponseData().setCoordinators(found));
        }
        Coordinator one = found.getFirst();
        return Mono.just(new FindCoordinatorResponseData().setErrorCode(one.errorCode())
                .setErrorMessage(one.errorMessage()).setNodeId(one.nodeId()).setHost(one.host())
                .setPort(one.port()));
    }

    private Coordinator find(String key, byte keyType, KafkaRequest request, KafkaSession session) {
        Coordinator coordinator = new Coordinator().setKey(key).setNodeId(-1).setHost("").setPort(-1);
        if (keyType != GROUP && keyType != TRANSACTION) {
            return coordinator.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage("Sluice coordinates "
                    + "consumer groups and transactions (key types 0 and 1); share groups are not built yet");
        }
        if (keyType == GROUP && !access.allowed(session, request, AclOperation.DESCRIBE, key)) {
            return coordinator.setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code())
                    .setErrorMessage("The principal may not DESCRIBE the group");
        }
        if (keyType == TRANSACTION && !transactionAccess.allowed(session, request, AclOperation.DESCRIBE, key)) {
            return coordinator.setErrorCode(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code())
                    .setErrorMessage("The principal may not DESCRIBE the transactional id");
        }
        return coordinator.setNodeId(broker.nodeId()).setHost(broker.advertisedHost())
                .setPort(broker.advertisedPort());
    }
}
