package io.sluice.gateway.kafka.security;

import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.gateway.security.QuotaAdmin;
import io.sluice.internal.quota.QuotaEntity;
import io.sluice.internal.quota.QuotaEntry;
import io.sluice.kafka.KafkaErrors;
import io.sluice.kafka.KafkaRequest;
import io.sluice.protocol.ErrorCode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.DescribeClientQuotasRequestData;
import org.apache.kafka.common.message.DescribeClientQuotasRequestData.ComponentData;
import org.apache.kafka.common.message.DescribeClientQuotasResponseData;
import org.apache.kafka.common.message.DescribeClientQuotasResponseData.EntityData;
import org.apache.kafka.common.message.DescribeClientQuotasResponseData.EntryData;
import org.apache.kafka.common.message.DescribeClientQuotasResponseData.ValueData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.requests.DescribeClientQuotasRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * DescribeClientQuotas: the quotas set through Kafka's AlterClientQuotas or the HTTP API ({@link QuotaAdmin}) whose
 * entity the filter matches, each component as Kafka matches it — a type with that exact name, with the default, or
 * with any — and with {@code strict} no other type. The configured quotas ({@code sluice.security.quotas}) are the
 * broker's static settings and not listed, as Kafka lists none of its own. A component of an unknown type, or one type
 * named twice, is INVALID_REQUEST. With security on, {@link io.sluice.gateway.kafka.AdminAccess AdminAccess} asks
 * DESCRIBE_CONFIGS on the cluster.
 */
@Component
class DescribeClientQuotasApi implements KafkaApi {

    private final QuotaAdmin quotas;

    DescribeClientQuotasApi(QuotaAdmin quotas) {
        this.quotas = quotas;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.DESCRIBE_CLIENT_QUOTAS;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        DescribeClientQuotasRequestData filter = ((DescribeClientQuotasRequest) request.body()).data();
        return Mono.defer(() -> {
                    validate(filter.components());
                    return quotas.stored();
                })
                .map(stored -> (ApiMessage) new DescribeClientQuotasResponseData().setEntries(stored.entries().stream()
                        .filter(entry -> matches(entry.entity(), filter))
                        .map(DescribeClientQuotasApi::entry)
                        .toList()))
                .onErrorResume(e -> {
                    ApiException error = KafkaErrors.exception(e);
                    return Mono.just(new DescribeClientQuotasResponseData()
                            .setErrorCode(Errors.forException(error).code()).setErrorMessage(error.getMessage()));
                });
    }

    private static void validate(List<ComponentData> components) {
        Set<String> types = new HashSet<>();
        for (ComponentData component : components) {
            if (!ClientQuotaEntity.USER.equals(component.entityType())
                    && !ClientQuotaEntity.CLIENT_ID.equals(component.entityType())) {
                throw ErrorCode.INVALID_REQUEST.exception("Unknown quota entity type '" + component.entityType()
                        + "': Sluice's are user and client-id");
            }
            if (!types.add(component.entityType())) {
                throw ErrorCode.INVALID_REQUEST.exception("The filter names " + component.entityType() + " twice");
            }
            if (component.matchType() < DescribeClientQuotasRequest.MATCH_TYPE_EXACT
                    || component.matchType() > DescribeClientQuotasRequest.MATCH_TYPE_SPECIFIED) {
                throw ErrorCode.INVALID_REQUEST.exception("Unknown match type " + component.matchType());
            }
            if (component.matchType() == DescribeClientQuotasRequest.MATCH_TYPE_EXACT && component.match() == null) {
                throw ErrorCode.INVALID_REQUEST.exception("An exact match names the " + component.entityType());
            }
        }
    }

    private static boolean matches(QuotaEntity entity, DescribeClientQuotasRequestData filter) {
        for (ComponentData component : filter.components()) {
            QuotaEntity.Part part = ClientQuotaEntity.USER.equals(component.entityType()) ? entity.user()
                    : entity.clientId();
            if (part == null) {
                return false;
            }
            boolean matched = switch (component.matchType()) {
                case DescribeClientQuotasRequest.MATCH_TYPE_EXACT -> component.match().equals(part.name());
                case DescribeClientQuotasRequest.MATCH_TYPE_DEFAULT -> part.isDefault();
                default -> true;
            };
            if (!matched) {
                return false;
            }
        }
        if (!filter.strict()) {
            return true;
        }
        Set<String> named = new HashSet<>();
        filter.components().forEach(component -> named.add(component.entityType()));
        return (entity.user() == null || named.contains(ClientQuotaEntity.USER))
                && (entity.clientId() == null || named.contains(ClientQuotaEntity.CLIENT_ID));
    }

    private static EntryData entry(QuotaEntry stored) {
        List<EntityData> entity = new ArrayList<>();
        KafkaQuotas.parts(stored.entity(), (type, name) -> entity.add(new EntityData().setEntityType(type)
                .setEntityName(name)));
        return new EntryData().setEntity(entity).setValues(stored.rates().entrySet().stream()
                .map(rate -> new ValueData().setKey(rate.getKey()).setValue(rate.getValue()))
                .toList());
    }
}
