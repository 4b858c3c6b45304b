package io.sluice.schema;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import com.google.protobuf.util.JsonFormat;
import com.squareup.wire.schema.Location;
import com.squareup.wire.schema.internal.parser.ProtoFileElement;
import com.squareup.wire.schema.internal.parser.ProtoParser;
import io.sluice.protocol.schema.ResolvedReference;
import io.sluice.protocol.schema.SchemaType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A Protobuf schema: a .proto file parsed by wire (as Confluent's registry parses it), whose canonical string is
 * wire's re-printing of the parsed file, and whose descriptors (protobuf-java, built by {@link ProtoDescriptors} from
 * the file and its references) decode payloads.
 *
 * <p>Immutable. The message types are indexed once, by their message indexes; descriptors, {@link DynamicMessage}
 * parsing and {@link JsonFormat}'s parser and printer are thread-safe.
 */
final class ProtobufSchema implements ParsedSchema {

    /** The descriptor name of the schema itself; references are named by their import paths. */
    private static final String FILE_NAME = "sluice/registered-schema.proto";

    private static final JsonFormat.Parser JSON_PARSER = JsonFormat.parser();
    private static final JsonFormat.Printer JSON_PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();

    private final ProtoFileElement element;
    private final List<ResolvedReference> references;
    private final String canonical;
    private final FileDescriptor descriptor;
    private final Map<List<Integer>, Descriptor> messagesByIndexes;

    private ProtobufSchema(ProtoFileElement element, List<ResolvedReference> references, FileDescriptor descriptor) {
        this.element = element;
        this.references = references;
        this.canonical = withoutWireHeader(element.toSchema());
        this.descriptor = descriptor;
        Map<List<Integer>, Descriptor> byIndexes = new HashMap<>();
        index(messageTypes(descriptor.getMessageTypes()), List.of(), byIndexes);
        this.messagesByIndexes = Map.copyOf(byIndexes);
    }

    /** wire opens its printing with two comment lines (a banner and the file's path) that are no part of the schema. */
    private static String withoutWireHeader(String printed) {
        String banner = "// Proto schema formatted by Wire, do not edit.\n// Source: " + FILE_NAME + "\n\n";
        return printed.startsWith(banner) ? printed.substring(banner.length()) : printed;
    }

    static ProtobufSchema parse(String text, List<ResolvedReference> references) {
        Map<String, FileDescriptor> imports = new HashMap<>();
        for (ResolvedReference reference : references) {
            ProtoFileElement file = parseFile(reference.name(), reference.schema(), "Reference " + reference);
            try {
                imports.put(reference.name(), ProtoDescriptors.build(reference.name(), file, imports));
            } catch (InvalidSchemaException e) {
                throw new InvalidSchemaException("Reference " + reference + ": " + e.getMessage(), e);
            }
        }
        ProtoFileElement file = parseFile(FILE_NAME, text, "The schema");
        return new ProtobufSchema(file, references, ProtoDescriptors.build(FILE_NAME, file, imports));
    }

    private static ProtoFileElement parseFile(String path, String text, String what) {
        try {
            return ProtoParser.Companion.parse(Location.get(path), text);
        } catch (RuntimeException e) {
            throw new InvalidSchemaException(what + " is not a valid .proto file: " + e.getMessage(), e);
        }
    }

    /** Message types as message indexes count them: map entries are protoc's, not the schema's. */
    static List<Descriptor> messageTypes(List<Descriptor> types) {
        return types.stream().filter(type -> !type.getOptions().getMapEntry()).toList();
    }

    private static void index(List<Descriptor> types, List<Integer> prefix, Map<List<Integer>, Descriptor> out) {
        for (int i = 0; i < types.size(); i++) {
            List<Integer> indexes = new ArrayList<>(prefix);
            indexes.add(i);
            out.put(List.copyOf(indexes), types.get(i));
            index(messageTypes(types.get(i).getNestedTypes()), indexes, out);
        }
    }

    FileDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public SchemaType type() {
        return SchemaType.PROTOBUF;
    }

    @Override
    public String canonicalString() {
        return canonical;
    }

    @Override
    public List<ResolvedReference> references() {
        return references;
    }

    @Override
    public ProtobufSchema normalize() {
        return parse(ProtoNormalizer.normalize(element).toSchema(), references);
    }

    @Override
    public List<Integer> messageIndexes(String messageName) {
        String packagePrefix = descriptor.getPackage().isEmpty() ? "" : descriptor.getPackage() + ".";
        for (Map.Entry<List<Integer>, Descriptor> entry : messagesByIndexes.entrySet()) {
            String fullName = entry.getValue().getFullName();
            if (fullName.equals(messageName) || fullName.equals(packagePrefix + messageName)) {
                return entry.getKey();
            }
        }
        throw new InvalidPayloadException("The Protobuf schema has no message " + messageName);
    }

