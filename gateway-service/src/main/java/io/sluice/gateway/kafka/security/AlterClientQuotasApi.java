package io.sluice.gateway.kafka.security;

import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.gateway.security.Authorizer;
import io.sluice.gateway.security.QuotaAdmin;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.acl.ResourceType;
import io.sluice.internal.quota.QuotaAlteration;
import io.sluice.internal.quota.QuotaEntity;
import io.sluice.kafka.KafkaErrors;
import io.sluice.kafka.KafkaRequest;
import io.sluice.security.AuditLog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.AlterClientQuotasRequestData;
import org.apache.kafka.common.message.AlterClientQuotasRequestData.EntityData;
import org.apache.kafka.common.message.AlterClientQuotasRequestData.OpData;
import org.apache.kafka.common.message.AlterClientQuotasResponseData;
import org.apache.kafka.common.message.AlterClientQuotasResponseData.EntryData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AlterClientQuotasRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * AlterClientQuotas: each entry's entity and operations checked on their own — a known entity
 * ({@link KafkaQuotas}), known keys ({@code producer_byte_rate}, {@code consumer_byte_rate}, {@code request_rate})
 * and positive rates — and an entry that fails answered INVALID_REQUEST with nothing of it stored; the others are
 * stored together through {@link QuotaAdmin} (unless {@code validate_only}), in force at this gateway at once and at
 * every other node within its refresh interval. With security on, every entry is one line of the audit trail, refused
 * ones included (status 400, as over HTTP).
 * With security on, {@link io.sluice.gateway.kafka.AdminAccess AdminAccess} asks ALTER_CONFIGS on the cluster.
 */
@Component
class AlterClientQuotasApi implements KafkaApi {

    private final QuotaAdmin quotas;
    private final Authorizer authorizer;
    private final AuditLog audit;

    AlterClientQuotasApi(QuotaAdmin quotas, Authorizer authorizer, AuditLog audit) {
        this.quotas = quotas;
        this.authorizer = authorizer;
        this.audit = audit;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.ALTER_CLIENT_QUOTAS;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        AlterClientQuotasRequestData data = ((AlterClientQuotasRequest) request.body()).data();
        List<EntryData> answers = new ArrayList<>();
        List<QuotaAlteration> valid = new ArrayList<>();
        List<EntryData> validAnswers = new ArrayList<>();
        for (AlterClientQuotasRequestData.EntryData entry : data.entries()) {
            List<AlterClientQuotasResponseData.EntityData> entity = entry.entity().stream()
                    .map(part -> new AlterClientQuotasResponseData.EntityData().setEntityType(part.entityType())
                            .setEntityName(part.entityName()))
                    .toList();
            EntryData answer = new EntryData().setEntity(entity);
            answers.add(answer);
            try {
                valid.add(alteration(entry));
                validAnswers.add(answer);
            } catch (RuntimeException e) {
                failed(answer, KafkaErrors.exception(e));
                audited(session, request, entry, 400);
            }
        }
        if (valid.isEmpty() || data.validateOnly()) {
            valid.forEach(alteration -> audited(session, request, alteration.entity().toString(), 200));
            return Mono.just(new AlterClientQuotasResponseData().setEntries(answers));
        }
        return quotas.alter(valid)
                .doOnSuccess(after -> valid.forEach(alteration ->
                        audited(session, request, alteration.entity().toString(), 200)))
                .then(Mono.<ApiMessage>fromSupplier(() -> new AlterClientQuotasResponseData().setEntries(answers)))
                .onErrorResume(e -> {
                    ApiException error = KafkaErrors.exception(e);
                    validAnswers.forEach(answer -> failed(answer, error));
                    valid.forEach(alteration -> audited(session, request, alteration.entity().toString(), 500));
                    return Mono.just(new AlterClientQuotasResponseData().setEntries(answers));
                });
    }

    private static QuotaAlteration alteration(AlterClientQuotasRequestData.EntryData entry) {
        List<String[]> parts = new ArrayList<>();
        for (EntityData part : entry.entity()) {
            parts.add(new String[] {part.entityType(), part.entityName()});
        }
        QuotaEntity entity = KafkaQuotas.entity(parts);
        Map<String, Double> set = new HashMap<>();
        List<String> remove = new ArrayList<>();
        for (OpData op : entry.ops()) {
            if (op.remove()) {
                remove.add(op.key());
            } else {
                set.put(op.key(), op.value());
            }
        }
        return new QuotaAlteration(entity, set, remove).validated();
    }

    private static void failed(EntryData answer, ApiException error) {
        answer.setErrorCode(Errors.forException(error).code()).setErrorMessage(error.getMessage());
    }

    private void audited(KafkaSession session, KafkaRequest request, AlterClientQuotasRequestData.EntryData entry,
                         int status) {
        List<String> parts = entry.entity().stream()
                .map(part -> part.entityType() + "=" + (part.entityName() == null ? "<default>" : part.entityName()))
                .toList();
        audited(session, request, String.join(",", parts), status);
    }

    private void audited(KafkaSession session, KafkaRequest request, String entity, int status) {
        if (authorizer.enabled()) {
            audit.adminAction(session.principal(), AclOperation.ALTER_CONFIGS, ResourceType.CLUSTER,
                    "client-quotas:" + entity, "Kafka " + request, status);
        }
    }
}
