package io.sluice.gateway.produce;

import io.sluice.protocol.ErrorCode;

/**
 * The registered schema a produce names for one half of its records, keys or values ({@code half}): by id
 * ({@code value_schema_id}) or by subject ({@code value_subject}, at {@code value_schema_version}; null: the
 * subject's latest version), and for a Protobuf schema the message type ({@code value_message}; null: the first one,
 * message indexes [0]). Neither id nor subject: that half is written without a schema.
 */
record SchemaChoice(String half, Integer id, String subject, Integer version, String message) {

    static SchemaChoice none(String half) {
        return new SchemaChoice(half, null, null, null, null);
    }

    /**
     * The choice the parameters (or body fields) {@code <half>_schema_id}, {@code <half>_subject},
     * {@code <half>_schema_version} ({@code latest} or a version from 1) and {@code <half>_message} make; any may be
     * null. INVALID_REQUEST when they contradict each other.
     */
    static SchemaChoice of(String half, Integer id, String subject, String version, String message) {
        if (id != null && id < 0) {
            throw ErrorCode.INVALID_REQUEST.exception(half + "_schema_id must be a schema id (>= 0), was " + id);
        }
        if (id != null && subject != null) {
            throw ErrorCode.INVALID_REQUEST.exception("Give " + half + "_schema_id or " + half + "_subject, not both");
        }
        if (subject != null && subject.isEmpty()) {
            throw ErrorCode.INVALID_REQUEST.exception(half + "_subject must not be empty");
        }
        if (version != null && subject == null) {
            throw ErrorCode.INVALID_REQUEST.exception(half + "_schema_version needs " + half + "_subject");
        }
        if (message != null && id == null && subject == null) {
            throw ErrorCode.INVALID_REQUEST.exception(half + "_message needs " + half + "_schema_id or " + half
                    + "_subject");
        }
        return new SchemaChoice(half, id, subject, version(half, version), message);
    }

    /** Whether a schema is named. */
    boolean given() {
        return id != null || subject != null;
    }

    /** The schema as the request named it, for messages: "value_schema_id 7", "value_subject 'orders-value' ...". */
    String named() {
        if (id != null) {
            return half + "_schema_id " + id;
        }
        return half + "_subject '" + subject + "' " + (version == null ? "(latest version)" : "version " + version);
    }

    private static Integer version(String half, String text) {
        if (text == null || text.equals("latest")) {
            return null;
        }
        try {
            int version = Integer.parseInt(text);
            if (version >= 1) {
                return version;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ErrorCode.INVALID_REQUEST.exception(half + "_schema_version must be latest or a version from 1, was '"
                + text + "'");
    }
}
