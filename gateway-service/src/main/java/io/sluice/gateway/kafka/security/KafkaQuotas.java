package io.sluice.gateway.kafka.security;

import io.sluice.internal.quota.QuotaEntity;
import io.sluice.internal.quota.QuotaEntity.Part;
import io.sluice.protocol.ErrorCode;
import java.util.List;
import java.util.function.BiConsumer;
import org.apache.kafka.common.quota.ClientQuotaEntity;

/**
 * Kafka's client-quota entities (a list of entity type and name, a null name the default) to Sluice's and back. Sluice
 * keeps quotas for users and client ids; an {@code ip} entity (Kafka's connection-rate quotas) or a type named twice
 * is INVALID_REQUEST.
 */
final class KafkaQuotas {

    private KafkaQuotas() {
    }

    /** The entity that {@code parts} (type, name) make up. */
    static QuotaEntity entity(List<String[]> parts) {
        Part user = null;
        Part clientId = null;
        for (String[] part : parts) {
            Part named = Part.of(part[1]);
            switch (part[0]) {
                case ClientQuotaEntity.USER -> {
                    requireOnce(user, part[0]);
                    user = named;
                }
                case ClientQuotaEntity.CLIENT_ID -> {
                    requireOnce(clientId, part[0]);
                    clientId = named;
                }
                case ClientQuotaEntity.IP -> throw ErrorCode.INVALID_REQUEST.exception(
                        "Sluice keeps no ip quotas: its client quotas are for users and client ids");
                default -> throw ErrorCode.INVALID_REQUEST.exception("Unknown quota entity type '" + part[0]
                        + "': Sluice's are user and client-id");
            }
        }
        return new QuotaEntity(user, clientId).validated();
    }

    /** {@code entity}'s parts, in Kafka's types, handed to {@code part} (type, name; null for the default). */
    static void parts(QuotaEntity entity, BiConsumer<String, String> part) {
        if (entity.user() != null) {
            part.accept(ClientQuotaEntity.USER, entity.user().name());
        }
        if (entity.clientId() != null) {
            part.accept(ClientQuotaEntity.CLIENT_ID, entity.clientId().name());
        }
    }

    private static void requireOnce(Part seen, String type) {
        if (seen != null) {
            throw ErrorCode.INVALID_REQUEST.exception("The quota entity names its " + type + " twice");
        }
    }
}
