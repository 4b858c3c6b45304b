package io.sluice.internal.quota;

import io.sluice.protocol.ErrorCode;

/**
 * Whom a client quota is for, Kafka's entities: a user, a client id, or a user's client id; each part either names one
 * or is the default for every name without a quota of its own. A part that is null is not in the entity ({@code user}
 * alone, {@code client_id} alone, or both).
 *
 * @param user     the user part (the principal's name, {@code alice} for {@code User:alice}), or null
 * @param clientId the client-id part, or null
 */
public record QuotaEntity(Part user, Part clientId) {

    /** One part of an entity: a name, or (name null) the default. */
    public record Part(String name) {

        public static final Part DEFAULT = new Part(null);

        public static Part of(String name) {
            return new Part(name);
        }

        public boolean isDefault() {
            return name == null;
        }

        @Override
        public String toString() {
            return name == null ? "<default>" : name;
        }
    }

    /** Refuses, as INVALID_REQUEST, an entity with no part. */
    public QuotaEntity validated() {
        if (user == null && clientId == null) {
            throw ErrorCode.INVALID_REQUEST.exception("A quota entity names a user, a client id, or both");
        }
        return this;
    }

    /** {@code user=alice}, {@code user=alice,client-id=<default>}, {@code client-id=app}: Kafka's way of naming one. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        if (user != null) {
            text.append("user=").append(user);
        }
        if (clientId != null) {
            text.append(text.isEmpty() ? "" : ",").append("client-id=").append(clientId);
        }
        return text.toString();
    }
}
