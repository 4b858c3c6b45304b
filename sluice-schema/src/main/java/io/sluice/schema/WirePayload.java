package io.sluice.schema;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * A record value in Confluent's wire format, taken apart by {@link WireFormat#decode}: the schema id, the Protobuf
 * message indexes (empty for Avro and JSON Schema) and the payload, a read-only view of the bytes after the header.
 */
public record WirePayload(int schemaId, List<Integer> messageIndexes, ByteBuffer payload) {

    public WirePayload {
        messageIndexes = List.copyOf(messageIndexes);
        payload = payload.asReadOnlyBuffer();
    }
}