    @Override
    public String recordName(List<Integer> messageIndexes) {
        return message(messageIndexes).getFullName();
    }

    /** The message type selected by {@code messageIndexes} (empty meaning the first). */
    Descriptor message(List<Integer> messageIndexes) {
        List<Integer> indexes = messageIndexes.isEmpty() ? List.of(0) : messageIndexes;
        Descriptor message = messagesByIndexes.get(indexes);
        if (message == null) {
            throw new InvalidPayloadException("Message indexes " + indexes + " select no message type of the "
                    + "Protobuf schema (it has " + descriptor.getMessageTypes().size() + " top-level messages)");
        }
        return message;
    }

    @Override
    public void validate(ByteBuffer payload, List<Integer> messageIndexes) {
        parsePayload(payload, message(messageIndexes));
    }

    private static DynamicMessage parsePayload(ByteBuffer payload, Descriptor type) {
        Bytes bytes = Bytes.of(payload);
        DynamicMessage message;
        try {
            message = DynamicMessage.parseFrom(type,
                    CodedInputStream.newInstance(bytes.array(), bytes.offset(), bytes.length()));
        } catch (IOException | RuntimeException e) {
            throw new InvalidPayloadException("The payload is not a Protobuf " + type.getFullName() + ": "
                    + e.getMessage(), e);
        }
        checkWireTypes(message, "");
        return message;
    }

    /**
     * protobuf-java keeps a field whose wire type does not match its declaration as an unknown field rather than
     * failing; such a payload was not written with this schema, so it is refused here. Unknown numbers (fields of a
     * newer schema) stay accepted, as do proto2 enum values this schema does not list (varints, as declared).
     */
    private static void checkWireTypes(Message message, String path) {
        Descriptor type = message.getDescriptorForType();
        for (Map.Entry<Integer, UnknownFieldSet.Field> unknown : message.getUnknownFields().asMap().entrySet()) {
            FieldDescriptor field = type.findFieldByNumber(unknown.getKey());
            if (field != null && !hasDeclaredWireType(field, unknown.getValue())) {
                throw new InvalidPayloadException("The payload's field " + path + field.getName() + " (number "
                        + field.getNumber() + ") is not encoded as its declared type " + field.getType()
                        .name().toLowerCase(Locale.ROOT) + " of " + type.getFullName());
            }
        }
        for (Map.Entry<FieldDescriptor, Object> set : message.getAllFields().entrySet()) {
            FieldDescriptor field = set.getKey();
            if (field.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
                continue;
            }
            if (field.isRepeated()) {
                for (Object element : (List<?>) set.getValue()) {
                    checkWireTypes((Message) element, path + field.getName() + ".");
                }
            } else {
                checkWireTypes((Message) set.getValue(), path + field.getName() + ".");
            }
        }
    }

    private static boolean hasDeclaredWireType(FieldDescriptor field, UnknownFieldSet.Field values) {
        boolean varint = !values.getVarintList().isEmpty();
        boolean fixed32 = !values.getFixed32List().isEmpty();
        boolean fixed64 = !values.getFixed64List().isEmpty();
        boolean delimited = !values.getLengthDelimitedList().isEmpty();
        boolean group = !values.getGroupList().isEmpty();
        return switch (field.getType()) {
            case INT32, INT64, UINT32, UINT64, SINT32, SINT64, BOOL, ENUM ->
                    !fixed32 && !fixed64 && !group && (!delimited || field.isRepeated());
            case FIXED32, SFIXED32, FLOAT -> !varint && !fixed64 && !group && (!delimited || field.isRepeated());
            case FIXED64, SFIXED64, DOUBLE -> !varint && !fixed32 && !group && (!delimited || field.isRepeated());
            case STRING, BYTES, MESSAGE -> !varint && !fixed32 && !fixed64 && !group;
            case GROUP -> !varint && !fixed32 && !fixed64 && !delimited;
        };
    }

    @Override
    public byte[] toBinary(String json, List<Integer> messageIndexes) {
        Descriptor type = message(messageIndexes);
        DynamicMessage.Builder builder = DynamicMessage.newBuilder(type);
        try {
            JSON_PARSER.merge(json, builder);
            return builder.build().toByteArray();
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw new InvalidPayloadException("The JSON is not a Protobuf " + type.getFullName() + " in Protobuf's "
                    + "JSON mapping: " + e.getMessage(), e);
        }
    }

    @Override
    public String toJson(ByteBuffer payload, List<Integer> messageIndexes) {
        DynamicMessage message = parsePayload(payload, message(messageIndexes));
        try {
            return JSON_PRINTER.print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidPayloadException("The Protobuf value could not be written as JSON: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ProtobufSchema that && canonical.equals(that.canonical)
                && references.equals(that.references);
    }

    @Override
    public int hashCode() {
        return canonical.hashCode();
    }

    @Override
    public String toString() {
        return "PROTOBUF " + canonical;
    }
}
