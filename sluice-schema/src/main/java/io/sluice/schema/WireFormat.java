package io.sluice.schema;

import io.sluice.protocol.schema.SchemaType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Confluent's wire format of a record value (or key) written with a registered schema:
 *
 * <pre>
 *   +-------+----------------------+----------------------------------+-----------------+
 *   | magic | schema id            | message indexes (Protobuf only)  | payload         |
 *   | 0x00  | int32, big-endian    | varint count, varint index...    | format's binary |
 *   +-------+----------------------+----------------------------------+-----------------+
 * </pre>
 *
 * The message indexes say which message type of a Protobuf schema the payload is: {@code [i, j]} is the j-th message
 * nested in the i-th top-level one. The count and the indexes are zig-zag varints, as Kafka's record format writes
 * them; {@code [0]}, the first message and by far the most common, is written as the count {@code 0} alone (one byte),
 * and reads back as {@code [0]}. Avro and JSON Schema values have no index section: the payload follows the id.
 *
 * <p>Stateless; any thread. Readers throw {@link InvalidPayloadException} (never a buffer exception) for a value that
 * is too short, has another magic byte or has impossible indexes.
 */
public final class WireFormat {

    public static final byte MAGIC = 0;

    /** Magic byte and schema id. */
    public static final int HEADER_SIZE = 5;

    private WireFormat() {
    }

    /**
     * The value for {@code payload} (from its position to its limit) written with schema {@code schemaId}. For
     * {@link SchemaType#PROTOBUF} an empty {@code messageIndexes} means {@code [0]}; for the other types it must be
     * empty.
     */
    public static ByteBuffer encode(int schemaId, SchemaType type, List<Integer> messageIndexes, ByteBuffer payload) {
        List<Integer> indexes = messageIndexes;
        if (type != SchemaType.PROTOBUF && !indexes.isEmpty()) {
            throw new IllegalArgumentException(type + " values have no message indexes, got " + indexes);
        }
        if (type == SchemaType.PROTOBUF && (indexes.isEmpty() || indexes.equals(List.of(0)))) {
            indexes = List.of();
        }
        int indexBytes = type == SchemaType.PROTOBUF ? sizeOfVarint(indexes.size()) : 0;
        for (int index : indexes) {
            if (index < 0) {
                throw new IllegalArgumentException("A message index cannot be negative: " + indexes);
            }
            indexBytes += sizeOfVarint(index);
        }
        ByteBuffer out = ByteBuffer.allocate(HEADER_SIZE + indexBytes + payload.remaining());
        out.put(MAGIC).putInt(schemaId);
        if (type == SchemaType.PROTOBUF) {
            writeVarint(indexes.size(), out);
            for (int index : indexes) {
                writeVarint(index, out);
            }
        }
        out.put(payload.duplicate());
        return out.flip();
    }

    /** {@link #encode(int, SchemaType, List, ByteBuffer)} of a byte array. */
    public static byte[] encode(int schemaId, SchemaType type, List<Integer> messageIndexes, byte[] payload) {
        ByteBuffer encoded = encode(schemaId, type, messageIndexes, ByteBuffer.wrap(payload));
        return encoded.array();
    }

    /**
     * The schema id of {@code value} (from its position), to look the schema up before {@link #decode}; the buffer's
     * position is not moved.
     */
    public static int schemaId(ByteBuffer value) {
        checkHeader(value);
        return value.getInt(value.position() + 1);
    }

    /**
     * Takes {@code value} (from its position to its limit) apart, knowing the type of its schema (which says whether
     * message indexes follow the id). The buffer's position is not moved; the payload shares its bytes.
     */
    public static WirePayload decode(ByteBuffer value, SchemaType type) {
        int schemaId = schemaId(value);
        ByteBuffer rest = value.duplicate();
        rest.position(rest.position() + HEADER_SIZE);
        List<Integer> indexes = type == SchemaType.PROTOBUF ? readMessageIndexes(rest) : List.of();
        return new WirePayload(schemaId, indexes, rest.slice());
    }

    private static void checkHeader(ByteBuffer value) {
        if (value.remaining() < HEADER_SIZE) {
            throw new InvalidPayloadException("The value is " + value.remaining() + " bytes long, shorter than the "
                    + HEADER_SIZE + "-byte header of Confluent's wire format (magic byte 0, 4-byte schema id)");
        }
        byte magic = value.get(value.position());
        if (magic != MAGIC) {
            throw new InvalidPayloadException("The value starts with byte " + magic + ", not the magic byte 0 of "
                    + "Confluent's wire format: it was not written by a schema-registry serializer");
        }
    }

    private static List<Integer> readMessageIndexes(ByteBuffer in) {
        int count = readVarint(in, "message index count");
        if (count == 0) {
            return List.of(0);
        }
        // Each index takes at least one byte: a count beyond what is left is corruption, not a reason to allocate.
        if (count < 0 || count > in.remaining()) {
            throw new InvalidPayloadException("The value's message index count " + count
                    + " is impossible with " + in.remaining() + " bytes left");
        }
        List<Integer> indexes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int index = readVarint(in, "message index");
            if (index < 0) {
                throw new InvalidPayloadException("The value has a negative message index " + index);
            }
            indexes.add(index);
        }
        return List.copyOf(indexes);
    }

    private static int readVarint(ByteBuffer in, String what) {
        int raw = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            if (!in.hasRemaining()) {
                throw new InvalidPayloadException("The value ends inside its " + what);
            }
            byte b = in.get();
            raw |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw new InvalidPayloadException("The value's " + what + " is a varint longer than 5 bytes");
    }

    private static void writeVarint(int value, ByteBuffer out) {
        int v = (value << 1) ^ (value >> 31);
        while ((v & 0xffffff80) != 0) {
            out.put((byte) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.put((byte) v);
    }

    private static int sizeOfVarint(int value) {
        int v = (value << 1) ^ (value >> 31);
        int bits = 32 - Integer.numberOfLeadingZeros(v | 1);
        return (bits + 6) / 7;
    }
}
