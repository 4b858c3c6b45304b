package io.sluice.schema;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Confluent's Protobuf compatibility rules, applied to a writer and a reader schema with every type name resolved
 * (protobuf-java descriptors). As in Confluent's registry the rules are about the binary encoding, so most hold both
 * ways; error types are Confluent's.
 *
 * <p>Incompatible:
 * <ul>
 *   <li>{@code PACKAGE_CHANGED}: the file's package differs.
 *   <li>{@code MESSAGE_REMOVED}: a message type of the writer (top-level or nested, by name; map entries aside) is
 *       missing in the reader. Renaming a message, the first one included, is a removal.
 *   <li>{@code FIELD_KIND_CHANGED}: a field number's kind changed between scalar (enums count as scalars), message and
 *       map.
 *   <li>{@code FIELD_SCALAR_KIND_CHANGED}: a scalar field's type moved to another wire-compatible group. The groups:
 *       {int32, uint32, int64, uint64, bool, enums}; {sint32, sint64}; {string, bytes}; {fixed32, sfixed32};
 *       {fixed64, sfixed64}; {float}; {double}. Changes within a group are compatible.
 *   <li>{@code FIELD_NUMERIC_LABEL_CHANGED}: a numeric scalar field changed between singular and repeated (packed
 *       encoding). The same change of a string or bytes field is compatible, as is that of a message field.
 *   <li>{@code FIELD_NAMED_TYPE_CHANGED}: a message field's type is another message (compared by name without the
 *       package), or the same message changed incompatibly (compared recursively, with these rules).
 *   <li>{@code REQUIRED_FIELD_ADDED} / {@code REQUIRED_FIELD_REMOVED}: a proto2 required field appeared or
 *       disappeared; also (stricter than Confluent, which looks at added and removed fields only) an existing field
 *       that the reader requires and the writer does not.
 *   <li>{@code ONEOF_FIELD_REMOVED}: a field of a oneof is missing from the reader's message altogether.
 *   <li>{@code MULTIPLE_FIELDS_MOVED_TO_ONEOF}: a oneof of the reader holds more than one field that the writer has
 *       outside any oneof.
 *   <li>{@code FIELD_MOVED_TO_EXISTING_ONEOF}: a field moved into a oneof that already held fields of the writer's
 *       oneofs.
 * </ul>
 * Compatible: messages, enums, fields and oneofs added; optional fields, enums and oneofs removed; enum constants
 * added, removed or renamed; fields renamed; messages moved or reordered (message indexes are read against the
 * schema of the record's id); changes within a scalar group. Not checked, as in Confluent's registry: syntax (proto2
 * or proto3) changes by themselves, options, reserved ranges, services and extensions.
 *
 * <p>One instance per check; not thread-safe.
 */
final class ProtobufCompatibility {

    private enum Kind { SCALAR, MESSAGE, MAP }

    private enum ScalarGroup { VARINT, ZIGZAG, LENGTH_DELIMITED, FIXED32, FIXED64, FLOAT, DOUBLE }

    private final Compatibility.Roles roles;
    private final List<Incompatibility> found = new ArrayList<>();
    private final Set<String> compared = new HashSet<>();

    ProtobufCompatibility(Compatibility.Roles roles) {
        this.roles = roles;
    }

    List<Incompatibility> check(FileDescriptor writer, FileDescriptor reader) {
        if (!writer.getPackage().equals(reader.getPackage())) {
            add("PACKAGE_CHANGED", "#/", "The package of the " + roles.writer() + " is '" + writer.getPackage()
                    + "' but that of the " + roles.reader() + " is '" + reader.getPackage() + "'");
        }
        compareTypes(writer.getMessageTypes(), reader.getMessageTypes(), "#/");
        return List.copyOf(found);
    }

    private void compareTypes(List<Descriptor> writerTypes, List<Descriptor> readerTypes, String path) {
        Map<String, Descriptor> readerByName = byName(readerTypes);
        for (Descriptor writerType : byName(writerTypes).values()) {
            Descriptor readerType = readerByName.get(writerType.getName());
            if (readerType == null) {
                add("MESSAGE_REMOVED", path + writerType.getName(), "The message " + writerType.getFullName()
                        + " of the " + roles.writer() + " is missing in the " + roles.reader());
            } else {
                compareMessages(writerType, readerType, path + writerType.getName());
            }
        }
    }

    private static Map<String, Descriptor> byName(List<Descriptor> types) {
        Map<String, Descriptor> byName = new LinkedHashMap<>();
        for (Descriptor type : ProtobufSchema.messageTypes(types)) {
            byName.put(type.getName(), type);
        }
        return byName;
    }

    /** Compares two messages once (message types may be recursive); false when that found an incompatibility. */
    private boolean compareMessages(Descriptor writer, Descriptor reader, String path) {
        if (!compared.add(writer.getFullName() + " " + reader.getFullName())) {
            return true;
        }
        int before = found.size();
        compareOneofMembership(writer, reader, path);
        Map<Integer, FieldDescriptor> writerFields = byNumber(writer);
        Map<Integer, FieldDescriptor> readerFields = byNumber(reader);
        for (FieldDescriptor writerField : writerFields.values()) {
            FieldDescriptor readerField = readerFields.get(writerField.getNumber());
            String fieldPath = path + "/" + writerField.getNumber();
            if (readerField == null) {
                if (writerField.isRequired()) {
                    add("REQUIRED_FIELD_REMOVED", fieldPath, "The required field " + writerField.getFullName()
                            + " of the " + roles.writer() + " is missing in the " + roles.reader());
                }
            } else {
                if (readerField.isRequired() && !writerField.isRequired()) {
                    add("REQUIRED_FIELD_ADDED", fieldPath, "The field " + readerField.getFullName() + " is required "
                            + "in the " + roles.reader() + " but not in the " + roles.writer());
                }
                compareFields(writerField, readerField, fieldPath);
            }
        }
        for (FieldDescriptor readerField : readerFields.values()) {
            if (!writerFields.containsKey(readerField.getNumber()) && readerField.isRequired()) {
                add("REQUIRED_FIELD_ADDED", path + "/" + readerField.getNumber(), "The required field "
                        + readerField.getFullName() + " of the " + roles.reader() + " is missing in the "
                        + roles.writer());
            }
        }
        compareTypes(writer.getNestedTypes(), reader.getNestedTypes(), path + "/");
        return found.size() == before;
    }

    private static Map<Integer, FieldDescriptor> byNumber(Descriptor message) {
        Map<Integer, FieldDescriptor> byNumber = new TreeMap<>();
        for (FieldDescriptor field : message.getFields()) {
            byNumber.put(field.getNumber(), field);
        }
        return byNumber;
    }

    private void compareOneofMembership(Descriptor writer, Descriptor reader, String path) {
        for (OneofDescriptor readerOneof : reader.getRealOneofs()) {
            int movedIn = 0;
            int alreadyInOneof = 0;
            for (FieldDescriptor readerField : readerOneof.getFields()) {
                FieldDescriptor writerField = writer.findFieldByNumber(readerField.getNumber());
                if (writerField == null) {
                    continue;
                }
                if (writerField.getRealContainingOneof() == null) {
                    movedIn++;
                } else {
                    alreadyInOneof++;
                }
            }
            if (movedIn > 1) {
                add("MULTIPLE_FIELDS_MOVED_TO_ONEOF", path + "/" + readerOneof.getName(), "The oneof "
                        + readerOneof.getName() + " of the " + roles.reader() + " holds " + movedIn + " fields that "
                        + "the " + roles.writer() + " has outside any oneof: data setting several of them is lost");
            } else if (movedIn == 1 && alreadyInOneof > 0) {
                add("FIELD_MOVED_TO_EXISTING_ONEOF", path + "/" + readerOneof.getName(), "The oneof "
                        + readerOneof.getName() + " of the " + roles.reader() + " takes in a field that the "
                        + roles.writer() + " has outside any oneof, next to fields already in a oneof");
            }
        }
        for (OneofDescriptor writerOneof : writer.getRealOneofs()) {
            boolean sameOneofInReader = reader.getRealOneofs().stream()
                    .anyMatch(oneof -> oneof.getName().equals(writerOneof.getName()));
            if (!sameOneofInReader) {
                continue;
            }
            for (FieldDescriptor writerField : writerOneof.getFields()) {
                if (reader.findFieldByNumber(writerField.getNumber()) == null) {
                    add("ONEOF_FIELD_REMOVED", path + "/" + writerOneof.getName() + "/" + writerField.getNumber(),
                            "The field " + writerField.getFullName() + " of oneof " + writerOneof.getName()
                                    + " of the " + roles.writer() + " is missing in the " + roles.reader());
                }
            }
        }
    }

    private void compareFields(FieldDescriptor writer, FieldDescriptor reader, String path) {
        Kind writerKind = kind(writer);
        Kind readerKind = kind(reader);
        if (writerKind != readerKind) {
            add("FIELD_KIND_CHANGED", path, "The field " + reader.getFullName() + " is " + describe(reader)
                    + " in the " + roles.reader() + " but " + describe(writer) + " in the " + roles.writer());
            return;
        }
        switch (writerKind) {
            case SCALAR -> compareScalars(writer, reader, path);
            case MESSAGE -> compareMessageFields(writer, reader, path);
            case MAP -> {
                Descriptor writerEntry = writer.getMessageType();
                Descriptor readerEntry = reader.getMessageType();
                compareFields(writerEntry.findFieldByNumber(1), readerEntry.findFieldByNumber(1), path + "/key");
                compareFields(writerEntry.findFieldByNumber(2), readerEntry.findFieldByNumber(2), path + "/value");
            }
        }
    }

    private void compareScalars(FieldDescriptor writer, FieldDescriptor reader, String path) {
        ScalarGroup group = group(writer);
        if (group != group(reader)) {
            add("FIELD_SCALAR_KIND_CHANGED", path, "The field " + reader.getFullName() + " is " + describe(reader)
                    + " in the " + roles.reader() + " but " + describe(writer) + " in the " + roles.writer()
                    + ", which is encoded differently");
        } else if (writer.isRepeated() != reader.isRepeated() && group != ScalarGroup.LENGTH_DELIMITED) {
            add("FIELD_NUMERIC_LABEL_CHANGED", path, "The numeric field " + reader.getFullName() + " is "
                    + (reader.isRepeated() ? "repeated" : "singular") + " in the " + roles.reader() + " but "
                    + (writer.isRepeated() ? "repeated" : "singular") + " in the " + roles.writer());
        }
    }

    private void compareMessageFields(FieldDescriptor writer, FieldDescriptor reader, String path) {
        Descriptor writerType = writer.getMessageType();
        Descriptor readerType = reader.getMessageType();
        String writerName = localName(writerType);
        String readerName = localName(readerType);
        if (!writerName.equals(readerName)) {
            add("FIELD_NAMED_TYPE_CHANGED", path, "The field " + reader.getFullName() + " has message type "
                    + readerName + " in the " + roles.reader() + " but " + writerName + " in the " + roles.writer());
        } else if (!compareMessages(writerType, readerType, "#/" + readerName)) {
            add("FIELD_NAMED_TYPE_CHANGED", path, "The field " + reader.getFullName() + " has message type "
                    + readerName + ", which changed incompatibly");
        }
    }

    /** The message's name within its file's package (nested names keep their parents). */
    private static String localName(Descriptor type) {
        String pkg = type.getFile().getPackage();
        return pkg.isEmpty() ? type.getFullName() : type.getFullName().substring(pkg.length() + 1);
    }

    private static Kind kind(FieldDescriptor field) {
        if (field.isMapField()) {
            return Kind.MAP;
        }
        return field.getJavaType() == FieldDescriptor.JavaType.MESSAGE ? Kind.MESSAGE : Kind.SCALAR;
    }

    private static ScalarGroup group(FieldDescriptor field) {
        return switch (field.getType()) {
            case INT32, UINT32, INT64, UINT64, BOOL, ENUM -> ScalarGroup.VARINT;
            case SINT32, SINT64 -> ScalarGroup.ZIGZAG;
            case STRING, BYTES -> ScalarGroup.LENGTH_DELIMITED;
            case FIXED32, SFIXED32 -> ScalarGroup.FIXED32;
            case FIXED64, SFIXED64 -> ScalarGroup.FIXED64;
            case FLOAT -> ScalarGroup.FLOAT;
            case DOUBLE -> ScalarGroup.DOUBLE;
            case MESSAGE, GROUP -> throw new IllegalArgumentException("not a scalar: " + field);
        };
    }

    private static String describe(FieldDescriptor field) {
        if (field.isMapField()) {
            return "a map";
        }
        return switch (field.getJavaType()) {
            case MESSAGE -> "message " + field.getMessageType().getFullName();
            case ENUM -> "enum " + field.getEnumType().getFullName();
            default -> field.getType().name().toLowerCase(Locale.ROOT);
        };
    }

    private void add(String errorType, String path, String description) {
        found.add(new Incompatibility(errorType, path, description));
    }
}
